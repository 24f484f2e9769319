import type { EmulatorServer } from '@sparkify/redshift-emulator';
import { dumpWarehouse, REDSHIFT_PIPELINE, runPipelineFile, startSampleEmulator, type SampleEmulator, useEmulatorCredentials } from '../src/testing.js';

// Retries, end to end: pipelines/redshift.json against an emulator that answers 30 % of the
// Data API calls with ThrottlingException builds the same warehouse, row for row, as a clean
// run. The sink retries every throttled call (same ClientToken for submissions), so nothing
// runs twice and nothing is lost. (The emulator injects faults into Data API calls only; its
// S3 answers are never faulted.)
const FAULT_RATE = 0.3;
const SEED = 20_181_101;

let server: EmulatorServer;
let sample: SampleEmulator;

beforeAll(async () => {
  useEmulatorCredentials();
  sample = await startSampleEmulator({ server: { faultRate: FAULT_RATE, seed: SEED } });
  server = sample.server;
}, 60_000);

afterAll(async () => {
  await sample?.close();
});

it(`builds the same warehouse with ${FAULT_RATE * 100} % of the Data API calls throttled as without faults`, async () => {
  const params = { endpoint: server.url };
  const run = await runPipelineFile(REDSHIFT_PIPELINE, params);
  expect(run.error).toBeUndefined();
  const counts = server.emulator.faultCounts();
  // Roughly the fault rate of the calls, every one of them retried: the run finished.
  expect(counts.throttled).toBeGreaterThan(counts.calls * 0.2);
  expect(counts.throttled).toBeLessThan(counts.calls * 0.4);
  expect(run.summary.steps.flatMap((s) => s.loads).map((l) => [l.table, l.rowsLoaded, l.rowsRejected])).toEqual([
    ['staging_events', 8056, 0],
    ['staging_songs', 71, 0],
  ]);
  // The dump reads through the same faults.
  const faultyWarehouse = await dumpWarehouse(REDSHIFT_PIPELINE, params);
  expect(server.emulator.faultCounts().throttled).toBeGreaterThan(counts.throttled);

  // A clean run over it (a run replaces the warehouse's content: re-runs give the same warehouse).
  server.emulator.configureFaults({});
  expect((await runPipelineFile(REDSHIFT_PIPELINE, params)).error).toBeUndefined();
  const cleanWarehouse = await dumpWarehouse(REDSHIFT_PIPELINE, params);
  expect(cleanWarehouse['songplays']).toHaveLength(6820);
  expect(faultyWarehouse).toEqual(cleanWarehouse);
}, 180_000);
