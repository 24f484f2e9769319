import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EmulatorServer } from '@sparkify/redshift-emulator';
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

// The Redshift path is all or nothing too: a run is one Data API session transaction. Killed
// with SIGKILL, its session outlives it until the keep-alive runs out, then Redshift (here the
// emulator, asked to expire idle sessions at once) rolls it back.
const KILLS = 20;
const DATASETS = { a: 's3://udacity-dend', b: 's3://generated' } as const;

let server: EmulatorServer;
let sample: SampleEmulator;
const states: Record<string, string> = {};

beforeAll(async () => {
  useEmulatorCredentials();
  sample = await startSampleEmulator({ links: { generated: join(REPO_ROOT, 'data/sample') } });
  server = sample.server;
  for (const [name, s3] of Object.entries(DATASETS)) {
    expect((await runPipelineFile(REDSHIFT_PIPELINE, { endpoint: server.url, s3 })).error).toBeUndefined();
    states[name] = JSON.stringify(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url }));
  }
  expect(states['a']).not.toEqual(states['b']);
}, 180_000);

afterAll(async () => {
  await sample?.close();
});

function runAndKill(s3: string, killAtMs: number): Promise<{ finished: boolean; firstEventMs: number; exitMs: number; last?: string }> {
  const spawned = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(['run', REDSHIFT_PIPELINE, '--json', '--param', `endpoint=${server.url}`, '--param', `s3=${s3}`]), {
      cwd: REPO_ROOT,
      // Jest's process.env is the test's own copy: the child gets it explicitly.
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let firstEventMs = -1;
    let last: string | undefined;
    // Killed `killAtMs` after its first event: start-up time varies with the machine's load.
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (firstEventMs < 0) {
        firstEventMs = Date.now() - spawned;
        timer = setTimeout(() => child.kill('SIGKILL'), killAtMs);
      }
      last = /"type":"([a-z.]+)"[^\n]*\n?$/.exec(chunk.toString())?.[1] ?? last;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ finished: code === 0, firstEventMs, exitMs: Date.now() - spawned, ...(last ? { last } : {}) });
    });
  });
}

/** What the dead client's session would do when its keep-alive runs out. */
async function expireDeadSessions(): Promise<void> {
  while (server.emulator.expireIdleSessions() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
}

it(`leaves the previous or the new complete warehouse when a Redshift run is killed at ${KILLS} moments`, async () => {
  const full = await runAndKill(DATASETS.a, 600_000);
  expect(full.finished).toBe(true);
  const span = full.exitMs - full.firstEventMs;
  let current = 'a';
  let landedMidRun = 0;
  for (let i = 0; i < KILLS; i++) {
    const target = current === 'a' ? 'b' : 'a';
    const killAt = Math.round((span * (i + 0.5)) / KILLS);
    const { finished, last } = await runAndKill(DATASETS[target], killAt);
    await expireDeadSessions();
    const state = JSON.stringify(await dumpWarehouse(REDSHIFT_PIPELINE, { endpoint: server.url }));
    const which = state === states[current] ? current : state === states[target] ? target : 'MIXED';
    expect({ killAt, last, which }).toEqual({ killAt, last, which: finished ? target : expect.stringMatching(/^(a|b)$/) });
    if (!finished && last && last !== 'run.finished') landedMidRun++;
    current = which;
  }
  expect(landedMidRun).toBeGreaterThanOrEqual(KILLS / 2);
}, 600_000);
