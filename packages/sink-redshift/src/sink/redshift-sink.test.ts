import { defineTable, InputDataError, type QueryValue, type Sink, type TableSpec } from '@sparkify/core';
import { memorySource } from '@sparkify/core/testing';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import { FsObjectStore } from '@sparkify/source-fs';
import { createS3JsonSource, sourceS3ConfigSchema } from '@sparkify/source-s3';
import { MemoryS3Port, memoryBucket, stagingEventsTable, stagingSongsTable, UDACITY_SAMPLE, UDACITY_SAMPLE_ROWS } from '@sparkify/source-s3/testing';
import { EMULATOR_TARGET, ImmediatePollClock, RecordingDataPort, turnClock } from '../testing.js';
import { RedshiftSink, type RedshiftSinkOptions } from './redshift-sink.js';

const ROLE = 'arn:aws:iam::123456789012:role/dwhRole';

// One emulator for the file, with two buckets: the Udacity sample and a scratch bucket.
let emulator: RedshiftEmulator;
let sample: MemoryObjectStore;
const scratch = new MemoryObjectStore({}, { scheme: 's3', bucket: 'sink-tests' });
let s3: MemoryS3Port;
const sinks: Sink[] = [];

beforeAll(async () => {
  sample = await memoryBucket('udacity-dend', new FsObjectStore(UDACITY_SAMPLE));
  s3 = new MemoryS3Port({ 'udacity-dend': sample, 'sink-tests': scratch });
  emulator = new RedshiftEmulator({ clock: turnClock, faults: { latencyMs: 1 }, buckets: { 'udacity-dend': sample, 'sink-tests': scratch } });
});
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});
afterAll(() => emulator.close());

function newSink(options: Partial<RedshiftSinkOptions> = {}): { sink: RedshiftSink; recorder: RecordingDataPort } {
  const recorder = new RecordingDataPort(createEmulatorClient(emulator));
  const sink = new RedshiftSink({ port: recorder.port, target: EMULATOR_TARGET, iamRole: ROLE, clock: new ImmediatePollClock(), ...options });
  sinks.push(sink);
  return { sink, recorder };
}

async function recreate(sink: Sink, table: TableSpec): Promise<void> {
  await sink.transaction([sink.dialect.renderDropTable(table.name), sink.dialect.renderCreateTable(table)]);
}

async function count(sink: Sink, table: string): Promise<number> {
  return Number((await sink.query(`SELECT COUNT(*) AS n FROM ${sink.dialect.quoteIdentifier(table)}`)).rows[0]?.['n']);
}

function s3Source(config: Record<string, unknown>) {
  return createS3JsonSource(sourceS3ConfigSchema.parse(config), { client: s3 });
}

