// bin/sparkify.mjs runs the CLI from a JavaScript bundle it keeps fresh: built when missing,
// reused while no input changed, rebuilt when one did.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN, LOCAL_PIPELINE, UDACITY_SAMPLE } from '../src/testing.js';

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'sparkify-cli-bundle-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function launch(...args: string[]) {
  return spawnSync(process.execPath, [CLI_MAIN, ...args], { env: { ...process.env, SPARKIFY_CLI_BUNDLE_DIR: outDir }, encoding: 'utf8' });
}

const bundleBuiltAt = async () => (await stat(join(outDir, 'main.mjs'))).mtimeMs;

describe('the CLI bundle', () => {
  it('is built on first launch, and runs the CLI', async () => {
    const first = launch('--help');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Usage: sparkify');
    const manifest = JSON.parse(await readFile(join(outDir, 'main.inputs.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest)).toEqual(expect.arrayContaining(['packages/sparkify-pipeline/src/cli/main.ts', 'packages/core/src/index.ts', 'pnpm-lock.yaml']));
  });

  it('is reused while its inputs are unchanged', async () => {
    const before = await bundleBuiltAt();
    expect(launch('--help').status).toBe(0);
    expect(await bundleBuiltAt()).toBe(before);
  });

  it('is rebuilt when an input changed since the build', async () => {
    const manifestFile = join(outDir, 'main.inputs.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, string>;
    // As if core's index had been edited after the build.
    await writeFile(manifestFile, JSON.stringify({ ...manifest, 'packages/core/src/index.ts': '0:0' }));
    const before = await bundleBuiltAt();
    const relaunched = launch('--help');
    expect(relaunched.status).toBe(0);
    expect(await bundleBuiltAt()).toBeGreaterThan(before);
    expect(JSON.parse(await readFile(manifestFile, 'utf8'))).toEqual(manifest);
  });

  it('exits with the CLI exit codes (a config error is 2)', () => {
    const result = launch('run', 'no-such-pipeline.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no-such-pipeline.json');
  });
});

describe('the parse worker in the CLI bundle', () => {
  let data: string;
  beforeAll(async () => {
    // One log file above the size parsed on worker threads (256 KiB), and a record the
    // server-side load declines (a number into VARCHAR): the load goes client-side.
    data = join(outDir, 'data');
    await mkdir(join(data, 'log_data'), { recursive: true });
    await symlink(join(UDACITY_SAMPLE, 'song_data'), join(data, 'song_data'), 'dir');
    await copyFile(join(UDACITY_SAMPLE, 'log_json_path.json'), join(data, 'log_json_path.json'));
    const days = (await readdir(join(UDACITY_SAMPLE, 'log_data'), { recursive: true })).filter((name) => name.endsWith('.json')).sort();
    const logs = await Promise.all(days.map((day) => readFile(join(UDACITY_SAMPLE, 'log_data', day), 'utf8')));
    const declined = JSON.stringify({ artist: 1.5, auth: 'Logged In', level: 'free', page: 'Home', sessionId: 1, ts: 1543537327796, userId: '1' });
    await writeFile(join(data, 'log_data', 'all.json'), [...logs.map((log) => log.trimEnd()), declined].join('\n'));
  });

  const loadEvents = (warehouse: string) => {
    const run = launch('run', LOCAL_PIPELINE, '--json', '--param', `data=${data}`, '--param', `warehouse=${join(outDir, warehouse)}`);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; step?: string; load?: { path: string; rowsLoaded: number } });
    return { run, load: events.find((event) => event.type === 'step.rows' && event.step === 'load_events')?.load };
  };

  it('is an entry of its own, started by the bundled CLI for a client-side load', async () => {
    const { run, load } = loadEvents('with-worker.duckdb');
    expect(run.stderr).toBe(''); // no warning that the workers could not start
    expect(run.status).toBe(0);
    expect(load).toMatchObject({ path: 'client', rowsLoaded: 8057 });
    expect((await readdir(join(outDir, 'chunks'))).some((name) => name.startsWith('parse-worker-'))).toBe(true);
  });

  it('is not needed: without it the load parses on the main thread, with a warning', async () => {
    const workers = (await readdir(join(outDir, 'chunks'))).filter((name) => name.startsWith('parse-worker-'));
    for (const name of workers) await rename(join(outDir, 'chunks', name), join(outDir, name));
    try {
      const { run, load } = loadEvents('without-worker.duckdb');
      expect(run.stderr).toContain('parse workers cannot start');
      expect(run.status).toBe(0);
      expect(load).toMatchObject({ path: 'client', rowsLoaded: 8057 });
    } finally {
      for (const name of workers) await rename(join(outDir, name), join(outDir, 'chunks', name));
    }
  });
});
