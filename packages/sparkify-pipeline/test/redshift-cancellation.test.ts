import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { EventBus, loadPipelineFile, runPipeline, type RunOutcome } from '@sparkify/core';
import { FolderBucketStore, type EmulatorServer, type StatementData } from '@sparkify/redshift-emulator';
import { allStatements, GatedBucket } from '@sparkify/sink-redshift/testing';
import { createRootContainer, registryOf } from '../src/cli/composition-root.js';
import {
  cliArgs,
  dumpWarehouse,
  REDSHIFT_PIPELINE,
  REPO_ROOT,
  runPipelineFile,
  startSampleEmulator,
  type SampleEmulator,
  useEmulatorCredentials,
} from '../src/testing.js';

// Cancellation on the Redshift path: when the run is aborted (its signal, or Ctrl-C on a real
// `sparkify run`) while a COPY runs, the sink cancels it with CancelStatement, the session's
// transaction rolls back, and the warehouse is as it was. The COPYs of the cancelled runs read
// a bucket whose objects open only when the test says so, so the COPY is known to be running
// when the signal comes: no timing, no latency guesses.
let server: EmulatorServer;
let sample: SampleEmulator;
let before: Record<string, unknown[]>;
/** The repository's generated sample (not the Udacity one), behind a gate that a cancelled COPY leaves. */
let gate: GatedBucket;
/** The same data behind a gate that ignores cancellation: the first Ctrl-C then hangs, the second must not. */
let stubborn: GatedBucket;

beforeAll(async () => {
  useEmulatorCredentials();
  const generated = join(REPO_ROOT, 'data/sample');
  sample = await startSampleEmulator({
    links: { gated: generated, stubborn: generated },
    buckets: (s3Root) => {
      gate = new GatedBucket(new FolderBucketStore('gated', join(s3Root, 'gated')));
      stubborn = new GatedBucket(new FolderBucketStore('stubborn', join(s3Root, 'stubborn')), { stubborn: true });
      return { gated: gate, stubborn };
    },
  });
  server = sample.server;
  expect((await runPipelineFile(REDSHIFT_PIPELINE, { endpoint: server.url })).error).toBeUndefined();
  before = await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url });
}, 120_000);

afterAll(async () => {
  stubborn?.release();
  await sample?.close();
});

beforeEach(() => {
  gate.reset();
});

/** `sparkify run` in-process with a signal, as the CLI runs it. */
async function runWithSignal(params: Record<string, string>, signal: AbortSignal): Promise<RunOutcome> {
  const container = createRootContainer({});
  const loaded = await loadPipelineFile(REDSHIFT_PIPELINE, { registry: registryOf(container), params, cwd: process.cwd(), env: {} });
  return runPipeline(loaded, { container, events: new EventBus(), signal });
}

/** The COPY that read `bucket`, and the statements of the session it ran in (oldest first). */
async function copyAndSession(bucket: string): Promise<{ copy: StatementData; session: string[] }> {
  const all = await allStatements(server.emulator);
  const copy = all.findLast((s) => s.QueryString?.startsWith('COPY') && s.QueryString.includes(`'s3://${bucket}/`));
  if (!copy) throw new Error(`no COPY from s3://${bucket}`);
  const session = all.filter((s) => s.SessionId === copy.SessionId).map((s) => String(s.QueryString).split('\n')[0]!);
  return { copy, session };
}

/** Starts a real `sparkify run` against the emulator; resolves with its exit code and output. */
function sparkifyRun(params: Record<string, string>) {
  const args = ['run', REDSHIFT_PIPELINE, '--json', ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`])];
  const child = spawn(process.execPath, cliArgs(args), { cwd: REPO_ROOT, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const stderrSeen: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const wait of stderrSeen.filter((w) => stderr.includes(w.text))) wait.resolve();
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  /** Resolves once stderr holds `text`. */
  const stderrShows = (text: string) => new Promise<void>((resolve) => (stderr.includes(text) ? resolve() : stderrSeen.push({ text, resolve })));
  return { child, exit, stderrShows };
}

describe('a Redshift run cancelled while a COPY runs', () => {
  it('in-process (the run\'s signal): CancelStatement, the COPY ABORTED, rolled back, CancelledError, the warehouse unchanged', async () => {
    const controller = new AbortController();
    const run = runWithSignal({ endpoint: server.url, s3: 's3://gated' }, controller.signal);
    await gate.opened;
    controller.abort(new Error('SIGINT'));
    const outcome = await run;
    expect(outcome.error).toMatchObject({ kind: 'cancelled', exitCode: 130 });
    expect(outcome.summary.status).toBe('cancelled');
    const { copy, session } = await copyAndSession('gated');
    expect(copy.Status).toBe('ABORTED');
    expect(session[0]).toBe('BEGIN');
    expect(session.at(-1)).toBe('ROLLBACK');
    expect(session).not.toContain('COMMIT');
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url })).toEqual(before);
  }, 120_000);

  it('a real `sparkify run` sent SIGINT: exit 130, the emulator saw the COPY cancelled, the warehouse unchanged', async () => {
    const { child, exit } = sparkifyRun({ endpoint: server.url, s3: 's3://gated' });
    await gate.opened;
    child.kill('SIGINT');
    const { code, stdout, stderr } = await exit;
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT: cancelling');
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as { type: string; error?: { kind: string; exitCode: number } };
    expect(last).toMatchObject({ type: 'run.failed', error: { kind: 'cancelled', exitCode: 130 } });
    const { copy, session } = await copyAndSession('gated');
    expect(copy.Status).toBe('ABORTED');
    expect(session.at(-1)).toBe('ROLLBACK');
    expect(session).not.toContain('COMMIT');
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url })).toEqual(before);
  }, 120_000);

  it('a second SIGINT exits at once while the first still waits for a COPY that does not stop; nothing is committed', async () => {
    const { child, exit, stderrShows } = sparkifyRun({ endpoint: server.url, s3: 's3://stubborn' });
    await stubborn.opened;
    child.kill('SIGINT');
    // The first signal is being handled (CancelStatement sent, waiting for the COPY to stop) before the second comes.
    await stderrShows('SIGINT: cancelling');
    child.kill('SIGINT');
    const { code, stderr } = await exit;
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT again: exiting now');
    // The process is gone, its session is not: let the COPY go on, then let the session's
    // keep-alive run out (at once), as Redshift would for a client that died.
    stubborn.release();
    const { copy } = await copyAndSession('stubborn');
    await server.emulator.describeStatement({ Id: copy.Id, WaitTimeSeconds: 30 });
    expect(server.emulator.expireIdleSessions()).toBe(0);
    const { session } = await copyAndSession('stubborn');
    expect(session).not.toContain('COMMIT');
    expect(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url })).toEqual(before);
  }, 120_000);
});
