import { CancelledError, type Sink, type TableSpec } from '@sparkify/core';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import { FsObjectStore } from '@sparkify/source-fs';
import { createS3JsonSource, sourceS3ConfigSchema } from '@sparkify/source-s3';
import { MemoryS3Port, memoryBucket, stagingEventsTable, stagingSongsTable, UDACITY_SAMPLE, UDACITY_SAMPLE_ROWS } from '@sparkify/source-s3/testing';
import type { RetryEvent } from '../data-api/retry-policy.js';
import { EMULATOR_TARGET, GatedBucket, RecordingDataPort, SERIALIZATION_VIOLATION, VirtualPollClock } from '../testing.js';
import { RedshiftSink, type RedshiftSinkOptions } from './redshift-sink.js';

// The sink's unit of work under faults, on the in-process emulator: throttling injected by the
// emulator itself, a serialization conflict, a cancelled COPY.
const ROLE = 'arn:aws:iam::123456789012:role/dwhRole';
let emulator: RedshiftEmulator;
let s3: MemoryS3Port;
const rows = new MemoryObjectStore({ 'rows/a.json': '{"a": 1}\n{"a": 2}\n' }, { scheme: 's3', bucket: 'gated' });
const gated = new GatedBucket(rows);
const sinks: Sink[] = [];

beforeAll(async () => {
  const sample = await memoryBucket('udacity-dend', new FsObjectStore(UDACITY_SAMPLE));
  s3 = new MemoryS3Port({ 'udacity-dend': sample, gated: rows });
  emulator = new RedshiftEmulator({ buckets: { 'udacity-dend': sample, gated } });
});
afterEach(async () => {
  emulator.configureFaults({});
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});
afterAll(() => emulator.close());

function newSink(options: Partial<RedshiftSinkOptions> = {}) {
  const recorder = new RecordingDataPort(createEmulatorClient(emulator));
  const retries: RetryEvent[] = [];
  const sink = new RedshiftSink({
    port: recorder.port,
    target: EMULATOR_TARGET,
    iamRole: ROLE,
    clock: new VirtualPollClock(),
    random: () => 0.5,
    onRetry: (event) => retries.push(event),
    ...options,
  });
  sinks.push(sink);
  return { sink, recorder, retries };
}

async function count(sink: Sink, table: string): Promise<number> {
  return Number((await sink.query(`SELECT COUNT(*) AS n FROM ${sink.dialect.quoteIdentifier(table)}`)).rows[0]?.['n']);
}

const gatedTable: TableSpec = { name: 'gated_rows', columns: [{ name: 'a', type: { kind: 'integer' }, nullable: true }] };

describe('RedshiftSink under the emulator\'s injected throttling', () => {
  it('loads the Udacity sample in one unit of work with 30 % of the Data API calls throttled: every fault retried, every row loaded once', async () => {
    const { sink, retries } = newSink({ retry: { maxAttempts: 20 } });
    const before = emulator.faultCounts();
    emulator.configureFaults({ faultRate: 0.3, seed: 11 });
    await sink.begin();
    for (const table of [stagingEventsTable, stagingSongsTable]) {
      await sink.execute(sink.dialect.renderDropTable(table.name));
      await sink.execute(sink.dialect.renderCreateTable(table));
    }
    const source = (config: Record<string, unknown>) => createS3JsonSource(sourceS3ConfigSchema.parse(config), { client: s3 });
    const events = await sink.load({
      source: source({ uri: 's3://udacity-dend/log_data', jsonPaths: 's3://udacity-dend/log_json_path.json', timeFormat: 'epochmillisecs' }),
      table: stagingEventsTable,
      maxErrors: 0,
    });
    const songs = await sink.load({ source: source({ uri: 's3://udacity-dend/song_data' }), table: stagingSongsTable, maxErrors: 0 });
    await sink.commit();
    expect([events.rowsLoaded, songs.rowsLoaded]).toEqual([UDACITY_SAMPLE_ROWS.stagingEvents, UDACITY_SAMPLE_ROWS.stagingSongs]);
    const after = emulator.faultCounts();
    const throttled = after.throttled - before.throttled;
    expect(throttled).toBeGreaterThan(10);
    expect(retries).toHaveLength(throttled);
    emulator.configureFaults({});
    expect(await count(sink, 'staging_events')).toBe(UDACITY_SAMPLE_ROWS.stagingEvents);
    expect(await count(sink, 'staging_songs')).toBe(UDACITY_SAMPLE_ROWS.stagingSongs);
  });
});

