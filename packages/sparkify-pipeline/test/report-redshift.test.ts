import { join } from 'node:path';
import type { EmulatorServer } from '@sparkify/redshift-emulator';
import { createRootContainer } from '../src/cli/composition-root.js';
import type { Io } from '../src/cli/output.js';
import { reportVerb } from '../src/cli/verbs/report-verb.js';
import type { ReportDocument } from '../src/report/report-json.js';
import {
  LOCAL_PIPELINE,
  REDSHIFT_PIPELINE,
  removeDir,
  runPipelineFile,
  startSampleEmulator,
  type SampleEmulator,
  tempDir,
  UDACITY_SAMPLE,
  useEmulatorCredentials,
} from '../src/testing.js';

// The report's SQL is portable: on the Redshift path (the emulator over HTTP, which refuses what
// Redshift lacks) it gives the same answers, row for row, as on DuckDB.
let server: EmulatorServer;
let sample: SampleEmulator;
let dir: string;

beforeAll(async () => {
  useEmulatorCredentials();
  dir = await tempDir('sparkify-report-redshift-');
  sample = await startSampleEmulator();
  server = sample.server;
}, 60_000);

afterAll(async () => {
  await sample?.close();
  await removeDir(dir);
});

async function report(pipeline: string, params: Record<string, string>): Promise<ReportDocument> {
  const out: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: () => {}, stdoutIsTty: false };
  expect(await reportVerb(createRootContainer({}), { pipeline, params, json: true }, io)).toBe(0);
  return JSON.parse(out.join('')) as ReportDocument;
}

describe('sparkify report on pipelines/redshift.json', () => {
  it('answers every question as it does on DuckDB, row for row', async () => {
    const local = { data: UDACITY_SAMPLE, warehouse: join(dir, 'local.duckdb') };
    expect((await runPipelineFile(LOCAL_PIPELINE, local)).error).toBeUndefined();
    const redshift = { endpoint: server.url };
    expect((await runPipelineFile(REDSHIFT_PIPELINE, redshift)).error).toBeUndefined();

    const onDuckDb = await report(LOCAL_PIPELINE, { warehouse: local.warehouse });
    const onRedshift = await report(REDSHIFT_PIPELINE, redshift);
    expect(onRedshift.warehouse).toMatch(/\(redshift\)$/);
    expect(onRedshift.questions).toEqual(onDuckDb.questions);
    expect(onRedshift.questions.find((q) => q.id === 'free-vs-paid')!.rows).toEqual([
      { level: 'free', users: 74, plays: 1229 },
      { level: 'paid', users: 22, plays: 5591 },
    ]);
  }, 120_000);
});
