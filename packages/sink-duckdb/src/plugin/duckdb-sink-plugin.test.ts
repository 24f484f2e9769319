import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginContext, Sink } from '@sparkify/core';
import { z } from 'zod';
import { DuckDbSink } from '../sink/duckdb-sink.js';
import { duckdbSinkPlugin } from './duckdb-sink-plugin.js';

describe('duckdbSinkPlugin', () => {
  let dir: string;
  const created: Sink[] = [];
  const context = (): PluginContext => ({
    // The plugin resolves nothing from the container.
    container: {} as PluginContext['container'],
    resolvePath: (path) => join(dir, path),
    configPath: 'resources.warehouse.with',
  });
  const create = async (input: unknown) => {
    const sink = await duckdbSinkPlugin.create(duckdbSinkPlugin.configSchema.parse(input), context());
    created.push(sink);
    return sink;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sink-duckdb-plugin-'));
  });
  afterEach(async () => {
    await Promise.all(created.splice(0).map((sink) => sink.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('is the duckdb sink', () => {
    expect(duckdbSinkPlugin).toMatchObject({ id: 'duckdb', kind: 'sink' });
  });

  it('defaults the memory limit and rejects unknown keys and bad values', () => {
    const schema = duckdbSinkPlugin.configSchema;
    expect(schema.parse({ path: 'w.duckdb' })).toEqual({ path: 'w.duckdb', memoryLimit: '600MB', atomicity: 'copy' });
    expect(schema.safeParse({ path: 'w.duckdb', memory: '1GB' }).success).toBe(false);
    expect(schema.safeParse({ path: 'w.duckdb', memoryLimit: 'lots' }).success).toBe(false);
    expect(schema.safeParse({ path: 'w.duckdb', threads: 0 }).success).toBe(false);
    expect(schema.safeParse({ path: 'w.duckdb', atomicity: 'none' }).success).toBe(false);
    expect(schema.safeParse({ path: '' }).success).toBe(false);
  });

  it('describes every field', () => {
    const json = z.toJSONSchema(duckdbSinkPlugin.configSchema as z.ZodType, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(json.properties)).toEqual(['path', 'memoryLimit', 'threads', 'atomicity']);
    for (const field of Object.values(json.properties)) expect(field.description).toEqual(expect.any(String));
    expect(json.additionalProperties).toBe(false);
  });

  it('resolves the path against the pipeline file and opens nothing until first use', async () => {
    const sink = await create({ path: 'warehouse.duckdb', threads: 1 });
    expect(sink).toBeInstanceOf(DuckDbSink);
    expect((sink as DuckDbSink).path).toBe(join(dir, 'warehouse.duckdb'));
    expect(existsSync(join(dir, 'warehouse.duckdb'))).toBe(false);
    await sink.healthCheck();
    expect(existsSync(join(dir, 'warehouse.duckdb'))).toBe(true);
  });

  it('keeps :memory: as it is', async () => {
    const sink = await create({ path: ':memory:' });
    expect((sink as DuckDbSink).path).toBe(':memory:');
    await sink.healthCheck();
  });

  it('names the config path when the folder is missing', async () => {
    const sink = await create({ path: 'nowhere/warehouse.duckdb' });
    await expect(sink.healthCheck()).rejects.toMatchObject({
      kind: 'config',
      location: { configPath: 'resources.warehouse.with.path', file: join(dir, 'nowhere/warehouse.duckdb') },
    });
  });
});
