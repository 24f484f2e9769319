// `pnpm bench [--events N] [--songs N] [--only NAME] [--repeat N] [--record]`: the local path against DuckDB
// alone, the client-side stream, and the Redshift path on the emulator, measured in one run; above
// 1M events, local also at 1M for the scaling target.
// Figures are ratios to a baseline measured in the same run: these machines are noisy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { duckdbDialect } from '@sparkify/sink-duckdb';
import { generateDataset, sparkifyTables, sparkifyTransforms } from '@sparkify/sparkify-pipeline';
import { measureProcess, type Measured } from './measure.js';
import { renderMarkdown, renderTable, type BenchResult, type Row } from './results-table.js';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    songs: { type: 'string' },
    'emulator-events': { type: 'string', default: '100000' },
    statements: { type: 'string', default: '200' },
    only: { type: 'string', multiple: true },
    seed: { type: 'string', default: '42' },
    record: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
  },
});
const events = Number(values.events);
const songs = Number(values.songs ?? Math.max(100, Math.round(events / 100)));
const emulatorEvents = Math.min(events, Number(values['emulator-events']));
const seed = Number(values.seed);
const only = new Set(values.only ?? ['baseline', 'local', 'stream', 'emulator']);
/** Rounds of baseline and local (and local_1m), run in turn: one slow or lucky run must not decide a target. */
const repeat = Math.max(1, Math.trunc(Number(values.repeat)));
const scratch = join(ROOT, 'bench/data/scratch');

/** Generated once per size and seed, cached under bench/data (git-ignored). */
async function dataset(eventCount: number, songCount: number): Promise<string> {
  const dir = join(ROOT, 'bench/data', `e${eventCount}-s${songCount}-seed${seed}`);
  if (existsSync(join(dir, 'complete'))) return dir;
  process.stderr.write(`generating ${eventCount} events and ${songCount} songs into ${dir} …\n`);
  await rm(dir, { recursive: true, force: true });
  await generateDataset({ out: dir, events: eventCount, songs: songCount, seed });
  await writeFile(join(dir, 'complete'), '');
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function totalBytes(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(file)).size;
  return total;
}

/**
 * Reads every file once, so that each measured run finds the data in the page cache: otherwise
 * the first run (the baseline) alone pays for the disk, and the ratios flatter what follows it
 * (1.31x instead of 1.94x at 1M events, measured right after a 5M run had evicted the 1M files).
 */
async function warmPageCache(files: readonly string[]): Promise<void> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      while ((await handle.read(buffer, 0, buffer.length)).bytesRead > 0);
    } finally {
      await handle.close();
    }
  }
}

/** `sparkify run pipelines/local.json` over `data` into `file`, as users run it. */
function runLocal(launcher: string, data: string, file: string): Promise<Measured> {
  return measureProcess(launcher, ['run', 'pipelines/local.json', '--json', '--param', `data=${data}`, '--param', `warehouse=${file}`], ROOT);
}

/** Scaling compares `local` at a larger size with `local` at this one, measured in the same run. */
const SCALING_BASE_EVENTS = 1_000_000;

/** BENCHMARKS.md shows the recorded run of each size (bench/results/recorded-e<events>.json, committed). */
async function recordedResults(): Promise<BenchResult[]> {
  const dir = join(ROOT, 'bench/results');
  const names = (await readdir(dir)).filter((name) => /^recorded-e\d+\.json$/.test(name));
  const results = await Promise.all(names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as BenchResult));
  return results.sort((a, b) => a.data.events - b.data.events);
}

const parsed = (m: Measured) => JSON.parse(m.stdout.trim().split('\n').at(-1)!) as { events: number; phases: Record<string, number>; [k: string]: unknown };

/** The phases of a CLI run, from its --json step.finished events. */
function cliPhases(stdout: string): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    if (!line.includes('"step.finished"')) continue;
    const event = JSON.parse(line) as { step: string; summary: { elapsedMs: number } };
    phases[event.step] = event.summary.elapsedMs;
  }
  return phases;
}

/**
 * baseline, local and (above 1M events) local_1m, each run `repeat` times, in turn within each
 * round, so that a drift of the machine's speed meets every command alike. Each row shows its
 * median run; a ratio is the median of the ratios within rounds (as paired timing tools take
 * them); peak RSS is the largest of the runs.
 */
