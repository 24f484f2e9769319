export interface Row {
  name: string;
  description: string;
  wallMs: number;
  peakRssBytes: number;
  events: number;
  phases: Record<string, number>;
  /** The row this one is a ratio of. */
  baseline?: string;
  /** Wall time of each run, when the row was run more than once (wallMs is their median). */
  walls?: number[];
  /** Per round, this row's wall time over another row's (by name) in the same round. */
  ratios?: Record<string, number[]>;
  overheadMs?: { inProcess: number; http: number };
  stdout?: string;
}

export interface BenchResult {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  data: { events: number; songs: number; seed: number; bytes: number; emulatorEvents: number };
  /** Rounds of the paired rows (absent in results recorded before rounds were taken: one). */
  repeat?: number;
  rows: Row[];
}

interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean;
}

const GB = 2 ** 30;
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const millions = (events: number) => `${events / 1_000_000}M`;
const fmtRate = (perSecond: number) => `${Math.round(perSecond / 1000)}k/s`;

/** Events per second of the phases whose names start with `prefix` (the loads). */
function rate(row: Row, prefix: string): number {
  const ms = Object.entries(row.phases).filter(([name]) => name.startsWith(prefix)).reduce((sum, [, v]) => sum + v, 0);
  return ms > 0 ? row.events / (ms / 1000) : NaN;
}

/** The median of the per-round ratios where the rows ran in rounds; else the ratio of their wall times. */
function ratioOf(row: Row, other: Row): number {
  const paired = row.ratios?.[other.name];
  if (!paired || paired.length === 0) return row.wallMs / other.wallMs;
  const sorted = [...paired].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Issue 6's targets, judged on the figures of this run. */
export function targets(result: BenchResult): Target[] {
  const by = (name: string) => result.rows.find((r) => r.name === name);
  const out: Target[] = [];
  const baseline = by('baseline');
  const local = by('local');
  if (baseline && local) {
    const ratio = ratioOf(local, baseline);
    out.push({ what: 'local wall time vs baseline', goal: '≤ 1.25x', measured: `${ratio.toFixed(2)}x`, met: ratio <= 1.25 });
    const limit = result.data.events > 2_000_000 ? 1.5 * GB : 1 * GB;
    out.push({ what: 'local peak RSS', goal: `≤ ${limit / GB} GB`, measured: fmtMb(local.peakRssBytes), met: local.peakRssBytes <= limit });
  }
  const base1m = by('local_1m');
  if (local && base1m) {
    const ratio = ratioOf(local, base1m);
    const goal = 1.1 * (local.events / base1m.events);
    out.push({ what: `local at ${millions(local.events)} vs at ${millions(base1m.events)} (scaling)`, goal: `≤ ${goal.toFixed(1)}x`, measured: `${ratio.toFixed(2)}x`, met: ratio <= goal });
  }
  const stream = by('stream');
  if (stream) {
    const r = rate(stream, 'load_events');
    out.push({ what: 'stream into DuckDB', goal: '≥ 300k events/s', measured: fmtRate(r), met: r >= 300_000 });
  }
  const emulator = by('emulator');
  if (emulator) {
    const r = rate(emulator, 'copy_events');
    out.push({ what: 'emulator COPY into PGlite', goal: '≥ 50k events/s', measured: fmtRate(r), met: r >= 50_000 });
    if (emulator.overheadMs) {
      out.push({ what: 'sink overhead per statement, HTTP', goal: '≤ 25 ms', measured: `${emulator.overheadMs.http.toFixed(2)} ms`, met: emulator.overheadMs.http <= 25 });
      out.push({ what: 'sink overhead per statement, in-process', goal: '≤ 5 ms', measured: `${emulator.overheadMs.inProcess.toFixed(2)} ms`, met: emulator.overheadMs.inProcess <= 5 });
    }
  }
  return out;
}

function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

/** How the paired rows were measured, when in rounds. */
function roundsNote(result: BenchResult): string[] {
  const repeat = result.repeat ?? 1;
  if (repeat <= 1) return [];
  const rounded = result.rows.filter((row) => row.walls && row.walls.length > 1);
  return [
    `${rounded.map((row) => `\`${row.name}\``).join(', ')}: ${repeat} rounds, each running them in turn. Each shows its median run (wall time, phases); ` +
      `its ratio is the median of the ratios within rounds; peak RSS is the largest of its runs. Wall times of the runs: ` +
      rounded.map((row) => `${row.name} ${row.walls!.map(fmtMs).join(', ')}`).join('; ') + '.',
    '',
  ];
}

function measurementRows(result: BenchResult): string[][] {
  const byName = new Map(result.rows.map((r) => [r.name, r]));
  return result.rows.map((row) => {
    const base = row.baseline ? byName.get(row.baseline) : undefined;
    return [
      row.name,
      fmtMs(row.wallMs),
      base ? `${ratioOf(row, base).toFixed(2)}x` : row.name === 'baseline' ? '1.00x' : '',
      Number.isFinite(row.events / (row.wallMs / 1000)) ? fmtRate(row.events / (row.wallMs / 1000)) : '',
      fmtMb(row.peakRssBytes),
      Object.entries(row.phases).map(([name, ms]) => `${name} ${fmtMs(ms)}`).join(', '),
    ];
  });
}

const HEADERS = ['run', 'wall (process)', 'vs baseline', 'events/s (wall)', 'peak RSS', 'phases'];

export function renderTable(result: BenchResult): string {
  const lines = [
    `${result.data.events.toLocaleString('en-US')} events (${fmtMb(result.data.bytes)}), ${result.data.songs.toLocaleString('en-US')} songs, seed ${result.data.seed}; emulator at ${result.data.emulatorEvents.toLocaleString('en-US')} events`,
    '',
    ...table(HEADERS, measurementRows(result)),
    '',
    ...roundsNote(result),
    ...table(['target', 'goal', 'measured', 'met'], targets(result).map((t) => [t.what, t.goal, t.measured, t.met ? 'yes' : 'NO'])),
  ];
  return lines.join('\n');
}

/** One recorded run: its data, its measurements, its targets. */
function recordedSection(result: BenchResult): string[] {
  const m = result.machine;
  return [
    `## ${result.data.events.toLocaleString('en-US')} events`,
    '',
    `Run at ${result.at} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}).`,
    `Data: ${result.data.events.toLocaleString('en-US')} generated events (${fmtMb(result.data.bytes)}) and ${result.data.songs.toLocaleString('en-US')} song files, seed ${result.data.seed}` +
      (result.rows.some((row) => row.name === 'emulator') ? `; the emulator runs at ${result.data.emulatorEvents.toLocaleString('en-US')} events.` : '.'),
    '',
    ...table(HEADERS, measurementRows(result)),
    '',
    ...roundsNote(result),
    ...table(['target', 'goal', 'measured', 'met'], targets(result).map((t) => [t.what, t.goal, t.measured, t.met ? 'yes' : '**no**'])),
    '',
  ];
}

