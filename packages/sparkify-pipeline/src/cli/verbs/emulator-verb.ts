import { resolve } from 'node:path';
import { ConfigError } from '@sparkify/core';
import { startEmulatorServer } from '@sparkify/redshift-emulator';
import { invocationCwd } from '../invocation.js';
import type { Io } from '../output.js';

export interface EmulatorArgs {
  port: string;
  s3Dir?: string;
  dataDir?: string;
  faultRate?: string;
  latency?: string;
}

/**
 * `sparkify emulator`: a local Redshift (Data API on PGlite) and S3 on one port, until SIGINT or
 * SIGTERM. stdout holds exactly one line, `listening on URL`, for scripts to wait for.
 */
export async function emulatorVerb(args: EmulatorArgs, io: Io): Promise<number> {
  const cwd = invocationCwd();
  const port = bounded(args.port, '--port', 0, 65535, true);
  const faultRate = args.faultRate === undefined ? undefined : bounded(args.faultRate, '--fault-rate', 0, 1, false);
  const latencyMs = args.latency === undefined ? undefined : bounded(args.latency, '--latency', 0, 600_000, true);
  const server = await startEmulatorServer({
    port,
    ...(args.s3Dir ? { s3Dir: resolve(cwd, args.s3Dir) } : {}),
    // Without --data-dir the database lives in a temporary folder, removed on exit: PGlite's
    // in-memory file system slows down as tables grow, an on-disk one does not.
    ...(args.dataDir ? { dataDir: resolve(cwd, args.dataDir) } : { tempDataDir: true }),
    ...(faultRate !== undefined ? { faultRate } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  });
  io.stdout(`listening on ${server.url}\n`);
  io.stderr(
    `Redshift Data API and S3 (path-style) on ${server.url}${args.s3Dir ? `, buckets from ${resolve(cwd, args.s3Dir)}` : ''}.\n` +
      `Any AWS keys work: export AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator, then e.g.\n` +
      `  pnpm sparkify run pipelines/redshift.json --param endpoint=${server.url}\n`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  io.stderr('emulator stopped\n');
  return 0;
}

function bounded(text: string, flag: string, min: number, max: number, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new ConfigError(`${flag}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`, { location: { configPath: flag } });
  }
  return n;
}