async function pairedRows(data: string, db: (name: string) => string): Promise<Row[]> {
  const runs = new Map<string, { measured: Measured[]; row: Omit<Row, 'wallMs' | 'peakRssBytes' | 'phases'>; phases: (m: Measured) => Record<string, number> }>();
  const add = (name: string, row: Omit<Row, 'wallMs' | 'peakRssBytes' | 'phases'>, phases: (m: Measured) => Record<string, number>, m: Measured) => {
    const entry = runs.get(name) ?? { measured: [], row, phases };
    entry.measured.push(m);
    runs.set(name, entry);
  };
  // The baseline runs the pipeline's own SQL, handed over as text: it loads no TypeScript.
  const sqlFile = join(scratch, 'baseline-sql.json');
  const createTables = sparkifyTables.map((table) => duckdbDialect.renderCreateTable(table));
  await writeFile(sqlFile, JSON.stringify({ createTables, transforms: sparkifyTransforms.flatMap((transform) => transform.statements) }));
  // Users build the CLI bundle once (at their first `pnpm sparkify`); a build is not a run.
  const launcher = join(ROOT, 'packages/sparkify-pipeline/bin/sparkify.mjs');
  if (only.has('local') && spawnSync(process.execPath, [launcher, '--help'], { stdio: 'ignore' }).status !== 0) throw new Error('the CLI bundle does not build');
  const scalingData = only.has('local') && events > SCALING_BASE_EVENTS ? await dataset(SCALING_BASE_EVENTS, SCALING_BASE_EVENTS / 100) : undefined;
  if (scalingData) await warmPageCache(await filesUnder(scalingData));
  for (let round = 1; round <= repeat; round++) {
    if (repeat > 1) process.stderr.write(`round ${round} of ${repeat} …\n`);
    const base = await measureProcess(join(ROOT, 'bench/src/baseline-duckdb.mjs'), [data, db('baseline'), sqlFile], ROOT);
    add('baseline', { name: 'baseline', description: 'DuckDB alone: read_json into staging, same transforms, into a file', events: parsed(base).events }, (r) => parsed(r).phases, base);
    if (only.has('local')) {
      await rm(db('local'), { force: true });
      const m = await runLocal(launcher, data, db('local'));
      add('local', { name: 'local', description: 'sparkify run pipelines/local.json, as a child process', events, baseline: 'baseline' }, (r) => cliPhases(r.stdout), m);
    }
    if (scalingData) {
      await rm(db('local_1m'), { force: true });
      const m = await runLocal(launcher, scalingData, db('local_1m'));
      const description = `local at ${SCALING_BASE_EVENTS.toLocaleString('en-US')} events, for scaling`;
      add('local_1m', { name: 'local_1m', description, events: SCALING_BASE_EVENTS }, (r) => cliPhases(r.stdout), m);
    }
  }
  const walls = (name: string) => runs.get(name)?.measured.map((m) => m.wallMs) ?? [];
  return [...runs.entries()].map(([name, { measured, row, phases }]) => {
    const middle = medianOf(measured.map((m) => m.wallMs));
    const median = measured.find((m) => m.wallMs === middle)!;
    const ratios: Record<string, number[]> = {};
    for (const other of name === 'local' ? ['baseline', 'local_1m'] : []) {
      const theirs = walls(other);
      if (theirs.length === measured.length) ratios[other] = measured.map((m, i) => m.wallMs / theirs[i]!);
    }
    return {
      ...row,
      wallMs: median.wallMs,
      walls: measured.map((m) => m.wallMs),
      peakRssBytes: Math.max(...measured.map((m) => m.peakRssBytes)),
      phases: phases(median),
      ...(Object.keys(ratios).length > 0 ? { ratios } : {}),
      stdout: median.stdout,
    };
  });
}

/** The middle value (the upper middle of an even count: an actual run's figure). */
function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  await mkdir(scratch, { recursive: true });
  const data = await dataset(events, songs);
  const dataFiles = await filesUnder(data);
  const dataBytes = await totalBytes(dataFiles);
  if (only.has('baseline') || only.has('local') || only.has('stream')) await warmPageCache(dataFiles);
  const rows: Row[] = [];
  const db = (name: string) => join(scratch, `${name}.duckdb`);

  if (only.has('baseline') || only.has('local')) rows.push(...(await pairedRows(data, db)));
  if (only.has('stream')) {
    const m = await measureProcess(join(ROOT, 'bench/src/stream-load.ts'), [data, db('stream')], ROOT);
    rows.push({ name: 'stream', description: 'client-side: source → DuckDB sink (column batches, INSERT from a table function), both staging tables', ...m, events: parsed(m).events, phases: parsed(m).phases });
  }
  if (only.has('emulator')) {
    const emulatorData = await dataset(emulatorEvents, Math.max(100, Math.round(emulatorEvents / 100)));
    await warmPageCache(await filesUnder(emulatorData));
    const m = await measureProcess(join(ROOT, 'bench/src/emulator-bench.ts'), [emulatorData, values.statements!], ROOT);
    const figures = parsed(m) as ReturnType<typeof parsed> & { overheadMs: { inProcess: number; http: number } };
    rows.push({ name: 'emulator', description: 'Redshift path on the emulator (PGlite): COPY + transforms, in-process', ...m, events: figures.events, phases: figures.phases, overheadMs: figures.overheadMs });
  }

  const result: BenchResult = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    data: { events, songs, seed, bytes: dataBytes, emulatorEvents },
    repeat,
    rows: rows.map((r) => ({ ...r, stdout: undefined })),
  };
  process.stdout.write(`${renderTable(result)}\n`);
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  await writeFile(join(ROOT, 'bench/results', `${result.at.replace(/[:.]/g, '-')}-e${events}.json`), json);
  await writeFile(join(ROOT, 'bench/results', 'latest.json'), json);
  if (values.record) {
    await writeFile(join(ROOT, 'bench/results', `recorded-e${events}.json`), json);
    await writeFile(join(ROOT, 'BENCHMARKS.md'), renderMarkdown(await recordedResults()));
  }
  await rm(scratch, { recursive: true, force: true });
}

await main();
