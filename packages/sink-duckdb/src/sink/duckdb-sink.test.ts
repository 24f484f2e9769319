import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineTable, type LoadRow, type RowBatch, type Sink, type Source } from '@sparkify/core';
import { memorySource } from '@sparkify/core/testing';
import { workingCopyPath } from '../engine/working-copy.js';
import { DuckDbSink, type Atomicity } from './duckdb-sink.js';

const people = defineTable({
  name: 'people',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'name', type: 'varchar(32)' },
  ],
});

async function createPeople(sink: Sink): Promise<void> {
  await sink.execute(sink.dialect.renderCreateTable(people));
}

async function countPeople(sink: Sink): Promise<number> {
  return Number((await sink.query('SELECT count(*) AS n FROM people')).rows[0]?.['n']);
}

const rows = (...ids: number[]): LoadRow[] => ids.map((id) => [id, `person ${id}`]);

/** A second table like people. */
const others = defineTable({
  name: 'others',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'name', type: 'varchar(32)' },
  ],
});

/**
 * A source that yields its first batch, then waits for `open()` before the rest; `log` hears
 * when its read starts and ends, and `waiting` settles once it waits.
 */
function gatedSource(name: string, batches: readonly RowBatch[], log: string[]): { source: Source; waiting: Promise<void>; open(): void } {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  const inner = memorySource(batches);
  const source: Source = {
    describe: (options) => inner.describe(options),
    async *read(options) {
      log.push(`${name} read`);
      let first = true;
      for await (const batch of inner.read(options)) {
        yield batch;
        if (first) {
          first = false;
          reached();
          await gate;
        }
      }
      log.push(`${name} done`);
    },
  };
  return { source, waiting, open };
}

