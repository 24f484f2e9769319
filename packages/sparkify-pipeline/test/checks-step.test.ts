import 'reflect-metadata';
import {
  CheckFailedError,
  checksStepPlugin,
  defineTable,
  emptyCatalog,
  EventBus,
  TOKENS,
  WarehouseError,
  type CheckOutcome,
  type CheckSpecInput,
  type Sink,
} from '@sparkify/core';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import { inMemoryDuckDbSink } from '@sparkify/sink-duckdb/testing';
import { RedshiftSink } from '@sparkify/sink-redshift';
import { EMULATOR_TARGET, ImmediatePollClock } from '@sparkify/sink-redshift/testing';
import { recordingSink } from '@sparkify/core/testing';
import { container as rootContainer } from 'tsyringe';

// The checks step on both warehouses: the verdicts, and how many statements reached the sink
// (the checks' queries go together in one; a statement that cannot be batched runs alone).

let emulator: RedshiftEmulator | undefined;
afterAll(() => emulator?.close());

const WAREHOUSES: readonly { name: string; sink(): Sink }[] = [
  { name: 'DuckDB in memory', sink: () => inMemoryDuckDbSink() },
  {
    name: 'Redshift over the in-process emulator',
    sink: () => new RedshiftSink({ port: createEmulatorClient((emulator ??= new RedshiftEmulator({}))), target: EMULATOR_TARGET, clock: new ImmediatePollClock() }),
  },
];

const TABLES = [
  defineTable({ name: 'artists', columns: [{ name: 'artist_id', type: 'varchar(32)', nullable: false }, { name: 'name', type: 'varchar(64)' }] }),
  defineTable({ name: 'plays', columns: [{ name: 'play_id', type: 'integer', nullable: false }, { name: 'artist_id', type: 'varchar(32)' }] }),
];

