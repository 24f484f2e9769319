import { configErrorFromZod, type PluginContext } from '@sparkify/core';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { z } from 'zod';
import { MemoryS3Port } from './memory-s3-port.js';
import { sourceS3ConfigSchema, sourceS3Plugin } from './plugin.js';
import { createS3JsonSource } from './s3-json-source.js';

const context: PluginContext = {
  container: {} as PluginContext['container'],
  resolvePath: (path) => path,
  configPath: 'resources.events.with',
};

function configError(input: unknown) {
  const parsed = sourceS3ConfigSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the config to be refused');
  return configErrorFromZod(parsed.error, 'resources.events.with');
}

describe('sourceS3Plugin', () => {
  it('is the S3 JSON source', () => {
    expect(sourceS3Plugin).toMatchObject({ id: 'source-s3.json', kind: 'source' });
  });

  it('fills defaults', () => {
    expect(sourceS3ConfigSchema.parse({ uri: 's3://udacity-dend/song_data' })).toEqual({
      uri: 's3://udacity-dend/song_data',
      timeFormat: 'auto',
      region: 'us-west-2',
      endpoint: '',
      concurrency: 4,
    });
  });

  it('describes every field and refuses unknown keys', () => {
    const json = z.toJSONSchema(sourceS3ConfigSchema as z.ZodType, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(json.properties)).toEqual(['uri', 'jsonPaths', 'format', 'timeFormat', 'region', 'endpoint', 'forcePathStyle', 'concurrency']);
    for (const field of Object.values(json.properties)) expect(field.description).toEqual(expect.any(String));
    expect(json.additionalProperties).toBe(false);
    expect(configError({ uri: 's3://b-1/x', bucket: 'b' })).toMatchObject({ location: { configPath: 'resources.events.with.bucket' } });
  });

  it.each([
    [{ uri: 's3:/x' }, 'resources.events.with.uri', /not an S3 URI: it must start with s3:\/\//],
    [{ uri: 'http://bucket/x' }, 'resources.events.with.uri', /must start with s3:\/\//],
    [{ uri: 's3://Bad_Bucket/x' }, 'resources.events.with.uri', /lower-case/],
    [{ uri: 's3://b-1/x', jsonPaths: 's3://b-1/paths/' }, 'resources.events.with.jsonPaths', /names a prefix/],
    [{ uri: 's3://b-1/x', jsonPaths: 's3://b-1/p.json', format: 'auto' }, 'resources.events.with.format', /either jsonPaths or format/],
    [{ uri: 's3://b-1/x', region: 'Oregon' }, 'resources.events.with.region', /AWS region/],
    [{ uri: 's3://b-1/x', endpoint: 'localhost:4566' }, 'resources.events.with.endpoint', /http:\/\//],
  ])('refuses %j at %s', (input, configPath, message) => {
    const error = configError(input);
    expect(error).toMatchObject({ kind: 'config', location: { configPath } });
    expect(error.message).toMatch(message);
  });

  it('creates the source without any request, and names the config path when the URI is wrong', async () => {
    const source = await sourceS3Plugin.create(sourceS3ConfigSchema.parse({ uri: 's3://udacity-dend/log_data', endpoint: 'http://127.0.0.1:1' }), context);
    expect(typeof source.describe).toBe('function');
    await expect(Promise.resolve().then(() => sourceS3Plugin.create({ ...sourceS3ConfigSchema.parse({ uri: 's3://b-1/x' }), uri: 's3:/x' }, context))).rejects.toEqual(
      expect.objectContaining({ kind: 'config', location: { configPath: 'resources.events.with.uri' } }),
    );
  });

  it('describes the objects for a server-side COPY: sizes, ETags, bucket, prefix, region, endpoint', async () => {
    const data = new MemoryObjectStore({ 'log_data/a.json': '{}\n', 'log_data/b.json': '{}\n{}\n' }, { scheme: 's3', bucket: 'udacity-dend' });
    const client = new MemoryS3Port({ 'udacity-dend': data });
    const config = sourceS3ConfigSchema.parse({ uri: 's3://udacity-dend/log_data/', endpoint: 'http://127.0.0.1:4566', timeFormat: 'epochmillisecs' });
    const description = await createS3JsonSource(config, { client }).describe();
    expect(client.calls.head).toEqual([]);
    expect(description).toMatchObject({
      location: 's3://udacity-dend/log_data/',
      scheme: 's3',
      format: 'json',
      mapping: { mode: 'auto' },
      timeFormat: 'epochmillisecs',
      store: { bucket: 'udacity-dend', prefix: 'log_data/', region: 'us-west-2', endpoint: 'http://127.0.0.1:4566' },
      warnings: [],
    });
    expect(description.objects).toEqual([
      { uri: 's3://udacity-dend/log_data/a.json', key: 'log_data/a.json', size: 3, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), compression: 'none' },
      { uri: 's3://udacity-dend/log_data/b.json', key: 'log_data/b.json', size: 6, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), compression: 'none' },
    ]);
  });

  it('warns when the prefix over-matches and when the JSONPaths file lies under the data prefix', async () => {
    const data = new MemoryObjectStore(
      {
        'log_data/a.json': '{"a": 1}\n',
        'log_data_old/b.json': '{"a": 2}\n',
        'log_data/paths.json': '{"jsonpaths": ["$.a"]}',
      },
      { scheme: 's3', bucket: 'udacity-dend' },
    );
    const client = new MemoryS3Port({ 'udacity-dend': data });
    const config = sourceS3ConfigSchema.parse({ uri: 's3://udacity-dend/log_data', jsonPaths: 's3://udacity-dend/log_data/paths.json' });
    const { warnings } = await createS3JsonSource(config, { client }).describe();
    expect(warnings).toEqual([
      expect.stringContaining('also matches log_data_old/ (1 object)'),
      expect.stringContaining('the JSONPaths file s3://udacity-dend/log_data/paths.json lies under the data prefix'),
    ]);
  });
});
