import type { EmulatorServer, StatementData } from '@sparkify/redshift-emulator';
import { allStatements, SERIALIZATION_VIOLATION } from '@sparkify/sink-redshift/testing';
import { dumpWarehouse, REDSHIFT_PIPELINE, runPipelineFile, startSampleEmulator, type SampleEmulator, useEmulatorCredentials } from '../src/testing.js';

// Two runs on one Redshift schema do not interleave their writes: each run is one session
// transaction (BEGIN … COMMIT), and a transaction that writes holds the tables until it ends
// (the emulator: while a session's transaction is open, other sessions' statements wait).
// Where Redshift instead fails one of two concurrent writers (serialization error 1023), the
// run says another run holds the tables, and commits nothing.
let server: EmulatorServer;
let sample: SampleEmulator;
let single: Record<string, unknown[]>;

beforeAll(async () => {
  useEmulatorCredentials();
  sample = await startSampleEmulator();
  server = sample.server;
  expect((await runPipelineFile(REDSHIFT_PIPELINE, { endpoint: server.url })).error).toBeUndefined();
  single = await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url });
}, 120_000);

afterAll(async () => {
  server.emulator.configureFaults({});
  await sample?.close();
});

const statements = () => allStatements(server.emulator);

/** A unit of work as the emulator ran it: its statements' query ids (execution order) and when it began and ended. */
interface Unit {
  sessionId: string;
  queryIds: number[];
  beginSubmittedAt: number;
  endedAt: number;
  last: string;
}

async function unitsOfWork(since: number): Promise<Unit[]> {
  const bySession = new Map<string, StatementData[]>();
  for (const statement of (await statements()).slice(since)) {
    if (!statement.SessionId) continue;
    bySession.set(statement.SessionId, [...(bySession.get(statement.SessionId) ?? []), statement]);
  }
  const units: Unit[] = [];
  for (const [sessionId, list] of bySession) {
    if (list[0]?.QueryString !== 'BEGIN') continue;
    const queryIds: number[] = [];
    for (const s of list) queryIds.push((await server.emulator.describeStatement({ Id: s.Id })).RedshiftQueryId);
    units.push({ sessionId, queryIds, beginSubmittedAt: list[0].CreatedAt.getTime(), endedAt: list.at(-1)!.UpdatedAt.getTime(), last: String(list.at(-1)!.QueryString) });
  }
  return units;
}

it('two runs started together both commit, one after the other, and leave the warehouse of a single run', async () => {
  const since = (await statements()).length;
  const params = { endpoint: server.url };
  const [a, b] = await Promise.all([runPipelineFile(REDSHIFT_PIPELINE, params), runPipelineFile(REDSHIFT_PIPELINE, params)]);
  expect(a.error).toBeUndefined();
  expect(b.error).toBeUndefined();

  const units = await unitsOfWork(since);
  expect(units.map((u) => u.last)).toEqual(['COMMIT', 'COMMIT']);
  const [first, second] = [...units].sort((x, y) => Math.min(...x.queryIds) - Math.min(...y.queryIds));
  // They overlapped in time: the second BEGIN was submitted before the first run committed...
  expect(second!.beginSubmittedAt).toBeLessThanOrEqual(first!.endedAt);
  // ...yet no statement of the second ran before the first's last one: no interleaving.
  expect(Math.max(...first!.queryIds)).toBeLessThan(Math.min(...second!.queryIds));

  expect(await dumpWarehouse(REDSHIFT_PIPELINE, params)).toEqual(single);
}, 180_000);

it('a run that loses a serialization conflict (Redshift error 1023) says another run holds the tables, and commits nothing', async () => {
  server.emulator.configureFaults({ failStatement: (sql) => (/^COPY "staging_songs"/.test(sql) ? SERIALIZATION_VIOLATION : undefined) });
  const run = await runPipelineFile(REDSHIFT_PIPELINE, { endpoint: server.url, s3: 's3://udacity-dend' });
  server.emulator.configureFaults({});
  expect(run.error).toMatchObject({
    kind: 'warehouse',
    exitCode: 4,
    message: expect.stringMatching(/^another run holds the tables: Redshift cancelled "load staging_songs" because another transaction wrote the same tables at the same time/),
    hint: expect.stringContaining('nothing of this run was committed'),
    location: { step: 'load_songs' },
  });
  expect(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url })).toEqual(single);
}, 120_000);
