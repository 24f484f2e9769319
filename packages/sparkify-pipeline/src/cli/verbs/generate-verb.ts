import { resolve } from 'node:path';
import { ConfigError } from '@sparkify/core';
import { generateDataset } from '../../generator/generate-dataset.js';
import { cancelOnSignals } from '../cancellation.js';
import { invocationCwd } from '../invocation.js';
import type { Io } from '../output.js';
import { formatBytes, formatCount, formatDuration } from '../render/text-format.js';

export interface GenerateArgs {
  out: string;
  events: string;
  songs: string;
  seed: string;
  days?: string;
  startDate?: string;
  matchRate?: string;
  overwrite?: boolean;
  json?: boolean;
}

/** `sparkify generate`: a deterministic data set in the original S3 layout. */
export async function generateVerb(args: GenerateArgs, io: Io): Promise<number> {
  const events = positiveInt(args.events, '--events', 0);
  const songs = positiveInt(args.songs, '--songs', 1);
  const seed = positiveInt(args.seed, '--seed', 0);
  const days = args.days === undefined ? undefined : positiveInt(args.days, '--days', 1);
  const matchRate = args.matchRate === undefined ? undefined : fraction(args.matchRate, '--match-rate');
  const out = resolve(invocationCwd(), args.out);
  const started = Date.now();
  let lastReport = 0;
  const cancellation = cancelOnSignals();
  const result = await generateDataset({
    out,
    events,
    songs,
    seed,
    signal: cancellation.signal,
    ...(args.overwrite ? { overwrite: true } : {}),
    ...(days ? { days } : {}),
    ...(args.startDate ? { startDate: args.startDate } : {}),
    ...(matchRate !== undefined ? { matchRate } : {}),
    onProgress: (p) => {
      if (args.json || !io.stdoutIsTty || Date.now() - lastReport < 250) return;
      lastReport = Date.now();
      io.stdout(`\r\x1b[2Kwritten ${formatCount(p.eventsWritten)} events, ${formatCount(p.filesWritten)} files, ${formatBytes(p.bytesWritten)}`);
    },
  }).finally(() => cancellation.dispose());
  if (args.json) io.stdout(`${JSON.stringify({ out, ...result, elapsedMs: Date.now() - started })}\n`);
  else {
    if (io.stdoutIsTty) io.stdout('\r\x1b[2K');
    io.stdout(
      `wrote ${formatCount(result.events)} events in ${result.logFiles} log files and ${formatCount(result.songFiles)} song files ` +
        `(${formatBytes(result.bytes)}) to ${out} in ${formatDuration(Date.now() - started)}\n`,
    );
  }
  return 0;
}

function positiveInt(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${flag}: expected an integer ≥ ${min}, got "${text}"`, { location: { configPath: flag } });
  return n;
}

function fraction(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${flag}: expected a number from 0 to 1, got "${text}"`, { location: { configPath: flag } });
  return n;
}
