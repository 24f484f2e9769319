import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { generateDataset } from '../src/generator/generate-dataset.js';
import { dumpWarehouse, LOCAL_PIPELINE, REPO_ROOT, removeDir, runPipelineFile, tempDir, cliArgs } from '../src/testing.js';

// Two runs on one DuckDB file: the second fails at once with a clear message, the first
// finishes, and nothing is corrupted.
let dir: string;

beforeAll(async () => {
  dir = await tempDir('sparkify-concurrent-');
});
afterAll(async () => {
  await removeDir(dir);
});

it('refuses a second run on a warehouse file another run holds, and the first completes', async () => {
  const data = join(dir, 'data');
  await generateDataset({ out: data, events: 30_000, songs: 500, seed: 3 });
  const warehouse = join(dir, 'shared.duckdb');
  const first = spawn(process.execPath, cliArgs(['run', LOCAL_PIPELINE, '--json', '--param', `data=${data}`, '--param', `warehouse=${warehouse}`]), {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const firstExit = new Promise<number | null>((resolve) => first.on('close', resolve));
  // Wait until the first run holds the file (its first step has started).
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    first.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('"type":"step.started"')) resolve();
    });
    first.on('close', () => reject(new Error('the first run ended before it started a step')));
  });
  const second = await runPipelineFile(LOCAL_PIPELINE, { data, warehouse });
  expect(second.error).toMatchObject({ kind: 'warehouse', exitCode: 4 });
  expect(second.error?.message).toMatch(/another run holds the DuckDB warehouse file .*shared\.duckdb/);
  expect(await firstExit).toBe(0);

  const reference = join(dir, 'reference.duckdb');
  expect((await runPipelineFile(LOCAL_PIPELINE, { data, warehouse: reference })).error).toBeUndefined();
  expect(await dumpWarehouse(LOCAL_PIPELINE, { data, warehouse })).toEqual(await dumpWarehouse(LOCAL_PIPELINE, { data, warehouse: reference }));
}, 120_000);
