import 'reflect-metadata';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  corePlugins,
  defineSinkPlugin,
  EventBus,
  loadPipeline,
  planPipeline,
  PluginRegistry,
  registerPlugins,
  runPipeline,
  TOKENS,
  type PipelineError,
  type RunEvent,
  type Sink,
  type TableSpecInput,
} from '@sparkify/core';
import { recordingSink } from '@sparkify/core/testing';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import { inMemoryDuckDbSink } from '@sparkify/sink-duckdb/testing';
import { RedshiftSink } from '@sparkify/sink-redshift';
import { EMULATOR_TARGET, ImmediatePollClock } from '@sparkify/sink-redshift/testing';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { exportCsvPlugin } from './export-csv-plugin.js';

// ---------------------------------------------------------------------------------------------
// The warehouses every case runs on (kysely's test-setup pattern): one factory each, and the
// cases a warehouse cannot meet, skipped by name with the reason.

let emulator: RedshiftEmulator | undefined;
afterAll(() => emulator?.close());

interface Warehouse {
  name: string;
  /** A fresh connection; each run of a test pipeline opens its own and the engine closes it. */
  sink(): Sink;
  skip?: Readonly<Record<string, string>>;
}

const WAREHOUSES: readonly Warehouse[] = [
  {
    name: 'DuckDB in memory',
    sink: () => inMemoryDuckDbSink(),
    skip: { 'names a column a query repeats': 'DuckDB renames a repeated column itself (play_id, play_id_1), so nothing is lost' },
  },
  {
    name: 'Redshift over the in-process emulator',
    sink: () =>
      new RedshiftSink({
        port: createEmulatorClient((emulator ??= new RedshiftEmulator({}))),
        target: EMULATOR_TARGET,
        clock: new ImmediatePollClock(),
      }),
  },
];

// ---------------------------------------------------------------------------------------------
// A pipeline that composes the core steps with export.csv: create the tables declared inline,
// fill them with portable SQL, export.

const TABLES: TableSpecInput[] = [
  { name: 'staging_plays', columns: [{ name: 'raw', type: 'varchar(256)' }] },
  {
    name: 'plays',
    columns: [
      { name: 'play_id', type: 'integer', nullable: false },
      { name: 'title', type: 'varchar(256)' },
      { name: 'played_at', type: 'timestamp' },
      { name: 'length', type: 'double precision' },
      { name: 'listeners', type: 'bigint' },
      { name: 'paid', type: 'boolean' },
      { name: 'price', type: 'decimal(8,2)' },
    ],
    primaryKey: ['play_id'],
  },
  { name: 'artists', columns: [{ name: 'name', type: 'varchar(256)' }, { name: 'country', type: 'varchar(64)' }] },
];

/** Inserted out of order, so the files prove the export orders them. */
const FILL = [
  `INSERT INTO plays VALUES
    (3, 'Hey, Jude', '2018-11-01 21:01:46.796', 215.5, 42, TRUE, 1.50),
    (7, '  padded  ', '2018-11-03 10:00:00.5', 3, 1, FALSE, 10),
    (1, 'the "best" one', '2018-11-02 00:00:00', 0.1, 9000000000, FALSE, 0),
    (2, 'one
two', NULL, NULL, NULL, NULL, NULL),
    (5, '', '1970-01-01 00:00:00.000001', -1234.5678, 0, TRUE, -0.5),
    (4, NULL, '2018-11-30 00:22:07', 1e-7, 7, TRUE, 99.99),
    (6, 'Sigur Rós 🎵 東京', '2018-11-04 12:00:00', 1, 1, FALSE, 1)`,
  `INSERT INTO plays VALUES (8, 'carriage' || CHR(13) || 'return' || CHR(13) || CHR(10) || 'crlf', NULL, NULL, NULL, NULL, NULL)`,
  `INSERT INTO artists VALUES ('Radiohead, UK', NULL), ('Ólafur Arnalds', 'IS'), ('Björk', 'IS')`,
];

const PLAYS_CSV = [
  'play_id,title,played_at,length,listeners,paid,price',
  '1,"the ""best"" one",2018-11-02 00:00:00,0.1,9000000000,false,0.00',
  '2,"one\ntwo",,,,,',
  '3,"Hey, Jude",2018-11-01 21:01:46.796,215.5,42,true,1.50',
  '4,,2018-11-30 00:22:07,1e-7,7,true,99.99',
  '5,"",1970-01-01 00:00:00.000001,-1234.5678,0,true,-0.50',
  '6,Sigur Rós 🎵 東京,2018-11-04 12:00:00,1,1,false,1.00',
  '7,  padded  ,2018-11-03 10:00:00.5,3,1,false,10.00',
  '8,"carriage\rreturn\r\ncrlf",,,,,',
  '',
].join('\r\n');

