import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadRow, PluginContext, Source } from '@sparkify/core';
import { z } from 'zod';
import { stagingEvents, stagingSongs } from '../../sparkify-pipeline/src/schema/tables.js';
import { sourceFsConfigSchema, sourceFsPlugin, splitPrefixPath } from './plugin.js';
import { writeFiles } from './write-files.js';

const SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');

function context(base: string): PluginContext {
  // The plugin resolves nothing from the container.
  return { container: {} as PluginContext['container'], resolvePath: (written) => path.resolve(base, written), configPath: 'resources.events.with' };
}

async function create(config: unknown, base = SAMPLE): Promise<Source> {
  return sourceFsPlugin.create(sourceFsPlugin.configSchema.parse(config), context(base));
}

async function count(source: Source, columns = stagingEvents.columns): Promise<{ rows: number; nullAt: (index: number) => number }> {
  const rows: LoadRow[] = [];
  for await (const batch of source.read({ columns, maxErrors: 0 })) rows.push(...batch.rows);
  return { rows: rows.length, nullAt: (index) => rows.filter((row) => row[index] === null).length };
}

describe('sourceFsPlugin', () => {
  it('is the source-fs.json source plugin', () => {
    expect(sourceFsPlugin).toMatchObject({ id: 'source-fs.json', kind: 'source' });
    expect(sourceFsPlugin.description.length).toBeGreaterThan(20);
  });

  it('reads the sample events through the JSONPaths file: 8056 rows, 286 without user id', async () => {
    const events = await create({ path: 'log_data', jsonPaths: 'log_json_path.json', timeFormat: 'epochmillisecs' });
    const description = await events.describe();
    expect(description).toMatchObject({
      location: pathToFileURL(path.join(SAMPLE, 'log_data')).href,
      scheme: 'file',
      mapping: { mode: 'jsonpaths', uri: pathToFileURL(path.join(SAMPLE, 'log_json_path.json')).href },
      timeFormat: 'epochmillisecs',
      store: { root: SAMPLE, prefix: 'log_data' },
      warnings: [],
    });
    expect(description.objects).toHaveLength(30);
    expect(description.objects[0]).toMatchObject({ key: 'log_data/2018/11/2018-11-01-events.json', compression: 'none' });
    const result = await count(events);
    expect(result.rows).toBe(8056);
    expect(result.nullAt(stagingEvents.columns.findIndex((c) => c.name === 'user_id'))).toBe(286);
  });

  it('reads the sample songs with auto: 71 rows', async () => {
    const songs = await create({ path: 'song_data' });
    expect((await songs.describe()).mapping).toEqual({ mode: 'auto' });
    expect((await count(songs, stagingSongs.columns)).rows).toBe(71);
  });

  it('treats the path as an S3 prefix: log_data also matches log_data_old/, and says so', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'source-fs-plugin-'));
    try {
      await writeFiles(base, {
        'data/log_data/a.json': '{"user_id": "1"}\n',
        'data/log_data_old/b.json': '{"user_id": "2"}\n',
        'data/log_data.bak': '{"user_id": "3"}\n',
      });
      const events = await create({ path: 'data/log_data' }, base);
      const description = await events.describe();
      expect(description.objects.map((o) => o.key)).toEqual(['log_data.bak', 'log_data/a.json', 'log_data_old/b.json']);
      expect(description.warnings).toEqual([expect.stringMatching(/also matches log_data\.bak \(1 object\), log_data_old\/ \(1 object\)/)]);
      const pathsInside = await create({ path: 'data/log_data', jsonPaths: 'data/log_data/paths.json' }, base);
      await writeFiles(base, { 'data/log_data/paths.json': '{"jsonpaths": ["$.user_id"]}' });
      expect((await pathsInside.describe()).warnings).toContainEqual(
        `the JSONPaths file ${pathToFileURL(path.join(base, 'data/log_data/paths.json')).href} lies under the data prefix ${pathToFileURL(path.join(base, 'data/log_data')).href}: COPY reads it as a data file too (its object is loaded as a record); move it out of the prefix`,
      );
      const onlyFolder = await create({ path: 'data/log_data/' }, base);
      expect((await onlyFolder.describe()).objects.map((o) => o.key)).toEqual(['log_data/a.json', 'log_data/paths.json']);
      const nothing = await create({ path: 'data/nothing' }, base);
      await expect(nothing.describe()).rejects.toThrow(`no files match ${pathToFileURL(path.join(base, 'data', 'nothing')).href}`);
      const missing = await create({ path: 'missing/log_data' }, base);
      await expect(missing.describe()).rejects.toMatchObject({
        kind: 'input',
        message: `no such folder: ${path.join(base, 'missing')}`,
        location: { file: path.join(base, 'missing'), configPath: 'resources.events.with.path' },
      });
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('sourceFsConfigSchema', () => {
  it('fills defaults', () => {
    expect(sourceFsConfigSchema.parse({ path: 'x' })).toEqual({ path: 'x', timeFormat: 'auto', concurrency: 4 });
  });

  it('rejects unknown keys, bad values, and format beside jsonPaths, with paths', () => {
    const issues = (config: unknown) => sourceFsConfigSchema.safeParse(config).error?.issues.map((i) => [i.path.join('.'), i.code]);
    expect(issues({ path: 'x', bucket: 'b' })).toEqual([['', 'unrecognized_keys']]);
    expect(issues({ path: '' })).toEqual([['path', 'too_small']]);
    expect(issues({ path: 'x', format: 'jsonpaths' })).toEqual([['format', 'invalid_value']]);
    expect(issues({ path: 'x', timeFormat: 'epochmicrosecs' })).toEqual([['timeFormat', 'invalid_value']]);
    expect(issues({ path: 'x', concurrency: 0 })).toEqual([['concurrency', 'too_small']]);
    expect(issues({ path: 'x', jsonPaths: 'p.json', format: 'auto' })).toEqual([['format', 'custom']]);
  });

  it('documents every field', () => {
    const schema = z.toJSONSchema(sourceFsConfigSchema, { io: 'input' }) as { properties: Record<string, { description?: string }>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(['path', 'jsonPaths', 'format', 'timeFormat', 'concurrency']);
    for (const property of Object.values(schema.properties)) expect(property.description).toBeTruthy();
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('splitPrefixPath', () => {
  it('splits a path into the store root (its folder) and the prefix (its last segment)', () => {
    expect(splitPrefixPath('/data/log_data', 'data/log_data')).toEqual({ root: '/data', prefix: 'log_data' });
    expect(splitPrefixPath('/data/log_data', 'data/log_data/')).toEqual({ root: '/data', prefix: 'log_data/' });
    expect(splitPrefixPath('/data/x.json', './x.json')).toEqual({ root: '/data', prefix: 'x.json' });
    expect(splitPrefixPath('/', '/')).toEqual({ root: '/', prefix: '' });
  });
});
