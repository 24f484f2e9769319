import { z } from 'zod';
import { ConfigError } from '../errors/pipeline-error.js';
import { defineTable } from '../model/table-spec.js';
import { defineSinkPlugin, defineSourcePlugin, defineStepPlugin } from '../plugins/plugin.js';
import { loadPipeline } from './load-pipeline.js';
import { PluginRegistry } from './plugin-registry.js';

// Plugins that exist only to exercise config validation; nothing here is instantiated.
const unused = (): never => {
  throw new Error('not instantiated in these tests');
};
const folderSource = defineSourcePlugin({
  id: 'test.folder',
  kind: 'source',
  description: 'test source',
  configSchema: z.object({ path: z.string() }).strict(),
  create: unused,
});
const memorySink = defineSinkPlugin({
  id: 'test.memory',
  kind: 'sink',
  description: 'test sink',
  configSchema: z.object({ password: z.string().optional() }).strict(),
  secretKeys: ['password'],
  create: unused,
});
const copyStep = defineStepPlugin({
  id: 'test.copy',
  kind: 'step',
  description: 'test step',
  configSchema: z.object({ source: z.string(), sink: z.string(), table: z.string(), limit: z.number().int().default(10) }).strict(),
  uses: { source: 'source', sink: 'sink' },
  create: unused,
});
const catalog = {
  id: 'music',
  description: 'test catalog',
  tables: [defineTable({ name: 'plays', columns: [{ name: 'id', type: 'integer' }] })],
  transforms: [],
  checks: [],
};
const registry = new PluginRegistry([folderSource, memorySink, copyStep], [catalog]);

function pipeline(overrides: Record<string, unknown> = {}) {
  return {
    name: 'demo',
    catalog: 'music',
    params: { data: { type: 'path', default: 'data' }, limit: { type: 'integer', default: 5 } },
    resources: {
      files: { use: 'test.folder', with: { path: '${param:data}/x' } },
      db: { use: 'test.memory' },
    },
    steps: [
      { id: 'first', use: 'test.copy', with: { source: 'files', sink: 'db', table: 'plays', limit: '${param:limit}' } },
      { id: 'second', use: 'test.copy', after: ['first'], with: { source: 'files', sink: 'db', table: 'plays' } },
    ],
    ...overrides,
  };
}

const load = (data: unknown, params: Record<string, string> = {}) =>
  loadPipeline(data, { registry, file: '/repo/pipelines/demo.json', cwd: '/home/me', params, env: {} });

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPipeline', () => {
  it('validates plugin configs with params substituted and typed', () => {
    const loaded = load(pipeline());
    expect(loaded.resources.get('files')!.config).toEqual({ path: '/repo/pipelines/data/x' });
    expect(loaded.steps[0]!.config).toMatchObject({ limit: 5 });
    expect(loaded.steps[1]!.config).toMatchObject({ limit: 10 });
    expect(loaded.order).toEqual(['first', 'second']);
    expect(loaded.catalog.tables.map((t) => t.name)).toEqual(['plays']);
  });

  it.each([
    ['an unknown step plugin', { steps: [{ id: 'a', use: 'test.cpy', with: {} }] }, 'steps[0].use', /unknown step plugin "test.cpy"; did you mean "test.copy"\?/],
    ['an unknown resource plugin', { resources: { files: { use: 'test.foldr', with: {} } } }, 'resources.files.use', /unknown source or sink plugin "test.foldr"; did you mean "test.folder"\?/],
    [
      'a misspelt key in a step config',
      { steps: [{ id: 'a', use: 'test.copy', with: { source: 'files', sink: 'db', table: 'plays', limt: 3 } }] },
      'steps[0].with.limt',
      /steps\[0\]\.with\.limt: unknown key "limt"/,
    ],
    [
      'a wrong type in a step config',
      { steps: [{ id: 'a', use: 'test.copy', with: { source: 'files', sink: 'db', table: 'plays', limit: 'x' } }] },
      'steps[0].with.limit',
      /steps\[0\]\.with\.limit: /,
    ],
    [
      'an unknown resource',
      { steps: [{ id: 'a', use: 'test.copy', with: { source: 'nope', sink: 'db', table: 'plays' } }] },
      'steps[0].with.source',
      /steps\[0\]\.with\.source: unknown source "nope"; sources declared under "resources": files/,
    ],
    [
      'a resource of the wrong kind',
      { steps: [{ id: 'a', use: 'test.copy', with: { source: 'db', sink: 'db', table: 'plays' } }] },
      'steps[0].with.source',
      /resource "db" is a sink, this step needs a source/,
    ],
    [
      'an unknown param',
      { resources: { files: { use: 'test.folder', with: { path: '${param:dta}' } }, db: { use: 'test.memory' } } },
      'resources.files.with.path',
      /unknown param "dta"; did you mean "data"\?/,
    ],
    [
      'a cycle',
      {
        steps: [
          { id: 'a', use: 'test.copy', after: ['b'], with: { source: 'files', sink: 'db', table: 'plays' } },
          { id: 'b', use: 'test.copy', after: ['a'], with: { source: 'files', sink: 'db', table: 'plays' } },
        ],
      },
      'steps[0].after',
      /cycle: /,
    ],
    ['an unknown catalog', { catalog: 'musik' }, 'catalog', /unknown catalog "musik"; did you mean "music"\?/],
    ['a top-level typo', { stpes: [] }, 'stpes', /unknown key "stpes"/],
    ['no steps', { steps: [] }, 'steps', /at least one step/],
  ])('names the path of %s', (_case, overrides, configPath, message) => {
    const error = errorOf(() => load(pipeline(overrides)));
    expect(error.message).toMatch(message);
    expect(error.location.configPath).toBe(configPath);
  });

  it('redacts the values of the keys a plugin marks secret, even when written inline', () => {
    const data = pipeline();
    (data.resources as Record<string, unknown>)['db'] = { use: 'test.memory', with: { password: 'inline-pa55word' } };
    expect(load(data).params.secrets.has('inline-pa55word')).toBe(true);
  });

  it('rejects an override of an undeclared param, naming it', () => {
    expect(errorOf(() => load(pipeline(), { dataa: 'x' })).message).toMatch(/--param dataa: the pipeline declares no param "dataa"; did you mean "data"\?/);
  });
});