/** Binary UTF-8 order on every sink: "Ó" (C3 93) after "R". */
const ARTISTS_CSV = ['name,country', 'Björk,IS', '"Radiohead, UK",', 'Ólafur Arnalds,IS', ''].join('\r\n');

function pipeline(exportWith: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'export-test',
    tables: TABLES,
    resources: { warehouse: { use: 'test.warehouse' } },
    steps: [
      { id: 'create', use: 'warehouse.create-tables', with: { sink: 'warehouse' } },
      { id: 'fill', use: 'warehouse.transform', after: ['create'], with: { sink: 'warehouse', sql: FILL } },
      { id: 'export', use: 'export.csv', after: ['fill'], with: { sink: 'warehouse', outDir: 'out', ...exportWith } },
    ],
  };
}

/** A composition root for tests: the core steps, export.csv, and a sink plugin for the warehouse under test. */
function compose(sink: () => Sink): DependencyContainer {
  const container = rootContainer.createChildContainer();
  const warehouse = defineSinkPlugin({
    id: 'test.warehouse',
    kind: 'sink',
    description: 'the warehouse under test',
    configSchema: z.object({}).strict(),
    create: () => sink(),
  });
  registerPlugins(container, [...corePlugins, exportCsvPlugin, warehouse]);
  return container;
}

function load(container: DependencyContainer, data: Record<string, unknown>, dir: string) {
  const registry = new PluginRegistry(container.resolveAll(TOKENS.Plugin));
  return loadPipeline(data, { registry, file: join(dir, 'pipeline.json'), env: {} });
}

interface Run {
  error?: PipelineError;
  events: RunEvent[];
}

async function run(sink: () => Sink, data: Record<string, unknown>, dir: string, options: { onEvent?: (event: RunEvent) => void; signal?: AbortSignal } = {}): Promise<Run> {
  const container = compose(sink);
  const events = new EventBus();
  const seen: RunEvent[] = [];
  events.subscribe((event) => {
    seen.push(event);
    options.onEvent?.(event);
  });
  const outcome = await runPipeline(load(container, data, dir), { container, events, ...(options.signal ? { signal: options.signal } : {}) });
  return { ...(outcome.error ? { error: outcome.error } : {}), events: seen };
}

const read = (dir: string, name: string) => readFile(join(dir, 'out', name), 'utf8');
const exportedFiles = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'step.statement' && e.step === 'export' ? [{ label: e.label, rows: e.rowsAffected }] : []));

// ---------------------------------------------------------------------------------------------
// The cases, once per warehouse.