describe('DuckDbSink', () => {
  let dir: string;
  const open: Sink[] = [];
  const sinkAt = (path: string, options: { configPath?: string; memoryLimit?: string; atomicity?: Atomicity } = {}) => {
    const sink = new DuckDbSink({ path, threads: 1, ...options });
    open.push(sink);
    return sink;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sink-duckdb-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((sink) => sink.close()));
    await rm(dir, { recursive: true, force: true });
  });

  describe('database file', () => {
    it('opens lazily, creates the file on first use, and keeps committed work', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const first = sinkAt(path);
      expect(existsSync(path)).toBe(false);
      await createPeople(first);
      await first.load({ source: memorySource([{ rows: rows(1, 2), rejected: [] }]), table: people, maxErrors: 0 });
      await first.close();
      expect(existsSync(path)).toBe(true);
      expect(await countPeople(sinkAt(path))).toBe(2);
    });

    it('discards an open unit of work on close', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const first = sinkAt(path);
      await createPeople(first);
      await first.begin();
      await first.execute("INSERT INTO people VALUES (1, 'a')");
      await first.close();
      expect(await countPeople(sinkAt(path))).toBe(0);
    });

    it('shares one database between sinks on the same file in this process', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const [a, b] = [sinkAt(path), sinkAt(path)];
      await createPeople(a);
      await b.execute("INSERT INTO people VALUES (1, 'a')");
      await a.close();
      expect(await countPeople(b)).toBe(1);
    });

    it('names the path in a ConfigError when its folder does not exist', async () => {
      const path = join(dir, 'missing', 'warehouse.duckdb');
      const sink = sinkAt(path, { configPath: 'resources.warehouse.with' });
      await expect(sink.healthCheck()).rejects.toMatchObject({
        kind: 'config',
        message: expect.stringContaining(path),
        location: { file: path, configPath: 'resources.warehouse.with.path' },
      });
    });

    it('says another run holds the file when another process has it open', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const holder = await holdDatabase(path);
      try {
        await expect(sinkAt(path).healthCheck()).rejects.toMatchObject({
          kind: 'warehouse',
          message: expect.stringMatching(new RegExp(`another run holds the DuckDB warehouse file ${escape(path)} \\(process \\d+\\)`)),
          location: { file: path },
        });
      } finally {
        holder.stdin?.end();
        await new Promise((done) => holder.once('exit', done));
      }
    });

    it('applies its settings', async () => {
      const sink = sinkAt(':memory:', { memoryLimit: '256MB' });
      const result = await sink.query(
        "SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads, " +
          "current_setting('preserve_insertion_order') AS ordered",
      );
      expect(result.rows).toEqual([{ memory: '244.1 MiB', threads: 1, ordered: false }]);
    });

    it('rejects a memory limit DuckDB cannot read', () => {
      expect(() => new DuckDbSink({ path: ':memory:', memoryLimit: 'lots', configPath: 'resources.w.with' })).toThrow(
        expect.objectContaining({ kind: 'config', location: { configPath: 'resources.w.with.memoryLimit' } }),
      );
    });
  });

  // The same contract in memory (a transaction), and on a file both ways.
  describe.each([
    { where: 'in memory', file: false, atomicity: undefined },
    { where: 'on a working copy of the file', file: true, atomicity: 'copy' as const },
    { where: 'in a transaction on the file', file: true, atomicity: 'transaction' as const },
  ])('unit of work, $where', ({ file, atomicity }) => {
    const warehouse = () => sinkAt(file ? join(dir, 'warehouse.duckdb') : ':memory:', atomicity ? { atomicity } : {});

    it('refuses statements after a failure until rollback, as Redshift does', async () => {
      const sink = warehouse();
      await createPeople(sink);
      await sink.begin();
      await sink.execute("INSERT INTO people VALUES (1, 'a')");
      await expect(sink.query('SELECT * FROM nowhere')).rejects.toMatchObject({ kind: 'warehouse' });
      await expect(sink.execute("INSERT INTO people VALUES (2, 'b')")).rejects.toMatchObject({
        kind: 'warehouse',
        message: expect.stringContaining('roll it back'),
      });
      await sink.rollback();
      expect(await countPeople(sink)).toBe(0);
    });

    it('rolls back instead of committing after a failure, and says why', async () => {
      const sink = warehouse();
      await createPeople(sink);
      await sink.begin();
      await sink.execute("INSERT INTO people VALUES (1, 'a')");
      await expect(sink.execute('DROP TABLE nowhere')).rejects.toMatchObject({ kind: 'warehouse' });
      await expect(sink.commit()).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('not committed') });
      expect(await countPeople(sink)).toBe(0);
      await sink.rollback(); // nothing open any more: does nothing
    });

    it('is opened once and closed once', async () => {
      const sink = warehouse();
      await expect(sink.commit()).rejects.toMatchObject({ kind: 'internal' });
      await sink.rollback();
      await sink.begin();
      await expect(sink.begin()).rejects.toMatchObject({ kind: 'internal' });
      await sink.commit();
    });

    it('takes concurrent callers in turn on its one connection', async () => {
      const sink = warehouse();
      await createPeople(sink);
      await Promise.all([1, 2, 3, 4].map((id) => sink.transaction([`INSERT INTO people VALUES (${id}, 'x')`, 'SELECT 1'])));
      expect(await countPeople(sink)).toBe(4);
    });
  });

  describe('working copy', () => {
    const copyOf = (path: string) => workingCopyPath(path);

    it('runs the unit of work on a copy and renames it over the file on commit', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const sink = sinkAt(path);
      await createPeople(sink);
      await sink.begin();
      await sink.execute("INSERT INTO people VALUES (1, 'a')");
      expect(existsSync(copyOf(path))).toBe(true);
      await sink.commit();
      expect(existsSync(copyOf(path))).toBe(false);
      expect(await countPeople(sink)).toBe(1);
      await sink.close();
      expect(await countPeople(sinkAt(path))).toBe(1);
      expect(await readdir(dir)).toEqual(['warehouse.duckdb']);
    });

    it('deletes the copy on rollback and leaves the file as it was', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const sink = sinkAt(path);
      await createPeople(sink);
      await sink.execute("INSERT INTO people VALUES (1, 'a')");
      await sink.begin();
      await sink.execute('DELETE FROM people');
      await sink.execute("INSERT INTO people VALUES (2, 'b'), (3, 'c')");
      await sink.rollback();
      expect(existsSync(copyOf(path))).toBe(false);
      expect(await sink.query('SELECT id FROM people')).toMatchObject({ rows: [{ id: 1 }] });
    });

    it('keeps other processes out of the file while the run lasts', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const sink = sinkAt(path);
      await createPeople(sink);
      await sink.begin();
      await expect(holdDatabase(path)).rejects.toThrow(/exited/);
      await sink.rollback();
    });

    it('overwrites what a crashed run left, its write-ahead log included', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const setup = sinkAt(path);
      await createPeople(setup);
      await setup.close();
      await writeFile(copyOf(path), 'not a database');
      await writeFile(`${copyOf(path)}.wal`, 'not a log');
      const sink = sinkAt(path);
      await sink.begin();
      await sink.execute("INSERT INTO people VALUES (1, 'a')");
      await sink.commit();
      expect(await countPeople(sink)).toBe(1);
      expect(await readdir(dir)).toEqual(['warehouse.duckdb']);
    });

    /** A unit of work begun on the working copy of a warehouse with people and others. */
    const begunWithTwoTables = async () => {
      const path = join(dir, 'warehouse.duckdb');
      const sink = sinkAt(path);
      await createPeople(sink);
      await sink.execute(sink.dialect.renderCreateTable(others));
      await sink.begin();
      return { path, sink };
    };

    it('loads another table while a load is under way, each on a connection of its own', async () => {
      const { path, sink } = await begunWithTwoTables();
      const log: string[] = [];
      const gated = gatedSource('people', [{ rows: rows(1, 2), rejected: [] }, { rows: rows(3), rejected: [] }], log);
      const first = sink.load({ source: gated.source, table: people, maxErrors: 0 });
      await gated.waiting;
      // With one connection for both, this load would wait for the first, which waits for the gate.
      await expect(sink.load({ source: memorySource([{ rows: rows(7), rejected: [] }]), table: others, maxErrors: 0 })).resolves.toMatchObject({ rowsLoaded: 1 });
      gated.open();
      await expect(first).resolves.toMatchObject({ rowsLoaded: 3 });
      await sink.commit();
      expect(await countPeople(sink)).toBe(3);
      expect(await sink.query('SELECT id FROM others')).toMatchObject({ rows: [{ id: 7 }] });
    });

    it('loads one table in turns, and commits once the loads under way have finished', async () => {
      const { path, sink } = await begunWithTwoTables();
      const log: string[] = [];
      const a = gatedSource('a', [{ rows: rows(1), rejected: [] }, { rows: rows(2), rejected: [] }], log);
      const b = gatedSource('b', [{ rows: rows(3), rejected: [] }], log);
      const first = sink.load({ source: a.source, table: people, maxErrors: 0 });
      await a.waiting;
      const second = sink.load({ source: b.source, table: people, maxErrors: 0 });
      b.open();
      // A whole load of another table, meanwhile: time enough for the second to have started, had it not waited its turn.
      await sink.load({ source: memorySource([{ rows: rows(7), rejected: [] }]), table: others, maxErrors: 0 });
      expect(log).toEqual(['a read']);
      const committed = sink.commit();
      a.open();
      await Promise.all([first, second, committed]);
      expect(log).toEqual(['a read', 'a done', 'b read', 'b done']);
      await sink.close();
      expect(await countPeople(sinkAt(path))).toBe(3);
    });

    it('rolls back every load when one of two loads under way fails', async () => {
      const { path, sink } = await begunWithTwoTables();
      const log: string[] = [];
      const gated = gatedSource('people', [{ rows: rows(1), rejected: [] }, { rows: [[null, 'no id']], rejected: [] }], log);
      const failing = sink.load({ source: gated.source, table: people, maxErrors: 0 });
      await gated.waiting;
      await sink.load({ source: memorySource([{ rows: rows(7), rejected: [] }]), table: others, maxErrors: 0 });
      gated.open();
      await expect(failing).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('NOT NULL') });
      await expect(sink.commit()).rejects.toMatchObject({ message: expect.stringContaining('not committed') });
      expect(await countPeople(sink)).toBe(0);
      expect(await sink.query('SELECT count(*) AS n FROM others')).toMatchObject({ rows: [{ n: 0 }] });
    });

    it('falls back on a transaction while another sink of this process has the file open', async () => {
      const path = join(dir, 'warehouse.duckdb');
      const [a, b] = [sinkAt(path), sinkAt(path)];
      await createPeople(a);
      await b.healthCheck();
      await a.begin();
      await a.execute("INSERT INTO people VALUES (1, 'a')");
      expect(existsSync(copyOf(path))).toBe(false);
      expect(await countPeople(b)).toBe(0);
      await a.commit();
      expect(await countPeople(b)).toBe(1);
    });
  });

  describe('statements', () => {
    it('reports rows affected only for statements that change rows', async () => {
      const sink = sinkAt(':memory:');
      expect(await sink.execute('CREATE TABLE t AS SELECT range AS x FROM range(5)')).toEqual({});
      expect(await sink.execute('UPDATE t SET x = x + 1 WHERE x > 2')).toEqual({ rowsAffected: 2 });
    });

    it('keeps the statement, its label and the cause in a WarehouseError', async () => {
      const sink = sinkAt(':memory:');
      const error = await sink.execute('SELECT * FROM nowhere', { label: 'count songs' }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: 'warehouse',
        message: expect.stringMatching(/^DuckDB refused "count songs": Catalog Error: Table with name nowhere does not exist!/),
        location: { sql: 'SELECT * FROM nowhere' },
        hint: expect.stringContaining('create-tables'),
      });
      expect((error as Error).cause).toMatchObject({ message: expect.stringContaining('Catalog Error') });
    });

    it('refuses work once closed', async () => {
      const sink = sinkAt(':memory:');
      await sink.close();
      await expect(sink.query('SELECT 1')).rejects.toMatchObject({ kind: 'internal', message: expect.stringContaining('closed') });
    });
  });

  describe('query values', () => {
    it('normalises DuckDB-only types to the shared shapes', async () => {
      const sink = sinkAt(':memory:');
      const result = await sink.query(
        'SELECT CAST(0.1 AS REAL) AS r, sum(x) AS s, CAST(2 AS HUGEINT) * 4503599627370495 AS huge, ' +
          "CAST('2018-11-01 21:01:46.5' AS TIMESTAMP_MS) AS ms, CAST('2018-11-01 21:01:46.123456789' AS TIMESTAMP_NS) AS ns, " +
          "CAST('2018-11-01 21:01:46' AS TIMESTAMP_S) AS s_, CAST('2018-11-01 21:01:46.25+00' AS TIMESTAMPTZ) AS tz, " +
          "CAST('infinity' AS TIMESTAMP) AS forever, INTERVAL 90 MINUTE AS span, 1 AS a, 2 AS a " +
          'FROM (VALUES (1), (2)) AS v(x)',
      );
      expect(result.rows).toEqual([
        {
          r: 0.1,
          s: 3,
          huge: 9007199254740990,
          ms: '2018-11-01 21:01:46.5',
          ns: '2018-11-01 21:01:46.123456',
          s_: '2018-11-01 21:01:46',
          tz: '2018-11-01 21:01:46.25',
          forever: 'infinity',
          span: '01:30:00',
          a: 1,
          'a:1': 2,
        },
      ]);
      expect(result.columns.find((c) => c.name === 's')?.type).toBe('HUGEINT');
    });

    it('gives integers beyond 2^53 as bigint, of any width', async () => {
      const sink = sinkAt(':memory:');
      const result = await sink.query('SELECT CAST(2 AS HUGEINT) * 590295810358705651712 AS h, CAST(9007199254740993 AS UBIGINT) AS u');
      expect(result.rows).toEqual([{ h: 1180591620717411303424n, u: 9007199254740993n }]);
    });
  });

  describe('load', () => {
    it('refuses a table that does not exist, or does not match its spec', async () => {
      const sink = sinkAt(':memory:');
      const load = () => sink.load({ source: memorySource([]), table: people, maxErrors: 0 });
      await expect(load()).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('does not exist') });
      await sink.execute('CREATE TABLE people (name VARCHAR, id INTEGER)');
      await expect(load()).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('(name, id)') });
      await sink.execute('DROP TABLE people; CREATE TABLE people (id VARCHAR, name VARCHAR)');
      await expect(load()).rejects.toMatchObject({ kind: 'warehouse', location: { field: 'id' } });
    });

    it('fails on a NULL in a NOT NULL column and loads nothing', async () => {
      const sink = sinkAt(':memory:');
      await createPeople(sink);
      const source = memorySource([{ rows: [[1, 'a'], [null, 'b']], rejected: [] }]);
      await expect(sink.load({ source, table: people, maxErrors: 0 })).rejects.toMatchObject({
        kind: 'warehouse',
        message: expect.stringContaining('NOT NULL'),
      });
      expect(await countPeople(sink)).toBe(0);
    });

    it('names the column when a source breaks the value contract', async () => {
      const sink = sinkAt(':memory:');
      await createPeople(sink);
      const source = memorySource([{ rows: [['one', 'a']], rejected: [] }]);
      await expect(sink.load({ source, table: people, maxErrors: 0 })).rejects.toMatchObject({
        kind: 'internal',
        location: { field: 'id' },
        message: expect.stringContaining('column id (integer, got string "one")'),
      });
      expect(await countPeople(sink)).toBe(0);
    });

    it('lists at most 100 rejected records but counts them all', async () => {
      const sink = sinkAt(':memory:');
      await createPeople(sink);
      const rejected = Array.from({ length: 150 }, (_, line) => ({ file: 'x.json', line, reason: 'bad' }));
      const result = await sink.load({ source: memorySource([{ rows: rows(1), rejected }]), table: people, maxErrors: 1000 });
      expect(result).toMatchObject({ rowsRead: 151, rowsLoaded: 1, rowsRejected: 150, path: 'client' });
      expect(result.rejected).toHaveLength(100);
    });

    it('plans a client-side load as one line', async () => {
      const plan = await sinkAt(':memory:').planLoad({ source: memorySource([]), table: people, maxErrors: 2 });
      expect(plan).toEqual(['-- client-side load: rows streamed from the source into "people" (through the DuckDB appender), up to 2 rejected records skipped']);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Another process holding the database file open, as a concurrent run would. */
async function holdDatabase(path: string): Promise<ChildProcess> {
  const script = [
    "import { DuckDBInstance } from '@duckdb/node-api';",
    `await DuckDBInstance.create(${JSON.stringify(path)});`,
    "process.stdout.write('ready\\n');",
    "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));",
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(process.cwd(), 'packages/sink-duckdb'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, failed) => {
    child.stdout?.once('data', () => ready());
    child.once('exit', (code) => failed(new Error(`the holder process exited (${code}) before opening ${path}`)));
  });
  return child;
}
