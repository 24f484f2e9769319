import { defineSourcePlugin, joinConfigPath } from '@sparkify/core';
import { JsonObjectSource, type JsonMappingSpec } from '@sparkify/redshift-json';
import { z } from 'zod';
import { awsEndpointSchema, awsRegionSchema } from './aws/aws-config-schemas.js';
import type { AwsCredentials } from './aws/aws-credentials.js';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore } from './s3-object-store.js';
import type { S3Port } from './s3-port.js';
import { parseS3Uri, s3UriProblem } from './s3-uri.js';

/** A zod check that reports parseS3Uri's reason at the field. */
function s3Uri(options: { object?: boolean } = {}) {
  return z.string().superRefine((uri, context) => {
    const problem = s3UriProblem(uri);
    if (problem) {
      context.addIssue({ code: 'custom', message: `not an S3 URI: ${problem}` });
      return;
    }
    const { key } = parseS3Uri(uri);
    if (options.object && (key === '' || key.endsWith('/'))) {
      context.addIssue({ code: 'custom', message: `"${uri}" names a prefix; a JSONPaths file is a single object (s3://bucket/path/file.json)` });
    }
  });
}

export const sourceS3ConfigSchema = z
  .object({
    uri: s3Uri().describe(
      'The objects to read, as s3://bucket/prefix: every object whose key starts with the prefix is read, in every "folder" below (s3://b/log_data also matches log_data_old/… and log_data.bak; end it with "/" to read one folder only), as Redshift COPY does.',
    ),
    jsonPaths: s3Uri({ object: true })
      .optional()
      .describe("S3 URI of a JSONPaths file (a single object, not a prefix) mapping JSON elements to columns, one expression per column in column order (COPY ... FORMAT AS JSON 's3://…'). Without it, `format` applies."),
    format: z
      .enum(['auto', 'auto ignorecase'])
      .optional()
      .describe("How keys map to columns when there is no jsonPaths: 'auto' matches first-level keys to column names case-sensitively, 'auto ignorecase' ignoring case. Default 'auto'."),
    timeFormat: z
      .enum(['auto', 'epochmillisecs', 'epochsecs'])
      .default('auto')
      .describe("How TIMESTAMP columns read values (COPY TIMEFORMAT): 'epochmillisecs' or 'epochsecs' for epoch numbers, 'auto' for date-time text."),
    region: awsRegionSchema
      .default('us-west-2')
      .describe("The bucket's AWS region (also the REGION of a server-side COPY)."),
    endpoint: awsEndpointSchema
      .default('')
      .describe('An S3-compatible endpoint instead of AWS, e.g. the local Redshift emulator (http://127.0.0.1:4566); "" for AWS. With an endpoint, credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY only.'),
    forcePathStyle: z
      .boolean()
      .optional()
      .describe('Address buckets as endpoint/bucket/key instead of bucket.endpoint/key. Default: true with an endpoint, false for AWS.'),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Objects read at once.'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.jsonPaths !== undefined && config.format !== undefined) {
      context.addIssue({ code: 'custom', path: ['format'], message: 'give either jsonPaths or format, not both: a JSONPaths file replaces the auto mapping' });
    }
  });

export type SourceS3Config = z.output<typeof sourceS3ConfigSchema>;

export interface S3SourceDependencies {
  /** The config path of this source's `with`, for error locations. */
  configPath?: string;
  /** A client to use instead of one built from the config (tests; a shared client). */
  client?: S3Port;
  /** Explicit credentials for the client built from the config. */
  credentials?: AwsCredentials;
  /** Keys per listing page (tests use a small one to cross pages). */
  pageSize?: number;
}

/** The JSON source over S3; the plugin's `create` in pure form. No request is made here. */
export function createS3JsonSource(config: SourceS3Config, dependencies: S3SourceDependencies = {}): JsonObjectSource {
  const at = (key: string) => (dependencies.configPath === undefined ? key : joinConfigPath(dependencies.configPath, [key]));
  const endpoint = config.endpoint || undefined;
  const client =
    dependencies.client ??
    createS3Client({
      region: config.region,
      ...(endpoint ? { endpoint } : {}),
      ...(config.forcePathStyle === undefined ? {} : { forcePathStyle: config.forcePathStyle }),
      ...(dependencies.credentials ? { credentials: dependencies.credentials } : {}),
    });
  const storeFor = (bucket: string, configPath: string) =>
    new S3ObjectStore({
      client,
      bucket,
      region: config.region,
      ...(endpoint ? { endpoint } : {}),
      ...(dependencies.pageSize ? { pageSize: dependencies.pageSize } : {}),
      configPath,
    });
  const data = parseS3Uri(config.uri, at('uri'));
  let mapping: JsonMappingSpec = { mode: config.format ?? 'auto' };
  if (config.jsonPaths !== undefined) {
    const paths = parseS3Uri(config.jsonPaths, at('jsonPaths'));
    mapping = { mode: 'jsonpaths', store: storeFor(paths.bucket, at('jsonPaths')), key: paths.key };
  }
  return new JsonObjectSource({
    store: storeFor(data.bucket, at('uri')),
    prefix: data.key,
    mapping,
    timeFormat: config.timeFormat,
    concurrency: config.concurrency,
  });
}

export const sourceS3Plugin = defineSourcePlugin<SourceS3Config>({
  id: 'source-s3.json',
  kind: 'source',
  description: 'JSON objects in S3, read as Redshift COPY ... FORMAT AS JSON reads them (prefix matching, auto or JSONPaths, gzip); Redshift sinks COPY them server-side.',
  configSchema: sourceS3ConfigSchema,
  create: (config, context) => createS3JsonSource(config, { configPath: context.configPath }),
});