for (const warehouse of WAREHOUSES) {
  describe(`export.csv on ${warehouse.name}`, () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'export-csv-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const test = (name: string, body: () => Promise<void>) => {
      const reason = warehouse.skip?.[name];
      if (reason) it.skip(`${name} [skipped: ${reason}]`, () => undefined);
      else it(name, body);
    };

    test('exports the star schema by default: every catalog table but staging_*, header first, RFC 4180 quoting', async () => {
      const outcome = await run(warehouse.sink, pipeline({}), dir);
      expect(outcome.error).toBeUndefined();
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['artists.csv', 'plays.csv']);
      expect(await read(dir, 'plays.csv')).toBe(PLAYS_CSV);
      expect(await read(dir, 'artists.csv')).toBe(ARTISTS_CSV);
      expect(exportedFiles(outcome.events)).toEqual([
        { label: `export plays to ${join(dir, 'out', 'plays.csv')}`, rows: 8 },
        { label: `export artists to ${join(dir, 'out', 'artists.csv')}`, rows: 3 },
      ]);
    });

    test('writes the named tables, with another delimiter and without a header', async () => {
      const outcome = await run(warehouse.sink, pipeline({ tables: ['artists'], delimiter: ';', header: false }), dir);
      expect(outcome.error).toBeUndefined();
      expect(await readdir(join(dir, 'out'))).toEqual(['artists.csv']);
      expect(await read(dir, 'artists.csv')).toBe(['Björk;IS', 'Radiohead, UK;', 'Ólafur Arnalds;IS', ''].join('\r\n'));
    });

    test('writes an empty table as its header alone', async () => {
      expect((await run(warehouse.sink, pipeline({ tables: ['staging_plays'] }), dir)).error).toBeUndefined();
      expect(await read(dir, 'staging_plays.csv')).toBe('raw\r\n');
    });

    test('reads in ordered pages of pageRows, one page in memory at a time, and reports the progress', async () => {
      const queries: string[] = [];
      const outcome = await run(() => recordingSink(warehouse.sink(), queries), pipeline({ pageRows: 3 }), dir);
      expect(outcome.error).toBeUndefined();
      expect(await read(dir, 'plays.csv')).toBe(PLAYS_CSV);
      expect(await read(dir, 'artists.csv')).toBe(ARTISTS_CSV);
      const pages = queries.filter((sql) => / LIMIT \d+ OFFSET \d+$/.test(sql)).map((sql) => sql.replace(/^.* FROM ("\w+") .*( LIMIT.*)$/, '$1$2'));
      // 8 rows: 3 + 3 + 2; 3 rows: a full page, then an empty one that ends it.
      expect(pages).toEqual(['"plays" LIMIT 3 OFFSET 0', '"plays" LIMIT 3 OFFSET 3', '"plays" LIMIT 3 OFFSET 6', '"artists" LIMIT 3 OFFSET 0', '"artists" LIMIT 3 OFFSET 3']);
      const progress = outcome.events.flatMap((e) => (e.type === 'step.progress' && e.step === 'export' ? [e.progress] : []));
      expect(progress.map((p) => [p.objectsDone, p.objectsTotal, p.rowsRead])).toEqual([
        [0, 2, 3],
        [0, 2, 6],
        [0, 2, 8],
        [1, 2, 11],
        [1, 2, 11],
      ]);
      expect(progress.at(-1)?.bytesDone).toBe(Buffer.byteLength(PLAYS_CSV) + Buffer.byteLength(ARTISTS_CSV));
    });

    test('exports named queries instead of tables, ordered by every column', async () => {
      const outcome = await run(
        warehouse.sink,
        pipeline({
          query: {
            paid_titles: 'SELECT title, price FROM plays WHERE paid;',
            plays_by_tier: 'SELECT paid, COUNT(*) AS plays FROM plays GROUP BY paid -- NULL sorts last',
          },
          pageRows: 2,
        }),
        dir,
      );
      expect(outcome.error).toBeUndefined();
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['paid_titles.csv', 'plays_by_tier.csv']);
      expect(await read(dir, 'paid_titles.csv')).toBe(['title,price', '"",-0.50', '"Hey, Jude",1.50', ',99.99', ''].join('\r\n'));
      expect(await read(dir, 'plays_by_tier.csv')).toBe(['paid,plays', 'false,3', 'true,3', ',2', ''].join('\r\n'));
    });

    test('names a column a query repeats', async () => {
      const outcome = await run(warehouse.sink, pipeline({ query: { twice: 'SELECT play_id, play_id FROM plays' } }), dir);
      expect(outcome.error).toMatchObject({ kind: 'config', location: { configPath: 'steps[2].with.query.twice' } });
      expect(outcome.error?.message).toContain('two columns named "play_id"');
    });

    test('leaves no file, and an older file as it was, when a page fails midway', async () => {
      await writeFile(join(dir, 'plays.csv'), 'old');
      const outcome = await run(() => recordingSink(warehouse.sink(), [], /FROM "plays" .* OFFSET 4$/), pipeline({ pageRows: 2, outDir: '.' }), dir);
      expect(outcome.error).toMatchObject({ kind: 'warehouse', message: 'injected failure' });
      expect(await readdir(dir)).toEqual(['plays.csv']);
      expect(await readFile(join(dir, 'plays.csv'), 'utf8')).toBe('old');
    });

    test('publishes no file when a later file fails: the folder changes all at once or not at all', async () => {
      const outcome = await run(() => recordingSink(warehouse.sink(), [], /FROM "artists"/), pipeline({}), dir);
      expect(outcome.error).toMatchObject({ kind: 'warehouse' });
      expect(await readdir(join(dir, 'out'))).toEqual([]);
    });

    test('stops between pages when the run is cancelled, leaving no file', async () => {
      const controller = new AbortController();
      const outcome = await run(warehouse.sink, pipeline({ pageRows: 2 }), dir, {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'step.progress' && event.step === 'export') controller.abort();
        },
      });
      expect(outcome.error).toMatchObject({ kind: 'cancelled' });
      expect(await readdir(join(dir, 'out'))).toEqual([]);
    });

    test('says which outDir cannot be written', async () => {
      await writeFile(join(dir, 'taken'), 'a file, not a folder');
      const outcome = await run(warehouse.sink, pipeline({ outDir: 'taken' }), dir);
      expect(outcome.error).toMatchObject({ kind: 'config', location: { configPath: 'steps[2].with.outDir', file: join(dir, 'taken') } });
      expect(outcome.error?.message).toContain('EEXIST');
    });

    test('plans the page queries without running them', async () => {
      const container = compose(warehouse.sink);
      const planned = await planPipeline(load(container, pipeline({ pageRows: 10, query: { titles: 'SELECT title FROM plays' } }), dir), container);
      const exported = planned.find((step) => step.id === 'export')!;
      expect(exported.description).toBe(`export titles from warehouse to ${join(dir, 'out')}`);
      expect(exported.actions).toEqual([
        {
          resource: 'warehouse',
          description: `export query titles to ${join(dir, 'out', 'titles.csv')}: its columns first, then pages of 10 rows ordered by every column (ORDER BY 1, 2, … n)`,
          sql: ['SELECT * FROM (\nSELECT title FROM plays\n) AS "export_query" LIMIT 0'],
        },
      ]);
      const tables = await planPipeline(load(container, pipeline({ tables: ['plays'] }), dir), container);
      expect(tables.find((step) => step.id === 'export')!.actions[0]!.sql).toEqual([
        'SELECT "play_id", "title", "played_at", "length", "listeners", "paid", "price" FROM "plays" ORDER BY "play_id", "title", "played_at", "length", "listeners", "paid", "price" LIMIT 50000 OFFSET 0',
      ]);
      await expect(readdir(join(dir, 'out'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Config errors: offline, with the path of the field.

describe('export.csv config', () => {
  const dir = tmpdir();
  const loadError = (exportWith: Record<string, unknown>) => {
    try {
      load(compose(() => inMemoryDuckDbSink()), pipeline(exportWith), dir);
    } catch (error) {
      return error as { kind: string; message: string; location: { configPath?: string } };
    }
    throw new Error('expected a config error');
  };

  it.each([
    ['an unknown key', { delimeter: ';' }, 'steps[2].with.delimeter', 'unknown key "delimeter"'],
    ['a delimiter of two characters', { delimiter: ',,' }, 'steps[2].with.delimiter', 'expected exactly one character'],
    ['no delimiter', { delimiter: '' }, 'steps[2].with.delimiter', 'expected exactly one character'],
    ['a quote as delimiter', { delimiter: '"' }, 'steps[2].with.delimiter', 'a double quote, CR or LF cannot separate fields'],
    ['tables and query at once', { tables: ['plays'], query: { x: 'SELECT 1' } }, 'steps[2].with.query', 'give `tables` or `query`, not both'],
    ['an empty query map', { query: {} }, 'steps[2].with.query', 'name at least one query'],
    ['a query name that is no file name', { query: { 'Top Songs': 'SELECT 1' } }, 'steps[2].with.query["Top Songs"]', 'lower-case SQL identifier'],
    ['no page', { pageRows: 0 }, 'steps[2].with.pageRows', 'Too small'],
    ['a missing outDir', { outDir: undefined }, 'steps[2].with.outDir', 'expected string'],
    ['a sink that is not declared', { sink: 'nowhere' }, 'steps[2].with.sink', 'unknown sink "nowhere"'],
  ])('rejects %s at its path', (_name, exportWith, configPath, message) => {
    const error = loadError(exportWith);
    expect(error).toMatchObject({ kind: 'config', location: { configPath } });
    expect(error.message).toContain(message);
  });

  it('rejects an unknown or repeated table when the step is created (validate, plan, run), suggesting the closest', async () => {
    const container = compose(() => inMemoryDuckDbSink());
    const plan = (tables: string[]) => planPipeline(load(container, pipeline({ tables }), dir), container);
    await expect(plan(['plays', 'artist'])).rejects.toMatchObject({
      kind: 'config',
      message: 'steps[2].with.tables[1]: unknown table "artist"; did you mean "artists"?',
      location: { configPath: 'steps[2].with.tables[1]' },
    });
    await expect(plan(['plays', 'plays'])).rejects.toMatchObject({ kind: 'config', location: { configPath: 'steps[2].with.tables[1]' } });
  });

  it('fills defaults and documents every field', () => {
    expect(exportCsvPlugin.configSchema.parse({ sink: 'w', outDir: 'out' })).toEqual({ sink: 'w', outDir: 'out', header: true, delimiter: ',', pageRows: 50000 });
    const schema = z.toJSONSchema(exportCsvPlugin.configSchema as z.ZodType, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(['sink', 'tables', 'query', 'outDir', 'header', 'delimiter', 'pageRows']);
    for (const property of Object.values(schema.properties)) expect(property.description).toEqual(expect.any(String));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['sink', 'outDir']);
    expect(schema.properties['delimiter']).toMatchObject({ minLength: 1, maxLength: 1 });
  });
});
