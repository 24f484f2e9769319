import { configErrorFromZod, type PluginContext } from '@sparkify/core';
import { startEmulatorServer } from '@sparkify/redshift-emulator';
import { CREDENTIAL_ENV } from '@sparkify/source-s3';
import { z } from 'zod';
import { RedshiftSink } from '../sink/redshift-sink.js';
import { redshiftTarget, sinkRedshiftConfigSchema, sinkRedshiftPlugin } from './redshift-sink-plugin.js';

const context: PluginContext = {
  container: {} as PluginContext['container'],
  resolvePath: (path) => path,
  configPath: 'resources.warehouse.with',
};

function configError(input: unknown) {
  const parsed = sinkRedshiftConfigSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the config to be refused');
  return configErrorFromZod(parsed.error, 'resources.warehouse.with');
}

const cluster = { clusterIdentifier: 'dwhcluster', database: 'dev', dbUser: 'awsuser' };

describe('sinkRedshiftPlugin', () => {
  it('is the redshift sink, and marks the secret ARN (not the role, an identifier) for redaction', () => {
    expect(sinkRedshiftPlugin).toMatchObject({ id: 'redshift', kind: 'sink', secretKeys: ['secretArn'] });
  });

  it('fills defaults', () => {
    expect(sinkRedshiftConfigSchema.parse(cluster)).toEqual({
      ...cluster,
      region: 'us-west-2',
      endpoint: '',
      sessionKeepAliveSeconds: 600,
      pollIntervalMs: 2,
      maxPollIntervalMs: 1000,
      statementTimeoutSeconds: 10_800,
      maxAttempts: 10,
      retryBaseMs: 100,
      retryMaxDelayMs: 20_000,
      retryTotalSeconds: 120,
      requestTimeoutSeconds: 60,
    });
  });

  it('describes every field and refuses unknown keys', () => {
    const json = z.toJSONSchema(sinkRedshiftConfigSchema as z.ZodType, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(json.properties)).toEqual([
      'clusterIdentifier',
      'workgroupName',
      'database',
      'dbUser',
      'secretArn',
      'iamRole',
      'region',
      'endpoint',
      'sessionKeepAliveSeconds',
      'pollIntervalMs',
      'maxPollIntervalMs',
      'statementTimeoutSeconds',
      'maxAttempts',
      'retryBaseMs',
      'retryMaxDelayMs',
      'retryTotalSeconds',
      'requestTimeoutSeconds',
    ]);
    for (const field of Object.values(json.properties)) expect(field.description).toEqual(expect.any(String));
    expect(json.additionalProperties).toBe(false);
    expect(configError({ ...cluster, host: 'x' })).toMatchObject({ location: { configPath: 'resources.warehouse.with.host' } });
  });

  it.each([
    [{ database: 'dev', dbUser: 'awsuser' }, 'clusterIdentifier', /either clusterIdentifier .* or workgroupName/],
    [{ ...cluster, workgroupName: 'wg' }, 'clusterIdentifier', /not both/],
    [{ clusterIdentifier: 'dwh', database: 'dev' }, 'dbUser', /dbUser .* or secretArn/],
    [{ ...cluster, secretArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:dwh' }, 'secretArn', /either dbUser or secretArn/],
    [{ workgroupName: 'wg', database: 'dev', dbUser: 'x' }, 'dbUser', /not dbUser/],
    [{ ...cluster, iamRole: "arn:aws:iam::123456789012:role/x'; --" }, 'iamRole', /IAM role ARN/],
    [{ ...cluster, secretArn: 'my-secret', dbUser: undefined }, 'secretArn', /Secrets Manager ARN/],
    [{ ...cluster, region: 'Oregon' }, 'region', /AWS region/],
    [{ ...cluster, endpoint: '127.0.0.1:4566' }, 'endpoint', /http:\/\//],
    [{ ...cluster, database: 'my-db' }, 'database', /database name/],
  ])('refuses %j at %s', (input, key, message) => {
    const error = configError(input);
    expect(error).toMatchObject({ kind: 'config', location: { configPath: `resources.warehouse.with.${key}` } });
    expect(error.message).toMatch(message);
  });

  it('names the target: a cluster with its user or secret, or a serverless workgroup', () => {
    expect(redshiftTarget(sinkRedshiftConfigSchema.parse(cluster))).toEqual({ kind: 'cluster', clusterIdentifier: 'dwhcluster', database: 'dev', dbUser: 'awsuser' });
    expect(redshiftTarget(sinkRedshiftConfigSchema.parse({ workgroupName: 'wg', database: 'dev' }))).toEqual({ kind: 'serverless', workgroupName: 'wg', database: 'dev' });
  });

  describe('created from a config', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it('makes no request until used, and with an endpoint and no keys in the environment fails at once with what to set', async () => {
      delete process.env[CREDENTIAL_ENV.accessKeyId];
      delete process.env[CREDENTIAL_ENV.secretAccessKey];
      const sink = await sinkRedshiftPlugin.create(sinkRedshiftConfigSchema.parse({ ...cluster, endpoint: 'http://127.0.0.1:9' }), context);
      expect(sink).toBeInstanceOf(RedshiftSink);
      await expect(sink.healthCheck()).rejects.toMatchObject({
        kind: 'config',
        message: 'no AWS credentials for the endpoint http://127.0.0.1:9',
        hint: expect.stringContaining('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'),
      });
      await sink.close();
      await sink.close();
    });

    it('is the only retry layer (the SDK client\'s retries are off): with every call throttled, maxAttempts calls reach the Data API', async () => {
      process.env[CREDENTIAL_ENV.accessKeyId] = 'emulator';
      process.env[CREDENTIAL_ENV.secretAccessKey] = 'emulator';
      const server = await startEmulatorServer({ faultRate: 1 });
      try {
        const config = sinkRedshiftConfigSchema.parse({ ...cluster, endpoint: server.url, maxAttempts: 3, retryBaseMs: 1, retryMaxDelayMs: 2 });
        const sink = await sinkRedshiftPlugin.create(config, context);
        await expect(sink.healthCheck()).rejects.toMatchObject({
          kind: 'warehouse',
          message: expect.stringMatching(/ThrottlingException: Rate exceeded \(gave up after 3 attempts in \d+\.\d s\)$/),
        });
        expect(server.emulator.faultCounts()).toEqual({ calls: 3, throttled: 3, failedStatements: 0 });
        await sink.close();
      } finally {
        await server.close();
      }
    });

    it('does not retry a refused connection: an endpoint that is not listening is reported at once', async () => {
      process.env[CREDENTIAL_ENV.accessKeyId] = 'emulator';
      process.env[CREDENTIAL_ENV.secretAccessKey] = 'emulator';
      const sink = await sinkRedshiftPlugin.create(sinkRedshiftConfigSchema.parse({ ...cluster, endpoint: 'http://127.0.0.1:9' }), context);
      const error = await sink.healthCheck().catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        kind: 'warehouse',
        message: 'cannot reach the Data API at http://127.0.0.1:9 to run a statement (ECONNREFUSED)',
        details: { retryable: false, code: 'ECONNREFUSED' },
      });
      await sink.close();
    });

    it('plans a COPY with the configured role, and refuses one without a role at the iamRole path', async () => {
      const source = {
        describe: async () => ({
          location: 's3://udacity-dend/song_data',
          scheme: 's3',
          objects: [{ uri: 's3://udacity-dend/song_data/a.json', key: 'song_data/a.json', size: 1, compression: 'none' as const }],
          format: 'json' as const,
          mapping: { mode: 'auto' as const },
          timeFormat: 'auto' as const,
          store: { region: 'us-west-2' },
          warnings: [],
        }),
        read: () => ({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }) }),
      };
      const table = { name: 'staging_songs', columns: [{ name: 'title', type: { kind: 'varchar' as const, length: 256 }, nullable: true }] };
      const withRole = await sinkRedshiftPlugin.create(sinkRedshiftConfigSchema.parse({ ...cluster, iamRole: 'arn:aws:iam::123456789012:role/dwhRole' }), context);
      expect((await withRole.planLoad({ source, table, maxErrors: 0 }))[0]).toContain("IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'");
      const withoutRole = await sinkRedshiftPlugin.create(sinkRedshiftConfigSchema.parse(cluster), context);
      await expect(withoutRole.planLoad({ source, table, maxErrors: 0 })).rejects.toMatchObject({
        kind: 'config',
        location: { configPath: 'resources.warehouse.with.iamRole' },
      });
      await withRole.close();
      await withoutRole.close();
    });
  });
});