describe.each(WAREHOUSES)('the checks step on $name', (warehouse) => {
  let sink: Sink;
  beforeEach(async () => {
    sink = warehouse.sink();
    for (const table of TABLES) {
      await sink.execute(`DROP TABLE IF EXISTS ${table.name}`);
      await sink.execute(sink.dialect.renderCreateTable(table));
    }
    await sink.execute("INSERT INTO artists VALUES ('a1', 'One'), ('a2', 'Two')");
  });
  afterEach(() => sink.close());

  async function runChecks(checks: CheckSpecInput[], queries: string[] = [], failOn?: RegExp): Promise<{ outcomes: CheckOutcome[]; error?: unknown }> {
    const container = rootContainer.createChildContainer();
    container.registerInstance(TOKENS.PipelineCatalog, { ...emptyCatalog(), tables: TABLES });
    const step = await checksStepPlugin.create(checksStepPlugin.configSchema.parse({ sink: 'warehouse', catalog: false, checks }), {
      container,
      resolvePath: (path) => path,
      configPath: 'steps[0].with',
    });
    const outcomes: CheckOutcome[] = [];
    const target = recordingSink(sink, queries, failOn);
    try {
      await step.run({
        stepId: 'checks',
        signal: new AbortController().signal,
        events: new EventBus(),
        source: () => {
          throw new Error('no sources here');
        },
        sink: () => target,
        recordLoad: () => undefined,
        recordCheck: (outcome) => outcomes.push(outcome),
        warn: () => undefined,
      });
      return { outcomes };
    } catch (error) {
      return { outcomes, error };
    }
  }

  const CHECKS: CheckSpecInput[] = [
    { kind: 'not-empty', table: 'artists' },
    { kind: 'unique', table: 'plays', columns: ['play_id'] },
    { kind: 'not-null', table: 'plays', columns: ['artist_id'] },
    { kind: 'foreign-key', table: 'plays', column: 'artist_id', references: { table: 'artists', column: 'artist_id' } },
    { kind: 'equal-counts', name: 'plays of a1 = artists', left: "SELECT COUNT(*) FROM plays WHERE artist_id = 'a1'", right: 'SELECT COUNT(*) FROM artists' },
    { kind: 'metric', name: 'plays with an artist', sql: 'SELECT COUNT(artist_id) FROM plays' },
    { kind: 'metric', name: 'plays, counted with a comment', sql: 'SELECT COUNT(*) FROM plays -- every play' },
  ];

  it('passes clean data, asking every query in one statement', async () => {
    await sink.execute("INSERT INTO plays VALUES (1, 'a1'), (2, 'a1'), (3, 'a2')");
    const queries: string[] = [];
    const { outcomes, error } = await runChecks(CHECKS, queries);
    expect(error).toBeUndefined();
    expect(outcomes.map((o) => [o.name, o.passed, o.detail])).toEqual([
      ['artists not empty', true, '2 rows'],
      ['plays(play_id) unique', true, '0 duplicated keys'],
      ['plays(artist_id) not null', true, '0 rows with NULL'],
      ['plays.artist_id found in artists.artist_id', true, '0 rows without a match'],
      ['plays of a1 = artists', true, '2 = 2'],
      ['plays with an artist', true, '3'],
      ['plays, counted with a comment', true, '3'],
    ]);
    expect(queries).toHaveLength(1);
  });

  it('fails with every failed check named and counted, each count from its own query', async () => {
    await sink.execute("INSERT INTO plays VALUES (1, 'a1'), (1, 'a3'), (2, NULL), (2, 'a9'), (3, 'a9')");
    const { outcomes, error } = await runChecks(CHECKS);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as Error).message).toMatch(/^4 of 7 checks failed: plays\(play_id\) unique \(2 duplicated keys\); plays\(artist_id\) not null \(1 row with NULL\); /);
    expect(outcomes.filter((o) => !o.passed).map((o) => [o.name, o.detail])).toEqual([
      ['plays(play_id) unique', '2 duplicated keys'],
      ['plays(artist_id) not null', '1 row with NULL'],
      ['plays.artist_id found in artists.artist_id', '3 rows without a match'],
      ['plays of a1 = artists', '1 ≠ 2'],
    ]);
    expect(outcomes.find((o) => o.name === 'plays with an artist')).toMatchObject({ passed: true, detail: '4' });
  });

  it('a foreign key counts referencing rows without a match: once each, NULLs not counted, a key referenced twice no more than once', async () => {
    await sink.execute("INSERT INTO artists VALUES ('a1', 'One again')");
    await sink.execute("INSERT INTO plays VALUES (1, 'a1'), (2, 'a1'), (3, 'a2'), (4, NULL), (5, 'zz'), (6, 'zz'), (7, 'A1')");
    const { outcomes } = await runChecks([{ kind: 'foreign-key', table: 'plays', column: 'artist_id', references: { table: 'artists', column: 'artist_id' } }]);
    expect(outcomes.map((o) => [o.passed, o.detail])).toEqual([[false, '3 rows without a match']]);
  });

  it('a declared query that cannot be a subquery (two rows) makes the checks run one by one, as before: its first row counts', async () => {
    await sink.execute("INSERT INTO plays VALUES (1, 'a1')");
    const queries: string[] = [];
    const { outcomes, error } = await runChecks(
      [{ kind: 'not-empty', table: 'plays' }, { kind: 'metric', name: 'first of two', sql: 'SELECT play_id FROM plays UNION ALL SELECT 7 ORDER BY 1' }],
      queries,
    );
    expect(error).toBeUndefined();
    expect(outcomes.map((o) => o.detail)).toEqual(['1 rows', '1']);
    expect(queries).toHaveLength(3);
  });

  it('a query that fails fails the step with its own error, the query named', async () => {
    // The batch holding it fails too, then the query alone.
    const { error } = await runChecks(CHECKS, [], /SELECT COUNT\(artist_id\) FROM plays/);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toBe('injected failure');
    expect((error as WarehouseError).location).toMatchObject({ sql: 'SELECT COUNT(artist_id) FROM plays' });
  });
});
