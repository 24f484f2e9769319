/**
 * The contract every Sink keeps, as one jest suite. A sink package runs it with a factory that
 * makes a fresh sink (and a source its load path can read); cases a sink cannot support are
 * skipped by name with a reason, so the gaps show in every test run. Everything a case needs
 * comes through the factory: core knows no sink.
 */
import { InputDataError, throwIfAborted } from '../errors/pipeline-error.js';
import { defineTable, type TableSpec } from '../model/table-spec.js';
import type { LoadRow, QueryValue } from '../model/values.js';
import type { Sink } from '../ports/sink.js';
import type { RowBatch, Source, SourceDescription } from '../ports/source.js';

export interface SinkContractFixture {
  /** A fresh sink; the suite closes it after each case. */
  sink: Sink;
  /** A source whose `read` yields these batches and that this sink's `load` can read. */
  source(batches: RowBatch[]): Source;
  /** Cleans up whatever the factory made besides the sink (files, servers). */
  dispose?(): Promise<void>;
}

export interface SinkContractOptions {
  /** Cases this sink cannot support: case name → why. They are reported as skipped. */
  skipTests?: Readonly<Record<string, string>>;
  /**
   * A query that runs for seconds at least, to be cancelled while it runs. Required unless
   * "cancels a running statement" is skipped.
   */
  slowQuery?: string;
}

/** A source over batches held in memory; honours the signal and reports progress per batch. */
export function memorySource(batches: readonly RowBatch[], location = 'memory://sink-contract'): Source {
  const description: SourceDescription = {
    location,
    scheme: 'memory',
    objects: [],
    format: 'json',
    mapping: { mode: 'auto' },
    timeFormat: 'auto',
    store: {},
    warnings: [],
  };
  return {
    describe: async () => description,
    async *read(options) {
      let rowsRead = 0;
      let rowsRejected = 0;
      for (const batch of batches) {
        throwIfAborted(options.signal);
        rowsRead += batch.rows.length + batch.rejected.length;
        rowsRejected += batch.rejected.length;
        options.onProgress?.({ objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0, rowsRead, rowsRejected });
        yield batch;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tables and values the cases use.

const people = defineTable({
  name: 'contract_people',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'name', type: 'varchar(32)' },
  ],
  primaryKey: ['id'],
});

/** One column of every ColumnType kind, plus an id to order by. */
const everyType = defineTable({
  name: 'contract_types',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'c_smallint', type: 'smallint' },
    { name: 'c_integer', type: 'integer' },
    { name: 'c_bigint', type: 'bigint' },
    { name: 'c_real', type: 'real' },
    { name: 'c_double', type: 'double precision' },
    { name: 'c_decimal', type: 'decimal(12,3)' },
    { name: 'c_boolean', type: 'boolean' },
    { name: 'c_varchar', type: 'varchar(64)' },
    { name: 'c_char', type: 'char(4)' },
    { name: 'c_date', type: 'date' },
    { name: 'c_timestamp', type: 'timestamp' },
    { name: 'c_timestamptz', type: 'timestamptz' },
  ],
});

const BIG = 9007199254740993n; // 2^53 + 1: not a safe JS number

/** The rows, as every sink must read them back (core's model/values.ts). */
const everyTypeExpected: Record<string, QueryValue>[] = [
  {
    id: 1,
    c_smallint: -32768,
    c_integer: 2147483647,
    c_bigint: BIG,
    c_real: 1.5,
    c_double: 0.1,
    c_decimal: '12345.678',
    c_boolean: true,
    c_varchar: `it's "quoted" \\ ünïcödé`,
    c_char: 'abcd',
    c_date: '2018-11-01',
    c_timestamp: '2018-11-01 21:01:46.796',
    c_timestamptz: '2018-11-01 21:01:46.796',
  },
  {
    id: 2,
    c_smallint: 0,
    c_integer: -1,
    c_bigint: 42,
    c_real: -0.25,
    c_double: -1234.5678,
    c_decimal: '-0.500',
    c_boolean: false,
    c_varchar: '',
    c_char: 'wxyz',
    c_date: '1970-01-01',
    c_timestamp: '1970-01-01 00:00:00.000001',
    c_timestamptz: '1999-12-31 23:59:59',
  },
  {
    id: 3,
    c_smallint: null,
    c_integer: null,
    c_bigint: null,
    c_real: null,
    c_double: null,
    c_decimal: null,
    c_boolean: null,
    c_varchar: null,
    c_char: null,
    c_date: null,
    c_timestamp: null,
    c_timestamptz: null,
  },
];