export function renderMarkdown(results: readonly BenchResult[]): string {
  return [
    '# Benchmarks',
    '',
    'Produced by `pnpm bench --record`, one section per data size: each is the last run recorded at that size, whose raw figures are committed beside it (`bench/results/recorded-e<events>.json`); other runs write theirs under `bench/results/` uncommitted.',
    'Every figure is measured in the same run as its baseline: these machines are noisy, so compare ratios, not seconds. `baseline` and `local` run in rounds (`--repeat`, default 3), in turn within each round, and a ratio is the median of the ratios within rounds. Above 1M events, `local` is also run at 1M events in each round, for the scaling target.',
    '',
    ...results.flatMap(recordedSection),
    '## What each row is',
    '',
    '- `baseline`: DuckDB alone (`bench/src/baseline-duckdb.mjs`, plain JavaScript, no TypeScript loader): `read_json` with explicit columns into the staging tables, then the same transform SQL, into a database file, `preserve_insertion_order = false`, 1 GB memory limit; a whole node process.',
    '- `local`: `sparkify run pipelines/local.json` as a child process (`node packages/sparkify-pipeline/bin/sparkify.mjs`, what `pnpm sparkify` runs, its CLI bundle already built), process start included. `local_1m`: the same at 1M events.',
    '- `stream`: the client-side path (`bench/src/stream-load.ts`): the JSON source streaming records through the Redshift semantics module into the DuckDB sink’s client-side load (column batches taken by an INSERT from a table function).',
    '- `emulator`: the Redshift sink on the emulator in-process (`bench/src/emulator-bench.ts`): COPY from the emulator’s S3 into PGlite and the transforms; then the median time the sink adds per trivial statement over the emulator’s own execution time, in-process and over HTTP with the AWS SDK.',
    '',
    '## Reproduce',
    '',
    '```sh',
    'pnpm bench                                          # 1M events (generated once, cached under bench/data/)',
    'pnpm bench --events 5000000 --songs 100000 --only baseline --only local   # 5M events, and local at 1M for scaling',
    'pnpm bench --only local --only baseline --repeat 5   # more rounds, a steadier ratio',
    'pnpm bench --record                                 # also record this run in this file',
    '```',
    '',
  ].join('\n');
}
