import { spawn } from 'node:child_process';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '../src/generator/generate-dataset.js';
import { dumpWarehouse, LOCAL_PIPELINE, REPO_ROOT, removeDir, runPipelineFile, tempDir, cliArgs } from '../src/testing.js';

// One process, as `pnpm sparkify` runs it (bin/sparkify.mjs): a SIGKILL must hit the run itself.
// A run is all or nothing: a `sparkify run` killed with SIGKILL at any moment leaves the
// warehouse holding either the previous complete state or the new one, never a mix.
const KILLS = 20;

let dir: string;
let before: Record<string, unknown[]>;
let after: Record<string, unknown[]>;
let dataA: string;
let dataB: string;

interface KilledRun {
  finished: boolean;
  events: string[];
  /** Milliseconds from spawn to the first event (process start-up) and to the exit. */
  firstEventMs: number;
  exitMs: number;
}

/**
 * Starts a real run and SIGKILLs it `killAtMs` after its first event (so start-up time, which
 * varies with the machine's load, does not move the kill), unless it has ended.
 */
function runAndKill(data: string, warehouse: string, killAtMs: number): Promise<KilledRun> {
  const spawned = Date.now();
  let firstEventMs = -1;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(['run', LOCAL_PIPELINE, '--json', '--param', `data=${data}`, '--param', `warehouse=${warehouse}`]), {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const events: string[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) events.push((JSON.parse(line) as { type: string }).type);
      if (firstEventMs < 0 && events.length > 0) {
        firstEventMs = Date.now() - spawned;
        timer = setTimeout(() => child.kill('SIGKILL'), killAtMs);
      }
    });
    let timer: NodeJS.Timeout | undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ finished: code === 0, events, firstEventMs, exitMs: Date.now() - spawned });
    });
  });
}

beforeAll(async () => {
  dir = await tempDir('sparkify-kill-');
  dataA = join(dir, 'a');
  dataB = join(dir, 'b');
  await generateDataset({ out: dataA, events: 20_000, songs: 600, seed: 1 });
  await generateDataset({ out: dataB, events: 24_000, songs: 700, seed: 2 });
  const reference = join(dir, 'reference.duckdb');
  expect((await runPipelineFile(LOCAL_PIPELINE, { data: dataA, warehouse: reference })).error).toBeUndefined();
  before = await dumpWarehouse(LOCAL_PIPELINE, { data: dataA, warehouse: reference });
  expect((await runPipelineFile(LOCAL_PIPELINE, { data: dataB, warehouse: reference })).error).toBeUndefined();
  after = await dumpWarehouse(LOCAL_PIPELINE, { data: dataB, warehouse: reference });
  expect(after).not.toEqual(before);
}, 120_000);

afterAll(async () => {
  await removeDir(dir);
});

it(`leaves the previous or the new complete warehouse when a run is killed at ${KILLS} moments`, async () => {
  const previous = join(dir, 'previous.duckdb');
  expect((await runPipelineFile(LOCAL_PIPELINE, { data: dataA, warehouse: previous })).error).toBeUndefined();
  const warehouse = join(dir, 'killed.duckdb');
  const restore = async () => {
    await rm(`${warehouse}.wal`, { force: true });
    await copyFile(previous, warehouse);
  };
  // How long a run works, from its first event to its exit: the kills are spread over that span.
  await restore();
  const full = await runAndKill(dataB, warehouse, 600_000);
  expect(full.finished).toBe(true);
  const span = full.exitMs - full.firstEventMs;

  const outcomes: string[] = [];
  for (let i = 0; i < KILLS; i++) {
    await restore();
    const killAt = Math.round((span * (i + 0.5)) / KILLS);
    const { finished, events } = await runAndKill(dataB, warehouse, killAt);
    const state = JSON.stringify(await dumpWarehouse(LOCAL_PIPELINE, { data: dataB, warehouse }));
    const which = state === JSON.stringify(before) ? 'previous' : state === JSON.stringify(after) ? 'new' : 'MIXED';
    outcomes.push(`${killAt} ms: ${finished ? 'finished' : `killed after ${events.at(-1) ?? 'no event'}`} → ${which}`);
    expect({ killAt, which }).toEqual({ killAt, which: finished ? 'new' : expect.stringMatching(/^(previous|new)$/) });
  }
  // The kills must have landed while the run worked, not all before or after it.
  expect(outcomes.filter((o) => /killed after (step|run\.started)/.test(o)).length).toBeGreaterThanOrEqual(KILLS / 2);
}, 600_000);
