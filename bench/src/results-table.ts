export interface Row {
  name: string;
  description: string;
  wallMs: number;
  peakRssBytes: number;
  events: number;
  phases: Record<string, number>;
  /** The row this one is a ratio of. */
  baseline?: string;
  overheadMs?: { inProcess: number; http: number };
  stdout?: string;
}

export interface BenchResult {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  data: { events: number; songs: number; seed: number; bytes: number; emulatorEvents: number };
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
const fmtRate = (perSecond: number) => `${Math.round(perSecond / 1000)}k/s`;

/** Events per second of the phases whose names start with `prefix` (the loads). */
function rate(row: Row, prefix: string): number {
  const ms = Object.entries(row.phases).filter(([name]) => name.startsWith(prefix)).reduce((sum, [, v]) => sum + v, 0);
  return ms > 0 ? row.events / (ms / 1000) : NaN;
}

/** Issue 6's targets, judged on the figures of this run. */
export function targets(result: BenchResult): Target[] {
  const by = (name: string) => result.rows.find((r) => r.name === name);
  const out: Target[] = [];
  const baseline = by('baseline');
  const local = by('local');
  if (baseline && local) {
    const ratio = local.wallMs / baseline.wallMs;
    out.push({ what: 'local wall time vs baseline', goal: '≤ 1.25x', measured: `${ratio.toFixed(2)}x`, met: ratio <= 1.25 });
    const limit = result.data.events > 2_000_000 ? 1.5 * GB : 1 * GB;
    out.push({ what: 'local peak RSS', goal: `≤ ${limit / GB} GB`, measured: fmtMb(local.peakRssBytes), met: local.peakRssBytes <= limit });
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

function measurementRows(result: BenchResult): string[][] {
  const byName = new Map(result.rows.map((r) => [r.name, r]));
  return result.rows.map((row) => {
    const base = row.baseline ? byName.get(row.baseline) : undefined;
    return [
      row.name,
      fmtMs(row.wallMs),
      base ? `${(row.wallMs / base.wallMs).toFixed(2)}x` : row.name === 'baseline' ? '1.00x' : '',
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
    ...table(['target', 'goal', 'measured', 'met'], targets(result).map((t) => [t.what, t.goal, t.measured, t.met ? 'yes' : 'NO'])),
  ];
  return lines.join('\n');
}

export function renderMarkdown(result: BenchResult): string {
  const m = result.machine;
  return [
    '# Benchmarks',
    '',
    'Produced by `pnpm bench --record`; every run also writes its raw figures as JSON under `bench/results/` (not committed). The 5M-event targets come from a run at that size (`pnpm bench --events 5000000 --songs 100000`); scaling compares its `local` time with a 1M run\u2019s.',
    'Every figure is measured in the same run as its baseline: these machines are noisy, so compare ratios, not seconds.',
    '',
    `Run at ${result.at} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}).`,
    `Data: ${result.data.events.toLocaleString('en-US')} generated events (${fmtMb(result.data.bytes)}) and ${result.data.songs.toLocaleString('en-US')} song files, seed ${result.data.seed}; the emulator runs at ${result.data.emulatorEvents.toLocaleString('en-US')} events.`,
    '',
    '## Measurements',
    '',
    ...table(HEADERS, measurementRows(result)),
    '',
    '- `baseline`: DuckDB alone (`bench/src/baseline-duckdb.mjs`, plain JavaScript, no TypeScript loader): `read_json` with explicit columns into the staging tables, then the same transform SQL, into a database file, `preserve_insertion_order = false`, 1 GB memory limit; a whole node process.',
    '- `local`: `sparkify run pipelines/local.json` as a child process (`node packages/sparkify-pipeline/bin/sparkify.mjs`, what `pnpm sparkify` runs, its CLI bundle already built), process start included.',
    '- `stream`: the client-side path (`bench/src/stream-load.ts`): the JSON source streaming records through the Redshift semantics module into DuckDB’s appender.',
    '- `emulator`: the Redshift sink on the emulator in-process (`bench/src/emulator-bench.ts`): COPY from the emulator’s S3 into PGlite and the transforms; then the median time the sink adds per trivial statement over the emulator’s own execution time, in-process and over HTTP with the AWS SDK.',
    '',
    '## Targets (issue 6)',
    '',
    ...table(['target', 'goal', 'measured', 'met'], targets(result).map((t) => [t.what, t.goal, t.measured, t.met ? 'yes' : '**no**'])),
    '',
    '## Reproduce',
    '',
    '```sh',
    'pnpm bench                      # 1M events (generated once, cached under bench/data/)',
    'pnpm bench --events 5000000     # 5M events',
    'pnpm bench --only local --only baseline',
    'pnpm bench --record             # also rewrite this file',
    '```',
    '',
  ].join('\n');
}
