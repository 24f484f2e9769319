import { S3ServiceException } from '@aws-sdk/client-s3';
import { ConfigError, InputDataError } from '@sparkify/core';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { CREDENTIAL_ENV } from './aws/aws-credentials.js';
import { MemoryS3Port } from './memory-s3-port.js';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore } from './s3-object-store.js';
import type { S3Port } from './s3-port.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  return Buffer.concat(await collect(chunks)).toString('utf8');
}

function fixture(pageSize?: number) {
  const files: Record<string, string> = { 'other/x.json': 'x' };
  for (let i = 0; i < 7; i++) files[`log_data/part-${i}.json`] = `{"i": ${i}}\n`;
  const data = new MemoryObjectStore(files, { scheme: 's3', bucket: 'udacity-dend' });
  const client = new MemoryS3Port({ 'udacity-dend': data });
  const store = new S3ObjectStore({ client, bucket: 'udacity-dend', region: 'us-west-2', configPath: 'resources.events.with.uri', ...(pageSize ? { pageSize } : {}) });
  return { client, store };
}

describe('S3ObjectStore', () => {
  it('lists every page of a prefix, in key order, with sizes and ETags', async () => {
    const { client, store } = fixture(3);
    const listed = await collect(store.list('log_data/'));
    expect(listed.map((o) => o.key)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `log_data/part-${i}.json`));
    expect(listed.every((o) => o.size === 9 && /^"[0-9a-f]{32}"$/.test(o.etag ?? ''))).toBe(true);
    expect(client.calls.list.map((call) => [call.maxKeys, call.continuation === undefined])).toEqual([
      [3, true],
      [3, false],
      [3, false],
    ]);
  });

  it('names objects and prefixes by s3:// URI and reports bucket and region', () => {
    const { store } = fixture();
    expect(store.location('log_data')).toBe('s3://udacity-dend/log_data');
    expect(store.uri('log_data/a.json')).toBe('s3://udacity-dend/log_data/a.json');
    expect(store.storeInfo()).toEqual({ bucket: 'udacity-dend', region: 'us-west-2' });
  });

  it('streams an object, reads its head with a ranged GET, and heads it', async () => {
    const { client, store } = fixture();
    expect(await text(await store.open('log_data/part-3.json'))).toBe('{"i": 3}\n');
    expect(Buffer.from(await store.readHead('log_data/part-3.json', 2)).toString()).toBe('{"');
    expect(client.calls.get.at(-1)).toEqual({ key: 'log_data/part-3.json', range: 'bytes=0-1' });
    expect(await store.head('log_data/part-3.json')).toMatchObject({ key: 'log_data/part-3.json', size: 9 });
    expect(await store.head('log_data/none.json')).toBeUndefined();
  });

  it('reports a missing object as InputDataError and a missing bucket as ConfigError at the URI', async () => {
    const { client, store } = fixture();
    await expect(store.open('log_data/none.json')).rejects.toThrow(InputDataError);
    await expect(store.open('log_data/none.json')).rejects.toMatchObject({ message: 'no object s3://udacity-dend/log_data/none.json' });
    const elsewhere = new S3ObjectStore({ client, bucket: 'no-such-bucket', configPath: 'resources.events.with.uri' });
    const error = await collect(elsewhere.list('log_data')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      message: expect.stringContaining('the bucket "no-such-bucket" does not exist (s3://no-such-bucket/log_data)'),
      location: { configPath: 'resources.events.with.uri', file: 's3://no-such-bucket/log_data' },
    });
  });

  it.each([
    ['AccessDenied', 403, 'config', /access denied to list the objects under s3:\/\/udacity-dend\/log_data: AccessDenied/],
    ['PermanentRedirect', 301, 'config', /the bucket "udacity-dend" is not in region us-west-2/],
    ['SlowDown', 503, 'input', /S3 failed to list the objects under s3:\/\/udacity-dend\/log_data: SlowDown/],
  ])('maps %s (%i) to a %s error with the URI', async (name, status, kind, message) => {
    const failing = {
      send: async () => {
        throw new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
      },
    } as unknown as S3Port;
    const store = new S3ObjectStore({ client: failing, bucket: 'udacity-dend', region: 'us-west-2', configPath: 'resources.events.with.uri' });
    const error = await collect(store.list('log_data')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind, message: expect.stringMatching(message), location: expect.objectContaining({ file: 's3://udacity-dend/log_data' }) });
    if (kind === 'input') expect(error).toMatchObject({ details: { retryable: true, code: name, status } });
  });

  it('is cancelled by an aborted signal', async () => {
    const { store } = fixture();
    const signal = AbortSignal.abort();
    await expect(collect(store.list('log_data', { signal }))).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(store.open('log_data/part-1.json', { signal })).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('S3ObjectStore over the real SDK client', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('with an endpoint and no credentials in the environment, fails at once with what to set', async () => {
    delete process.env[CREDENTIAL_ENV.accessKeyId];
    delete process.env[CREDENTIAL_ENV.secretAccessKey];
    delete process.env.AWS_PROFILE;
    const client = createS3Client({ region: 'us-west-2', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const store = new S3ObjectStore({ client, bucket: 'udacity-dend', endpoint: 'http://127.0.0.1:9', configPath: 'resources.events.with.uri' });
    const error = await collect(store.list('log_data')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      message: 'no AWS credentials for the endpoint http://127.0.0.1:9',
      hint: expect.stringContaining('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'),
    });
  });

  it('reports an endpoint that does not answer as ConfigError with the URI', async () => {
    process.env[CREDENTIAL_ENV.accessKeyId] = 'test';
    process.env[CREDENTIAL_ENV.secretAccessKey] = 'test';
    const client = createS3Client({ region: 'us-west-2', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const store = new S3ObjectStore({ client, bucket: 'udacity-dend', endpoint: 'http://127.0.0.1:9', configPath: 'resources.events.with.uri' });
    const error = await collect(store.list('log_data')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      message: 'cannot reach the S3 endpoint http://127.0.0.1:9 to list the objects under s3://udacity-dend/log_data (ECONNREFUSED)',
      location: { configPath: 'resources.events.with.uri', file: 's3://udacity-dend/log_data' },
    });
  });
});
