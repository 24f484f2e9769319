import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Measured {
  /** Whole process, start-up included, milliseconds. */
  wallMs: number;
  peakRssBytes: number;
  stdout: string;
}

const TSX_LOADER = pathToFileURL(join(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs')).href;
const PEAK_RSS = pathToFileURL(join(import.meta.dirname, 'peak-rss.mjs')).href;

/**
 * Runs an entry point as its own node process and measures it: a `.ts` one through tsx, a
 * JavaScript one (the CLI launcher, the baseline) with no loader at all.
 */
export async function measureProcess(entry: string, args: readonly string[], cwd: string): Promise<Measured> {
  const scratch = await mkdtemp(join(tmpdir(), 'sparkify-bench-rss-'));
  const rssFile = join(scratch, 'rss');
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const loader = entry.endsWith('.ts') ? ['--import', TSX_LOADER] : [];
      const child = spawn(process.execPath, [...loader, '--import', PEAK_RSS, entry, ...args], {
        cwd,
        env: { ...process.env, BENCH_RSS_FILE: rssFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${entry} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
    return { wallMs, peakRssBytes: Number(await readFile(rssFile, 'utf8')), stdout };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
