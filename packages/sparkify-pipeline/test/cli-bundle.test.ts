// bin/sparkify.mjs runs the CLI from a JavaScript bundle it keeps fresh: built when missing,
// reused while no input changed, rebuilt when one did.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN } from '../src/testing.js';

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