/** The same rows as a source delivers them (core's LoadValue shapes). */
const everyTypeLoadRows: LoadRow[] = [
  [1, -32768, 2147483647, BIG, 1.5, 0.1, '12345.678', true, `it's "quoted" \\ ünïcödé`, 'abcd', 17836, 1541106106796000, 1541106106796000],
  [2, 0, -1, 42, -0.25, -1234.5678, '-0.500', false, '', 'wxyz', 0, 1, 946684799000000],
  [3, null, null, null, null, null, null, null, null, null, null, null, null],
];

/** The same rows as SQL literals, through the dialect's literal escaper. */
function everyTypeInsert(sink: Sink): string {
  const { quoteIdentifier: name, quoteLiteral: text } = sink.dialect;
  const sqlValue = (value: QueryValue, column: string): string => {
    if (value === null) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (column === 'c_timestamptz' && typeof value === 'string') return text(`${value}+00`);
    return typeof value === 'string' ? text(value) : String(value);
  };
  const columns = everyType.columns.map((c) => c.name);
  const rows = everyTypeExpected.map((row) => `(${columns.map((c) => sqlValue(row[c] ?? null, c)).join(', ')})`);
  return `INSERT INTO ${name(everyType.name)} (${columns.map(name).join(', ')}) VALUES ${rows.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

async function recreate(sink: Sink, ...tables: TableSpec[]): Promise<void> {
  await sink.transaction(tables.flatMap((t) => [sink.dialect.renderDropTable(t.name), sink.dialect.renderCreateTable(t)]));
}

async function count(sink: Sink, table: string): Promise<number> {
  const result = await sink.query(`SELECT COUNT(*) AS n FROM ${sink.dialect.quoteIdentifier(table)}`);
  return Number(result.rows[0]?.['n']);
}

async function tableExists(sink: Sink, table: string): Promise<boolean> {
  return count(sink, table).then(
    () => true,
    () => false,
  );
}

function insertPeople(sink: Sink, ...ids: number[]): string {
  const values = ids.map((id) => `(${id}, ${sink.dialect.quoteLiteral(`person ${id}`)})`).join(', ');
  return `INSERT INTO ${sink.dialect.quoteIdentifier(people.name)} (id, name) VALUES ${values}`;
}

function selectAll(sink: Sink, table: TableSpec): string {
  const columns = table.columns.map((c) => sink.dialect.quoteIdentifier(c.name)).join(', ');
  return `SELECT ${columns} FROM ${sink.dialect.quoteIdentifier(table.name)} ORDER BY 1`;
}

const BAD_SQL = 'SELEC 1 FROM nowhere';

function personRows(...ids: number[]): LoadRow[] {
  return ids.map((id) => [id, `person ${id}`]);
}

/** Yields the first batch, then fails the way a source does when a file is broken. */
function failingAfterFirstBatch(source: Source): Source {
  return {
    describe: (options) => source.describe(options),
    async *read(options) {
      for await (const batch of source.read(options)) {
        yield batch;
        throw new InputDataError('broken input after the first batch', { location: { file: 'memory://broken.json', line: 7 } });
      }
    },
  };
}

/** Yields the first batch, then aborts the run (as Ctrl-C would while the next one is read). */
function abortingAfterFirstBatch(source: Source, controller: AbortController): Source {
  return {
    describe: (options) => source.describe(options),
    async *read(options) {
      let first = true;
      for await (const batch of source.read(options)) {
        if (!first) controller.abort();
        first = false;
        yield batch;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The cases.

interface Case {
  name: string;
  run(fixture: SinkContractFixture, options: SinkContractOptions): Promise<void>;
}

const CASES: readonly Case[] = [
  {
    name: 'creates and drops a table through its dialect',
    async run({ sink }) {
      await sink.execute(sink.dialect.renderDropTable(people.name));
      await sink.execute(sink.dialect.renderCreateTable(people));
      expect(await count(sink, people.name)).toBe(0);
      await sink.execute(sink.dialect.renderDropTable(people.name));
      expect(await tableExists(sink, people.name)).toBe(false);
      await sink.execute(sink.dialect.renderDropTable(people.name)); // IF EXISTS: dropping twice is fine
    },
  },
  {
    name: 'quotes identifiers and literals',
    async run({ sink }) {
      const table = defineTable({ name: 'contract_quoting', columns: [{ name: 'order', type: 'varchar(64)' }] });
      await recreate(sink, table);
      const tricky = `O'Brien said "hi" -- \\n; DROP TABLE x`;
      await sink.execute(`INSERT INTO ${sink.dialect.quoteIdentifier(table.name)} VALUES (${sink.dialect.quoteLiteral(tricky)})`);
      const result = await sink.query(selectAll(sink, table));
      expect(result.rows).toEqual([{ order: tricky }]);
    },
  },
  {
    name: 'round-trips every column type through execute and query',
    async run({ sink }) {
      await recreate(sink, everyType);
      await sink.execute(everyTypeInsert(sink));
      const result = await sink.query(selectAll(sink, everyType));
      expect(result.columns.map((c) => c.name)).toEqual(everyType.columns.map((c) => c.name));
      expect(result.rows).toEqual(everyTypeExpected);
    },
  },
  {
    name: 'reads expressions in the documented value shapes',
    async run({ sink }) {
      const result = await sink.query(
        'SELECT CAST(1 AS INTEGER) + 1 AS two, CAST(9007199254740993 AS BIGINT) AS big, ' +
          "CAST('12.50' AS DECIMAL(10,2)) AS money, CAST('2018-11-01 21:01:46.5' AS TIMESTAMP) AS at, " +
          "CAST('2018-11-01' AS DATE) AS day, CAST(NULL AS INTEGER) AS nothing, 1 = 1 AS yes",
      );
      expect(result.columns.map((c) => c.name)).toEqual(['two', 'big', 'money', 'at', 'day', 'nothing', 'yes']);
      expect(result.rows).toEqual([
        { two: 2, big: BIG, money: '12.50', at: '2018-11-01 21:01:46.5', day: '2018-11-01', nothing: null, yes: true },
      ]);
    },
  },
  {
    name: 'execute reports the rows a DML statement affected',
    async run({ sink }) {
      await recreate(sink, people);
      expect(await sink.execute(insertPeople(sink, 1, 2, 3))).toEqual({ rowsAffected: 3 });
      expect(await sink.execute(`UPDATE ${sink.dialect.quoteIdentifier(people.name)} SET name = 'x' WHERE id < 3`)).toEqual({ rowsAffected: 2 });
      expect(await sink.execute(`DELETE FROM ${sink.dialect.quoteIdentifier(people.name)}`)).toEqual({ rowsAffected: 3 });
    },
  },
  {
    name: 'transaction commits all its statements',
    async run({ sink }) {
      await recreate(sink, people);
      await sink.transaction([insertPeople(sink, 1), insertPeople(sink, 2, 3)], { label: 'contract' });
      expect(await count(sink, people.name)).toBe(3);
    },
  },
  {
    name: 'transaction rolls back every statement when one fails',
    async run({ sink }) {
      await recreate(sink, people);
      const created = defineTable({ name: 'contract_created', columns: [{ name: 'x', type: 'integer' }] });
      await sink.execute(sink.dialect.renderDropTable(created.name));
      const statements = [insertPeople(sink, 1), sink.dialect.renderCreateTable(created), insertPeople(sink, 2), BAD_SQL];
      await expect(sink.transaction(statements)).rejects.toMatchObject({ kind: 'warehouse' });
      expect(await count(sink, people.name)).toBe(0);
      expect(await tableExists(sink, created.name)).toBe(false);
    },
  },
  {
    name: 'rollback of a unit of work leaves the warehouse as it was, DDL included',
    async run({ sink }) {
      const created = defineTable({ name: 'contract_created', columns: [{ name: 'x', type: 'integer' }] });
      await recreate(sink, people);
      await sink.execute(sink.dialect.renderDropTable(created.name));
      await sink.execute(insertPeople(sink, 1));
      await sink.begin();
      await sink.execute(insertPeople(sink, 2));
      await sink.transaction([sink.dialect.renderCreateTable(created), insertPeople(sink, 3)]);
      await sink.execute(`DELETE FROM ${sink.dialect.quoteIdentifier(people.name)} WHERE id = 1`);
      await sink.rollback();
      expect((await sink.query(selectAll(sink, people))).rows).toEqual([{ id: 1, name: 'person 1' }]);
      expect(await tableExists(sink, created.name)).toBe(false);
    },
  },
  {
    name: 'commit of a unit of work keeps all of it',
    async run({ sink }) {
      await recreate(sink, people);
      await sink.begin();
      await sink.execute(insertPeople(sink, 1));
      await sink.transaction([insertPeople(sink, 2)]);
      await sink.load({ source: memorySource([{ rows: personRows(3), rejected: [] }]), table: people, maxErrors: 0 });
      await sink.commit();
      expect(await count(sink, people.name)).toBe(3);
    },
  },
  {
    name: 'a failure inside a unit of work keeps its earlier work from being committed',
    async run({ sink }) {
      await recreate(sink, people);
      await sink.begin();
      await sink.execute(insertPeople(sink, 1));
      await expect(sink.execute(BAD_SQL)).rejects.toMatchObject({ kind: 'warehouse' });
      // Redshift (Postgres) refuses everything after a failure until ROLLBACK; a COMMIT then
      // rolls back. Whether commit says so or not, the earlier insert must not survive.
      await sink.commit().catch(() => undefined);
      await sink.rollback().catch(() => undefined);
      expect(await count(sink, people.name)).toBe(0);
    },
  },
  {
    name: 'loads every column type',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, everyType);
      const result = await sink.load({ source: fixture.source([{ rows: everyTypeLoadRows, rejected: [] }]), table: everyType, maxErrors: 0 });
      expect(result).toMatchObject({ table: everyType.name, rowsRead: 3, rowsLoaded: 3, rowsRejected: 0, rejected: [] });
      expect((await sink.query(selectAll(sink, everyType))).rows).toEqual(everyTypeExpected);
    },
  },
  {
    name: 'load counts rows read = loaded + rejected',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, people);
      const reject = (line: number) => ({ file: 'memory://people.json', line, column: 'id', value: 'x', reason: 'not an integer' });
      const progress: number[] = [];
      const result = await sink.load({
        source: fixture.source([
          { rows: personRows(1, 2), rejected: [reject(3)] },
          { rows: [], rejected: [] },
          { rows: personRows(4), rejected: [reject(5), reject(6)] },
        ]),
        table: people,
        maxErrors: 10,
        onProgress: (p) => progress.push(p.rowsRead),
      });
      expect(result).toMatchObject({ rowsRead: 6, rowsLoaded: 3, rowsRejected: 3 });
      expect(result.rowsRead).toBe(result.rowsLoaded + result.rowsRejected);
      expect(result.rejected.map((r) => r.line)).toEqual([3, 5, 6]);
      expect(['client', 'server']).toContain(result.path);
      expect(await count(sink, people.name)).toBe(3);
      expect(progress.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'loads an empty source',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, people);
      const result = await sink.load({ source: fixture.source([]), table: people, maxErrors: 0 });
      expect(result).toMatchObject({ rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
    },
  },
  {
    name: 'a load inside a unit of work rolls back with it',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, people);
      await sink.begin();
      await sink.load({ source: fixture.source([{ rows: personRows(1, 2), rejected: [] }]), table: people, maxErrors: 0 });
      expect(await count(sink, people.name)).toBe(2);
      await sink.rollback();
      expect(await count(sink, people.name)).toBe(0);
    },
  },
  {
    name: 'a failed load leaves nothing behind',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, people);
      const source = failingAfterFirstBatch(fixture.source([{ rows: personRows(1, 2), rejected: [] }, { rows: personRows(3), rejected: [] }]));
      await expect(sink.load({ source, table: people, maxErrors: 0 })).rejects.toMatchObject({
        kind: 'input',
        location: { file: 'memory://broken.json', line: 7 },
      });
      expect(await count(sink, people.name)).toBe(0);
    },
  },
  {
    name: 'maps a bad statement to WarehouseError with the SQL',
    async run({ sink }) {
      const expected = { kind: 'warehouse', location: { sql: expect.stringContaining(BAD_SQL) } };
      await expect(sink.execute(BAD_SQL)).rejects.toMatchObject(expected);
      await expect(sink.query(BAD_SQL)).rejects.toMatchObject(expected);
      await expect(sink.query('SELECT * FROM contract_no_such_table')).rejects.toMatchObject({
        kind: 'warehouse',
        location: { sql: expect.stringContaining('contract_no_such_table') },
      });
    },
  },
  {
    name: 'refuses to start a statement once the signal is aborted',
    async run({ sink }) {
      await recreate(sink, people);
      const controller = new AbortController();
      controller.abort();
      await expect(sink.execute(insertPeople(sink, 1), { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
      await expect(sink.query('SELECT 1 AS one', { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
      await expect(sink.transaction([insertPeople(sink, 2)], { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
      expect(await count(sink, people.name)).toBe(0);
    },
  },
  {
    name: 'cancels a running statement',
    async run({ sink }, options) {
      await sink.healthCheck(); // connected, so the abort lands while the query runs
      const controller = new AbortController();
      const running = sink.query(options.slowQuery!, { signal: controller.signal });
      setImmediate(() => controller.abort());
      await expect(running).rejects.toMatchObject({ kind: 'cancelled' });
      expect((await sink.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    },
  },
  {
    name: 'cancels a load between batches and leaves nothing behind',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, people);
      const controller = new AbortController();
      const batches = [1, 2, 3].map((id) => ({ rows: personRows(id), rejected: [] }));
      const source = abortingAfterFirstBatch(fixture.source(batches), controller);
      await expect(sink.load({ source, table: people, maxErrors: 0, signal: controller.signal })).rejects.toMatchObject({
        kind: 'cancelled',
      });
      expect(await count(sink, people.name)).toBe(0);
    },
  },
  {
    name: 'plans a load without running it',
    async run(fixture) {
      const { sink } = fixture;
      await recreate(sink, people);
      const plan = await sink.planLoad({ source: fixture.source([{ rows: personRows(1), rejected: [] }]), table: people, maxErrors: 0 });
      expect(plan.length).toBeGreaterThan(0);
      for (const line of plan) expect(line.trim()).not.toBe('');
      expect(await count(sink, people.name)).toBe(0);
    },
  },
  {
    name: 'answers a health check and closes twice without error',
    async run({ sink }) {
      await sink.healthCheck();
      await sink.close();
      await sink.close();
    },
  },
];

/** The names of the cases, for `skipTests`. */
export const SINK_CONTRACT_CASES: readonly string[] = CASES.map((c) => c.name);

/**
 * Registers the contract cases for one sink under `describe(name)`. The factory runs once per
 * case; the sink is closed (and the fixture disposed) after it.
 */
export function describeSinkContract(name: string, factory: () => Promise<SinkContractFixture>, options: SinkContractOptions = {}): void {
  const skips = options.skipTests ?? {};
  const unknown = Object.keys(skips).filter((key) => !SINK_CONTRACT_CASES.includes(key));
  if (unknown.length) throw new Error(`describeSinkContract(${name}): no such cases to skip: ${unknown.join(', ')}`);
  if (!options.slowQuery && !skips['cancels a running statement']) {
    throw new Error(`describeSinkContract(${name}): give slowQuery, or skip "cancels a running statement" with a reason`);
  }

  describe(`${name} keeps the sink contract`, () => {
    let fixture: SinkContractFixture | undefined;

    afterEach(async () => {
      const current = fixture;
      fixture = undefined;
      await current?.sink.close();
      await current?.dispose?.();
    });

    for (const testCase of CASES) {
      const reason = skips[testCase.name];
      if (reason) {
        it.skip(`${testCase.name} [skipped: ${reason}]`, () => undefined);
        continue;
      }
      it(testCase.name, async () => {
        fixture = await factory();
        await testCase.run(fixture, options);
      });
    }
  });
}