const everyType = defineTable({
  name: 'sink_types',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'c_smallint', type: 'smallint' },
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

const BIG = 9007199254740993n;

const expectedRows: Record<string, QueryValue>[] = [
  {
    id: 1,
    c_smallint: -32768,
    c_bigint: '9007199254740993',
    c_real: 1.5,
    c_double: 0.1,
    c_decimal: '12345.678',
    c_boolean: true,
    c_varchar: `it's "quoted" -- ünïcödé\nsecond line`,
    c_char: 'abcd',
    c_date: '2018-11-01',
    c_timestamp: '2018-11-01 21:01:46.796',
    c_timestamptz: '2018-11-01 21:01:46.796',
  },
  {
    id: 2,
    c_smallint: null,
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

/** BIGINT read as text: the Data API's longValue would round 2^53 + 1. */
function selectEveryType(sink: Sink): string {
  const q = sink.dialect.quoteIdentifier;
  const columns = everyType.columns.map((c) => (c.name === 'c_bigint' ? `CAST(${q(c.name)} AS VARCHAR(20)) AS ${q(c.name)}` : q(c.name)));
  return `SELECT ${columns.join(', ')} FROM ${q(everyType.name)} ORDER BY 1`;
}

describe('RedshiftSink values', () => {
  it('round-trips every column type through execute and query (without backslashes, which the emulator reads as Postgres does)', async () => {
    const { sink } = newSink();
    await recreate(sink, everyType);
    const literal = (value: QueryValue, column: string): string => {
      if (value === null) return 'NULL';
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      if (column === 'c_timestamptz') return sink.dialect.quoteLiteral(`${String(value)}+00`);
      if (column === 'c_bigint') return String(value);
      return typeof value === 'string' ? sink.dialect.quoteLiteral(value) : String(value);
    };
    const names = everyType.columns.map((c) => c.name);
    const tuples = expectedRows.map((row) => `(${names.map((name) => literal(row[name] ?? null, name)).join(', ')})`);
    expect(await sink.execute(`INSERT INTO ${sink.dialect.quoteIdentifier(everyType.name)} VALUES ${tuples.join(', ')}`)).toEqual({ rowsAffected: 2 });
    expect((await sink.query(selectEveryType(sink))).rows).toEqual(expectedRows);
  });

  it('loads every column type client-side, the bigint exactly', async () => {
    const { sink } = newSink();
    await recreate(sink, everyType);
    const rows = [
      [1, -32768, BIG, 1.5, 0.1, '12345.678', true, `it's "quoted" -- ünïcödé\nsecond line`, 'abcd', 17836, 1541106106796000, 1541106106796000],
      [2, null, null, null, null, null, null, null, null, null, null, null],
    ];
    const result = await sink.load({ source: memorySource([{ rows, rejected: [] }]), table: everyType, maxErrors: 0 });
    expect(result).toMatchObject({ rowsRead: 2, rowsLoaded: 2, rowsRejected: 0, path: 'client' });
    expect((await sink.query(selectEveryType(sink))).rows).toEqual(expectedRows);
  });

  it('reads expressions in the documented value shapes', async () => {
    const { sink } = newSink();
    const result = await sink.query(
      "SELECT CAST(1 AS INTEGER) + 1 AS two, CAST('12.50' AS DECIMAL(10,2)) AS money, CAST('2018-11-01 21:01:46.5' AS TIMESTAMP) AS at, " +
        "CAST('2018-11-01' AS DATE) AS day, CAST(NULL AS INTEGER) AS nothing, 1 = 1 AS yes, CAST(42 AS BIGINT) AS small_big",
    );
    expect(result.columns.map((c) => c.name)).toEqual(['two', 'money', 'at', 'day', 'nothing', 'yes', 'small_big']);
    expect(result.rows).toEqual([{ two: 2, money: '12.50', at: '2018-11-01 21:01:46.5', day: '2018-11-01', nothing: null, yes: true, small_big: 42 }]);
  });

});

describe('RedshiftSink sessions and transactions', () => {
  it('opens a Data API session at begin, passes its SessionId on every statement of the run, and ends it with COMMIT', async () => {
    const { sink, recorder } = newSink({ sessionKeepAliveSeconds: 120 });
    const table = defineTable({ name: 'sink_session', columns: [{ name: 'x', type: 'integer' }] });
    await recreate(sink, table);
    recorder.calls.length = 0;
    await sink.begin();
    await sink.execute('INSERT INTO sink_session VALUES (1)');
    await sink.transaction(['INSERT INTO sink_session VALUES (2)', 'INSERT INTO sink_session VALUES (3)']);
    expect(await count(sink, table.name)).toBe(3);
    await sink.commit();
    const executes = recorder.of('ExecuteStatement');
    expect(executes[0]).toMatchObject({ Sql: 'BEGIN', SessionKeepAliveSeconds: 120, ClusterIdentifier: 'emulator', Database: 'dev', DbUser: 'awsuser' });
    const sessionId = executes[1]?.['SessionId'];
    expect(sessionId).toEqual(expect.any(String));
    for (const input of executes.slice(1)) {
      expect(input).toMatchObject({ SessionId: sessionId });
      expect(input).not.toHaveProperty('ClusterIdentifier');
    }
    expect(executes.map((input) => input['Sql'])).toEqual([
      'BEGIN',
      'INSERT INTO sink_session VALUES (1)',
      'INSERT INTO sink_session VALUES (2)',
      'INSERT INTO sink_session VALUES (3)',
      'SELECT COUNT(*) AS n FROM "sink_session"',
      'COMMIT',
    ]);
    expect(recorder.of('BatchExecuteStatement')).toEqual([]);
    const tokens = recorder.calls.flatMap((call) => (call.input['ClientToken'] ? [call.input['ClientToken']] : []));
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('runs a transaction outside a unit of work as one BatchExecuteStatement, and a long one in a session of its own', async () => {
    const { sink, recorder } = newSink();
    const table = defineTable({ name: 'sink_batch', columns: [{ name: 'x', type: 'integer' }] });
    await recreate(sink, table);
    expect(recorder.of('BatchExecuteStatement')).toHaveLength(1);
    const inserts = Array.from({ length: 45 }, (_, i) => `INSERT INTO sink_batch VALUES (${i})`);
    await sink.transaction(inserts);
    expect(await count(sink, table.name)).toBe(45);
    expect(recorder.of('BatchExecuteStatement')).toHaveLength(1);
    await expect(sink.transaction([...inserts, 'SELEC 1'])).rejects.toMatchObject({ kind: 'warehouse', location: { sql: 'SELEC 1' } });
    expect(await count(sink, table.name)).toBe(45);
  });

  it('cancels a statement still running when the signal aborts (CancelStatement, then ABORTED)', async () => {
    const { sink, recorder } = newSink();
    await sink.healthCheck();
    const controller = new AbortController();
    const running = sink.query('SELECT 1 AS slow', { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(running).rejects.toMatchObject({ kind: 'cancelled', message: expect.stringMatching(/was cancelled while it ran/) });
    const id = recorder.of('CancelStatement')[0]?.['Id'];
    expect(id).toEqual(expect.any(String));
    expect((await emulator.describeStatement({ Id: String(id) })).Status).toBe('ABORTED');
  });

  it('runs on a serverless workgroup', async () => {
    const { sink, recorder } = newSink({ target: { kind: 'serverless', workgroupName: 'wg', database: 'dev' } });
    expect((await sink.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(recorder.of('ExecuteStatement')[0]).toMatchObject({ WorkgroupName: 'wg', Database: 'dev' });
    expect(recorder.of('ExecuteStatement')[0]).not.toHaveProperty('ClusterIdentifier');
  });

  it('reports a target the Data API refuses as WarehouseError naming it', async () => {
    const { sink } = newSink({ target: { kind: 'cluster', clusterIdentifier: 'emulator', database: 'dev' } });
    await expect(sink.healthCheck()).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('cluster emulator, database dev: ValidationException') });
  });
});

describe('RedshiftSink COPY from S3', () => {
  const events = () => s3Source({ uri: 's3://udacity-dend/log_data', jsonPaths: 's3://udacity-dend/log_json_path.json', timeFormat: 'epochmillisecs' });
  const songs = () => s3Source({ uri: 's3://udacity-dend/song_data' });

  it('plans the exact COPY', async () => {
    const { sink } = newSink();
    expect(await sink.planLoad({ source: events(), table: stagingEventsTable, maxErrors: 0 })).toEqual([
      [
        `COPY "staging_events" (${stagingEventsTable.columns.map((c) => `"${c.name}"`).join(', ')})`,
        "FROM 's3://udacity-dend/log_data'",
        "IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'",
        "FORMAT AS JSON 's3://udacity-dend/log_json_path.json'",
        "TIMEFORMAT AS 'epochmillisecs'",
        "REGION 'us-west-2'",
        'MAXERROR 1',
      ].join('\n'),
    ]);
  });

  it('loads the Udacity sample server-side: 8056 events and 71 songs, counted by pg_last_copy_count()', async () => {
    const { sink, recorder } = newSink();
    await recreate(sink, stagingEventsTable);
    await recreate(sink, stagingSongsTable);
    const loadedEvents = await sink.load({ source: events(), table: stagingEventsTable, maxErrors: 0 });
    expect(loadedEvents).toEqual({
      table: 'staging_events',
      rowsRead: UDACITY_SAMPLE_ROWS.stagingEvents,
      rowsLoaded: UDACITY_SAMPLE_ROWS.stagingEvents,
      rowsRejected: 0,
      rejected: [],
      path: 'server',
      warnings: [],
    });
    expect(await sink.load({ source: songs(), table: stagingSongsTable, maxErrors: 0 })).toMatchObject({ rowsLoaded: UDACITY_SAMPLE_ROWS.stagingSongs, path: 'server' });
    expect(await count(sink, 'staging_events')).toBe(UDACITY_SAMPLE_ROWS.stagingEvents);
    expect(await count(sink, 'staging_songs')).toBe(UDACITY_SAMPLE_ROWS.stagingSongs);
    expect(recorder.of('ExecuteStatement').map((input) => String(input['Sql']).split('\n')[0])).toContain('SELECT pg_last_copy_count() AS n');
    const nulls = await sink.query("SELECT COUNT(*) AS n FROM staging_events WHERE user_id IS NULL AND page <> 'NextSong'");
    expect(Number(nulls.rows[0]?.['n'])).toBeGreaterThan(0);
    // 8056 rows come back in pages of 1000: every page is read.
    recorder.calls.length = 0;
    const all = await sink.query('SELECT ts, user_id FROM staging_events');
    expect(all.rows).toHaveLength(UDACITY_SAMPLE_ROWS.stagingEvents);
    expect(all.rows[0]?.['ts']).toMatch(/^2018-11-\d\d \d\d:\d\d:\d\d(\.\d+)?$/);
    expect(recorder.of('GetStatementResult').filter((input) => input['NextToken']).length).toBe(8);
  });

  it('loads the same rows as streaming the source client-side', async () => {
    const { sink } = newSink();
    const copied = { ...stagingSongsTable, name: 'songs_copied' };
    const streamed = { ...stagingSongsTable, name: 'songs_streamed' };
    await recreate(sink, copied);
    await recreate(sink, streamed);
    await sink.load({ source: songs(), table: copied, maxErrors: 0 });
    const source = songs();
    const clientSide = { describe: async () => ({ ...(await source.describe()), scheme: 'memory' }), read: source.read.bind(source) };
    expect(await sink.load({ source: clientSide, table: streamed, maxErrors: 0 })).toMatchObject({ path: 'client', rowsLoaded: UDACITY_SAMPLE_ROWS.stagingSongs });
    const all = (name: string) => sink.query(`SELECT * FROM ${name} ORDER BY song_id, title`);
    expect((await all('songs_streamed')).rows).toEqual((await all('songs_copied')).rows);
  });

  describe('bad records', () => {
    const table = defineTable({
      name: 'sink_events',
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'varchar(8)' },
      ],
    });
    const good = (id: number) => `{"id": ${id}, "name": "n${id}"}`;
    beforeAll(() => {
      scratch.put('bad/a.json', [good(1), '{"id": "x", "name": "n2"}', good(3), '{"id": 4, "name": "far too long a name"}', good(5)].join('\n'));
      scratch.put('bad/b.json', [good(6), 'not json at all', good(7)].join('\n'));
    });
    const source = () => s3Source({ uri: 's3://sink-tests/bad/' });

    it('skips up to maxErrors bad records and reports them: rows read = loaded + rejected', async () => {
      const { sink } = newSink();
      await recreate(sink, table);
      const result = await sink.load({ source: source(), table, maxErrors: 3 });
      expect(result).toMatchObject({ rowsRead: 8, rowsLoaded: 5, rowsRejected: 3, path: 'server' });
      expect(result.rejected).toEqual([
        expect.objectContaining({ file: 's3://sink-tests/bad/a.json', line: 2, column: 'id', reason: expect.any(String) }),
        expect.objectContaining({ file: 's3://sink-tests/bad/a.json', line: 4, column: 'name', reason: expect.any(String) }),
        expect.objectContaining({ file: 's3://sink-tests/bad/b.json', line: 2, reason: expect.any(String) }),
      ]);
      expect(await count(sink, table.name)).toBe(5);
    });

    it('fails a COPY with more bad records than maxErrors with the load errors themselves, and leaves the table as it was', async () => {
      const { sink } = newSink();
      await recreate(sink, table);
      await sink.execute('INSERT INTO sink_events VALUES (100, \'before\')');
      const error = await sink.load({ source: source(), table, maxErrors: 2 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputDataError);
      const failure = error as InputDataError;
      expect(failure.message).toMatch(/^COPY into sink_events failed: 3 bad record\(s\), more than maxErrors \(2\) allows; first: s3:\/\/sink-tests\/bad\/a\.json line 2, column id: /);
      expect(failure.location).toMatchObject({ file: 's3://sink-tests/bad/a.json', line: 2, field: 'id', statementId: expect.any(String), sql: expect.stringContaining('MAXERROR 3') });
      expect(failure.details).toMatchObject({ rejectedCount: 3, rejected: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 4 }), expect.objectContaining({ line: 2, file: 's3://sink-tests/bad/b.json' })] });
      expect((await sink.query('SELECT id, name FROM sink_events')).rows).toEqual([{ id: 100, name: 'before' }]);
    });

    // Redshift's STL views are not transactional: the sink reads a COPY's skipped records in the
    // unit's session, before the commit.
    it('counts the records a COPY inside a unit of work skipped', async () => {
      const { sink } = newSink();
      await recreate(sink, table);
      await sink.begin();
      const result = await sink.load({ source: source(), table, maxErrors: 3 });
      await sink.commit();
      expect(result).toMatchObject({ rowsRead: 8, rowsLoaded: 5, rowsRejected: 3 });
    });

    it('fails a COPY inside a unit of work the same way, and the unit cannot commit', async () => {
      const { sink } = newSink();
      await recreate(sink, table);
      await sink.begin();
      await sink.execute('INSERT INTO sink_events VALUES (100, \'inside\')');
      await expect(sink.load({ source: source(), table, maxErrors: 0 })).rejects.toMatchObject({ kind: 'input', location: { file: 's3://sink-tests/bad/a.json', line: 2 } });
      await expect(sink.commit()).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('not committed') });
      expect(await count(sink, table.name)).toBe(0);
    });
  });
});