describe('RedshiftSink and another run on the same tables', () => {
  it('reports a serialization conflict inside a unit of work as another run holding the tables, and commits nothing', async () => {
    const { sink, recorder } = newSink();
    await sink.transaction([sink.dialect.renderDropTable('conflict_t'), 'CREATE TABLE conflict_t (a INT)']);
    await sink.begin();
    await sink.execute('INSERT INTO conflict_t VALUES (1)');
    emulator.configureFaults({ failStatement: (sql) => (sql.startsWith('INSERT INTO conflict_t VALUES (2)') ? SERIALIZATION_VIOLATION : undefined) });
    const error = await sink.execute('INSERT INTO conflict_t VALUES (2)', { label: 'load conflict_t' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'warehouse',
      message: expect.stringMatching(/^another run holds the tables: Redshift cancelled "load conflict_t"/),
      hint: expect.stringContaining('do not run two pipelines on one schema at once'),
    });
    expect(recorder.of('ExecuteStatement').filter((input) => String(input['Sql']).includes('VALUES (2)'))).toHaveLength(1);
    await expect(sink.commit()).rejects.toMatchObject({ kind: 'warehouse', message: expect.stringContaining('not committed') });
    expect(await count(sink, 'conflict_t')).toBe(0);
  });

  it('runs a transaction of its own (one BatchExecuteStatement) again when it lost a conflict', async () => {
    const { sink, recorder, retries } = newSink();
    await sink.transaction([sink.dialect.renderDropTable('conflict_b'), 'CREATE TABLE conflict_b (a INT)']);
    let conflicts = 1;
    emulator.configureFaults({ failStatement: (sql) => (sql.startsWith('INSERT INTO conflict_b') && conflicts-- > 0 ? SERIALIZATION_VIOLATION : undefined) });
    await sink.transaction(['INSERT INTO conflict_b VALUES (1)', 'INSERT INTO conflict_b VALUES (2)']);
    expect(retries.map((r) => r.operation)).toEqual(['statement']);
    expect(recorder.of('BatchExecuteStatement')).toHaveLength(3);
    expect(await count(sink, 'conflict_b')).toBe(2);
  });
});

describe('RedshiftSink cancelled inside a unit of work', () => {
  it('cancels the running COPY (CancelStatement), and the rollback leaves nothing of the unit', async () => {
    const { sink, recorder } = newSink();
    await sink.transaction([sink.dialect.renderDropTable(gatedTable.name), sink.dialect.renderCreateTable(gatedTable)]);
    await sink.execute('INSERT INTO gated_rows VALUES (100)');
    gated.reset();
    const controller = new AbortController();
    await sink.begin({ signal: controller.signal });
    await sink.execute('INSERT INTO gated_rows VALUES (200)', { signal: controller.signal });
    const source = createS3JsonSource(sourceS3ConfigSchema.parse({ uri: 's3://gated/rows/' }), { client: s3 });
    const load = sink.load({ source, table: gatedTable, maxErrors: 0, signal: controller.signal });
    await gated.opened;
    controller.abort(new Error('SIGINT'));
    await expect(load).rejects.toBeInstanceOf(CancelledError);
    const [cancel] = recorder.of('CancelStatement');
    expect((await emulator.describeStatement({ Id: String(cancel?.['Id']) })).Status).toBe('ABORTED');
    await sink.rollback();
    expect((await sink.query('SELECT a FROM gated_rows')).rows).toEqual([{ a: 100 }]);
  });
});
