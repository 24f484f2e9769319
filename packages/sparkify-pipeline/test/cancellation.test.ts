import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { generateDataset } from '../src/generator/generate-dataset.js';
import { cliArgs, dumpWarehouse, LOCAL_PIPELINE, REPO_ROOT, removeDir, runPipelineFile, tempDir } from '../src/testing.js';

// Ctrl-C (SIGINT) or SIGTERM stops a run: nothing is committed, the exit code says cancelled,
// and a second Ctrl-C exits at once.
let dir: string;
let data: string;
let warehouse: string;
let before: Record<string, unknown[]>;

beforeAll(async () => {
  dir = await tempDir('sparkify-cancel-');
  data = join(dir, 'data');
  await generateDataset({ out: data, events: 60_000, songs: 800, seed: 5 });
  warehouse = join(dir, 'warehouse.duckdb');
  expect((await runPipelineFile(LOCAL_PIPELINE, { data: join(REPO_ROOT, 'data/sample'), warehouse })).error).toBeUndefined();
  before = await dumpWarehouse(LOCAL_PIPELINE, { warehouse });
}, 120_000);

afterAll(async () => {
  await removeDir(dir);
});

/** Starts a run and sends `signals` once it is loading (after its first progress event). */
function interrupt(signals: NodeJS.Signals[]): Promise<{ code: number | null; stderr: string; msAfterLastSignal: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(['run', LOCAL_PIPELINE, '--json', '--param', `data=${data}`, '--param', `warehouse=${warehouse}`]), {
      cwd: REPO_ROOT,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    let lastSignalAt = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && stdout.includes('"type":"step.progress"')) {
        signalled = true;
        for (const signal of signals) {
          child.kill(signal);
          lastSignalAt = Date.now();
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, msAfterLastSignal: Date.now() - lastSignalAt }));
  });
}

it.each(['SIGINT', 'SIGTERM'] as const)('%s cancels the run: exit 130, nothing committed', async (signal) => {
  const { code, stderr } = await interrupt([signal]);
  expect(code).toBe(130);
  expect(stderr).toMatch(/cancel/i);
  expect(await dumpWarehouse(LOCAL_PIPELINE, { warehouse })).toEqual(before);
}, 120_000);

it('a second SIGINT exits at once, even while the first is still cancelling', async () => {
  const fixture = join(REPO_ROOT, 'packages/sparkify-pipeline/test/fixtures/cancel-never-finishes.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stdout = '';
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout === 'ready\n') child.kill('SIGINT');
      if (stdout.endsWith('cancelling\n')) resolve();
    }),
  );
  child.kill('SIGINT');
  expect(await exit).toBe(130);
  expect(stderr).toMatch(/SIGINT: cancelling[\s\S]*SIGINT again: exiting now/);
}, 60_000);
