import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadRow, Source, TableSpec } from '@sparkify/core';
import { describeSourceContract } from '@sparkify/core/testing';
import { startEmulatorServer, type EmulatorServer } from '@sparkify/redshift-emulator';
import { sourceFsConfigSchema, createFsJsonSource } from '@sparkify/source-fs';
import { writeFiles } from '@sparkify/source-fs/testing';
import type { AwsCredentials } from './aws/aws-credentials.js';
import { sourceS3ConfigSchema, type SourceS3Config } from './plugin.js';
import { createS3JsonSource } from './s3-json-source.js';
import { createS3Client } from './s3-client.js';
import type { S3Port } from './s3-port.js';
import { stagingEventsTable, stagingSongsTable, UDACITY_SAMPLE, UDACITY_SAMPLE_ROWS } from './udacity-sample.js';

// One emulator for the file: its S3 serves the sub-folders of a temporary folder as buckets.
// `udacity-dend` is a symbolic link to the real sample (read in place, never copied).
const credentials: AwsCredentials = { accessKeyId: 'emulator', secretAccessKey: 'emulator' };
let root: string;
let server: EmulatorServer;
let bucketCount = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'source-s3-emulator-'));
  await symlink(UDACITY_SAMPLE, path.join(root, 'udacity-dend'), 'dir');
  server = await startEmulatorServer({ s3Dir: root });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** A fresh bucket folder holding `files`. */
async function bucketWith(files: Record<string, Uint8Array | string>): Promise<string> {
  const bucket = `bucket-${++bucketCount}`;
  await mkdir(path.join(root, bucket));
  await writeFiles(path.join(root, bucket), files);
  return bucket;
}

function s3Source(config: Record<string, unknown>, extra: { client?: S3Port; pageSize?: number } = {}): Source {
  const parsed: SourceS3Config = sourceS3ConfigSchema.parse({ endpoint: server.url, ...config });
  return createS3JsonSource(parsed, { credentials, ...extra });
}

async function rowsOf(source: Source, table: TableSpec): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for await (const batch of source.read({ columns: table.columns, maxErrors: 0 })) rows.push(...batch.rows);
  return rows;
}

describeSourceContract('source-s3.json over the emulator S3 (HTTP, the real SDK client)', async (input) => {
  const bucket = await bucketWith(input.files);
  let jsonPaths: string | undefined;
  if (input.mapping.mode === 'jsonpaths') {
    const config = await bucketWith({ 'paths/events.json': input.mapping.content });
    jsonPaths = `s3://${config}/paths/events.json`;
  }
  const source = s3Source({
    uri: `s3://${bucket}/${input.prefix}`,
    ...(jsonPaths ? { jsonPaths } : { format: input.mapping.mode }),
    timeFormat: input.timeFormat,
  });
  return { source, uriOf: (key) => `s3://${bucket}/${key}` };
});

describe('source-s3.json over the emulator S3', () => {
  it('lists every page of a prefix with a small page size, with sizes and ETags', async () => {
    const client = createS3Client({ region: 'us-west-2', endpoint: server.url, credentials });
    let lists = 0;
    const counting = {
      send: (command: Parameters<S3Port['send']>[0], options?: { abortSignal?: AbortSignal }) => {
        if (command.constructor.name === 'ListObjectsV2Command') lists++;
        return (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      },
    } as S3Port;
    const description = await s3Source({ uri: 's3://udacity-dend/log_data/' }, { client: counting, pageSize: 4 }).describe();
    expect(description.objects).toHaveLength(30);
    expect(lists).toBe(8);
    expect(description.objects.map((o) => o.key)).toEqual([...description.objects.map((o) => o.key)].sort());
    for (const object of description.objects) {
      expect(object.size).toBeGreaterThan(0);
      expect(object.etag).toMatch(/^"[0-9a-f]{32}"$/);
    }
    expect(description.store).toEqual({ bucket: 'udacity-dend', prefix: 'log_data/', region: 'us-west-2', endpoint: server.url });
  });

  it('warns when the prefix over-matches and when the JSONPaths file lies under the data prefix', async () => {
    const bucket = await bucketWith({ 'log_data/a.json': '{"a": 1}\n', 'log_data_old/b.json': '{"a": 2}\n', 'log_data/paths.json': '{"jsonpaths": ["$.a"]}' });
    const { warnings } = await s3Source({ uri: `s3://${bucket}/log_data`, jsonPaths: `s3://${bucket}/log_data/paths.json` }).describe();
    expect(warnings).toEqual([expect.stringContaining('also matches log_data_old/ (1 object)'), expect.stringContaining('lies under the data prefix')]);
  });

  it('reads the Udacity sample: 8056 events and 71 songs, the same rows as source-fs on the same folder', async () => {
    const events = await rowsOf(
      s3Source({ uri: 's3://udacity-dend/log_data', jsonPaths: 's3://udacity-dend/log_json_path.json', timeFormat: 'epochmillisecs' }),
      stagingEventsTable,
    );
    const songs = await rowsOf(s3Source({ uri: 's3://udacity-dend/song_data' }), stagingSongsTable);
    expect(events).toHaveLength(UDACITY_SAMPLE_ROWS.stagingEvents);
    expect(songs).toHaveLength(UDACITY_SAMPLE_ROWS.stagingSongs);
    const fs = (config: Record<string, unknown>) => createFsJsonSource(sourceFsConfigSchema.parse(config), (written) => path.resolve(UDACITY_SAMPLE, written));
    expect(events).toEqual(await rowsOf(fs({ path: 'log_data', jsonPaths: 'log_json_path.json', timeFormat: 'epochmillisecs' }), stagingEventsTable));
    expect(songs).toEqual(await rowsOf(fs({ path: 'song_data' }), stagingSongsTable));
  });

  it('reports a missing bucket as ConfigError and a missing JSONPaths object as InputDataError, with their URIs', async () => {
    await expect(s3Source({ uri: 's3://no-such-bucket/log_data' }).describe()).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('the bucket "no-such-bucket" does not exist (s3://no-such-bucket/log_data)'),
    });
    await expect(s3Source({ uri: 's3://udacity-dend/log_data', jsonPaths: 's3://udacity-dend/missing_paths.json' }).describe()).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringContaining('s3://udacity-dend/missing_paths.json'),
    });
  });

  it('reads gzip objects served over HTTP', async () => {
    const { gzipSync } = await import('node:zlib');
    const bucket = await bucketWith({ 'data/a.json.gz': gzipSync('{"num_songs": 1}\n{"num_songs": 2}\n') });
    await writeFile(path.join(root, bucket, 'data', 'b.json'), gzipSync('{"num_songs": 3}\n'));
    const source = s3Source({ uri: `s3://${bucket}/data/` });
    expect((await source.describe()).objects.map((o) => o.compression)).toEqual(['gzip', 'gzip']);
    expect((await rowsOf(source, stagingSongsTable)).map((row) => row[0])).toEqual([1, 2, 3]);
  });
});
