import { appendFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorServer } from '@sparkify/redshift-emulator';
import { createRootContainer } from '../src/cli/composition-root.js';
import { dwhVerb } from '../src/cli/verbs/dwh-verbs.js';
import type { Io } from '../src/cli/output.js';
import {
  copyDataset,
  dumpWarehouse,
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

// The production path, proven against the emulator over HTTP with the real AWS SDK clients:
// COPY from "S3" into Redshift staging, the same transforms, the same checks.
let server: EmulatorServer;
let sample: SampleEmulator;
let dir: string;
let localDump: Record<string, unknown[]>;

beforeAll(async () => {
  useEmulatorCredentials();
  dir = await tempDir();
  sample = await startSampleEmulator();
  server = sample.server;
  const local = { data: UDACITY_SAMPLE, warehouse: join(dir, 'local.duckdb') };
  expect((await runPipelineFile(LOCAL_PIPELINE, local)).error).toBeUndefined();
  localDump = await dumpWarehouse(LOCAL_PIPELINE, local);
}, 120_000);

afterAll(async () => {
  await sample?.close();
  await removeDir(dir);
});

const quietIo = (): Io & { out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTty: false };
};

describe('pipelines/redshift.json against the emulator', () => {
  it('builds the same warehouse as the local path, row for row, and again on a re-run', async () => {
    const params = { endpoint: server.url };
    const run = await runPipelineFile(REDSHIFT_PIPELINE, params);
    expect(run.error).toBeUndefined();
    expect(run.summary.steps.flatMap((s) => s.loads).map((l) => [l.table, l.path, l.rowsLoaded])).toEqual([
      ['staging_events', 'server', 8056],
      ['staging_songs', 'server', 71],
    ]);
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, params)).toEqual(localDump);
    expect((await runPipelineFile(REDSHIFT_PIPELINE, params)).error).toBeUndefined();
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, params)).toEqual(localDump);
  }, 120_000);

  it('runs the original scripts\' jobs from dwh.cfg: create-tables, then etl, to the same warehouse', async () => {
    const cfg = join(dir, 'dwh.cfg');
    await writeFile(
      cfg,
      [
        '[CLUSTER]',
        "HOST='dwhcluster.c8abcdefgh12.us-west-2.redshift.amazonaws.com'",
        'DB_NAME=dwh',
        'DB_USER=dwhuser',
        'DB_PASSWORD=Not-A-Real-Passw0rd',
        'DB_PORT=5439',
        '[IAM_ROLE]',
        'ARN=arn:aws:iam::123456789012:role/dwhRole',
        '[S3]',
        "LOG_DATA='s3://udacity-dend/log_data'",
        'LOG_JSONPATH=s3://udacity-dend/log_json_path.json',
        "SONG_DATA='s3://udacity-dend/song_data'",
        '',
      ].join('\n'),
    );
    const container = createRootContainer({});
    const create = quietIo();
    expect(await dwhVerb(container, 'create-tables', { config: cfg, endpoint: server.url, params: {} }, create)).toBe(0);
    const etl = quietIo();
    expect(await dwhVerb(container, 'etl', { config: cfg, endpoint: server.url, params: {} }, etl)).toBe(0);
    for (const io of [create, etl]) {
      const all = [...io.out, ...io.err].join('');
      expect(all).not.toContain('Not-A-Real-Passw0rd');
      expect(io.err.join('')).toContain('DB_PASSWORD and DB_PORT');
    }
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url, database: 'dwh' })).toEqual(localDump);
  }, 120_000);
});

describe('a malformed record on the Redshift path', () => {
  it('fails the COPY with file, line and reason from the load-error table, and leaves the warehouse as it was', async () => {
    const params = { endpoint: server.url };
    expect((await runPipelineFile(REDSHIFT_PIPELINE, params)).error).toBeUndefined();
    const before = await dumpWarehouse(REDSHIFT_PIPELINE, params);

    const bad = await copyDataset(UDACITY_SAMPLE, join(dir, 'bad-bucket'));
    const logs = join(bad, 'log_data/2018/11');
    const file = (await readdir(logs)).sort()[2]!;
    await appendFile(join(logs, file), '\n{"artist": "Broken", "ts": "not a number"}\n');
    await symlink(bad, join(sample.s3Root, 'bad-bucket'), 'dir');

    const run = await runPipelineFile(REDSHIFT_PIPELINE, { ...params, s3: 's3://bad-bucket' });
    expect(run.error?.kind).toBe('input');
    expect(run.error?.message).toContain(file);
    expect(run.error?.message).toMatch(/line \d+/);
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, params)).toEqual(before);

    const skipped = await runPipelineFile(REDSHIFT_PIPELINE, { ...params, s3: 's3://bad-bucket', maxErrors: '1' });
    expect(skipped.error).toBeUndefined();
    const load = skipped.summary.steps.flatMap((s) => s.loads).find((l) => l.table === 'staging_events')!;
    expect(load).toMatchObject({ rowsRead: 8057, rowsLoaded: 8056, rowsRejected: 1 });
  }, 120_000);
});
