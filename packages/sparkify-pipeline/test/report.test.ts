import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueryValue } from '@sparkify/core';
import { createRootContainer } from '../src/cli/composition-root.js';
import type { Io } from '../src/cli/output.js';
import { reportVerb } from '../src/cli/verbs/report-verb.js';
import type { ReportDocument } from '../src/report/report-json.js';
import { reportQuestions } from '../src/report/report-questions.js';
import { browserRules, classifyUserAgent, deviceRules, osRules, userAgentCaseSql } from '../src/report/user-agent-rules.js';
import { cliArgs, LOCAL_PIPELINE, queryPipeline, removeDir, REPO_ROOT, runPipelineFile, tempDir, UDACITY_SAMPLE } from '../src/testing.js';

// The report's SQL on a warehouse built from the Udacity sample, checked against figures
// known from the sample: 6,820 plays, 96 users of whom 22 paid, one play that matches a song.
let dir: string;
let params: Record<string, string>;

beforeAll(async () => {
  dir = await tempDir('sparkify-report-');
  params = { data: UDACITY_SAMPLE, warehouse: join(dir, 'udacity.duckdb') };
  expect((await runPipelineFile(LOCAL_PIPELINE, params)).error).toBeUndefined();
}, 60_000);

afterAll(async () => {
  await removeDir(dir);
});

function captureIo(tty = false): Io & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTty: tty, out: () => out.join(''), err: () => err.join('') };
}

async function reportJson(extra: { html?: string } = {}): Promise<{ doc: ReportDocument; io: ReturnType<typeof captureIo> }> {
  const io = captureIo();
  expect(await reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: { warehouse: params['warehouse']! }, json: true, ...extra }, io)).toBe(0);
  return { doc: JSON.parse(io.out()) as ReportDocument, io };
}

const rowsOf = (doc: ReportDocument, id: string): Record<string, QueryValue>[] => doc.questions.find((q) => q.id === id)!.rows;
const sum = (rows: Record<string, QueryValue>[], column: string) => rows.reduce((total, r) => total + Number(r[column]), 0);

describe('sparkify report on the Udacity sample (DuckDB)', () => {
  let doc: ReportDocument;
  beforeAll(async () => {
    ({ doc } = await reportJson());
  });

  it('answers every question, in order, with its SQL', () => {
    expect(doc.report).toBe('sparkify');
    expect(doc.pipeline).toBe('sparkify-local');
    expect(doc.questions.map((q) => q.id)).toEqual(reportQuestions.map((q) => q.id));
    for (const q of doc.questions) expect(q.rows.length).toBeGreaterThan(0);
  });

  it('explains in words how user agents are classified', () => {
    const method = doc.questions.find((q) => q.id === 'browsers')!.method;
    expect(method).toContain('Browser, by the first rule that fits: Edge if it contains “Edge/” or “Edg/”');
    expect(method).toContain('Chromium if it contains “Chromium/”; Chrome if it contains “Chrome/” or “CriOS/”');
    expect(doc.questions.find((q) => q.id === 'devices')!.method).toContain('Tablet if it contains “Android” but not “Mobile”');
  });

  it('counts plays per day, per hour and per weekday, each adding up to every play', () => {
    const days = rowsOf(doc, 'plays-per-day');
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ day: '2018-11-01', plays: 11, listeners: 4 });
    expect(days.at(-1)).toEqual({ day: '2018-11-30', plays: 330, listeners: 22 });
    expect(sum(days, 'plays')).toBe(6820);

    const hours = rowsOf(doc, 'plays-by-hour');
    expect(hours.map((r) => r['hour'])).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(hours[16]).toEqual({ hour: 16, plays: 542 });
    expect(sum(hours, 'plays')).toBe(6820);

    expect(rowsOf(doc, 'plays-by-weekday')).toEqual([
      { weekday: 0, weekday_name: 'Sunday', plays: 396 },
      { weekday: 1, weekday_name: 'Monday', plays: 1014 },
      { weekday: 2, weekday_name: 'Tuesday', plays: 1071 },
      { weekday: 3, weekday_name: 'Wednesday', plays: 1364 },
      { weekday: 4, weekday_name: 'Thursday', plays: 1052 },
      { weekday: 5, weekday_name: 'Friday', plays: 1295 },
      { weekday: 6, weekday_name: 'Saturday', plays: 628 },
    ]);
  });

  it('splits users and plays into free and paid', () => {
    expect(rowsOf(doc, 'free-vs-paid')).toEqual([
      { level: 'free', users: 74, plays: 1229 },
      { level: 'paid', users: 22, plays: 5591 },
    ]);
  });

  it('reports the song-match rate, the one matched song and artist, and the most played titles from the logs', () => {
    expect(rowsOf(doc, 'song-match-rate')).toEqual([{ plays: 6820, matched_plays: 1, unmatched_plays: 6819, match_rate: 1 / 6820 }]);
    expect(rowsOf(doc, 'top-songs')).toEqual([{ title: 'Setanta matins', artist: 'Elena', plays: 1, listeners: 1 }]);
    expect(rowsOf(doc, 'top-artists')).toEqual([{ artist: 'Elena', plays: 1, songs: 1, listeners: 1 }]);
    const titles = rowsOf(doc, 'top-logged-titles');
    expect(titles).toHaveLength(10);
    expect(titles.slice(0, 3)).toEqual([
      { title: "You're The One", artist: 'Dwight Yoakam', plays: 37, listeners: 22 },
      { title: 'Undo', artist: 'BjÃ\u0083Â¶rk', plays: 28, listeners: 14 },
      { title: 'Revelry', artist: 'Kings Of Leon', plays: 27, listeners: 12 },
    ]);
    // Ties (17 plays each) fall back to the title.
    expect(titles.slice(5, 7).map((r) => [r['title'], r['plays']])).toEqual([['Canada', 17], ['Secrets', 17]]);
  });

  it('ranks locations', () => {
    const locations = rowsOf(doc, 'top-locations');
    expect(locations).toHaveLength(10);
    expect(locations[0]).toEqual({ location: 'San Francisco-Oakland-Hayward, CA', plays: 691, listeners: 2 });
  });

  it('classifies devices and browsers from the user agent, shares adding up to one', () => {
    const devices = rowsOf(doc, 'devices');
    expect(devices.map((r) => [r['device'], r['os'], r['plays']])).toEqual([
      ['Desktop', 'macOS', 3000],
      ['Desktop', 'Windows', 2428],
      ['Desktop', 'Linux', 1153],
      ['Mobile', 'iOS', 239],
    ]);
    const browsers = rowsOf(doc, 'browsers');
    expect(browsers.map((r) => [r['browser'], r['plays']])).toEqual([
      ['Chrome', 3319],
      ['Firefox', 1589],
      ['Safari', 1307],
      ['Chromium', 577],
      ['Internet Explorer', 28],
    ]);
    for (const rows of [devices, browsers]) expect(sum(rows, 'share')).toBeCloseTo(1, 12);
  });

  it('counts the rows of every table', () => {
    expect(rowsOf(doc, 'row-counts').map((r) => [r['table_name'], r['row_count']])).toEqual([
      ['staging_events', 8056],
      ['staging_songs', 71],
      ['songplays', 6820],
      ['users', 96],
      ['songs', 71],
      ['artists', 69],
      ['time', 6813],
    ]);
  });

  it('gives the same answers on every run', async () => {
    const again = (await reportJson()).doc;
    expect(again.questions).toEqual(doc.questions);
  });
});

describe('the user-agent SQL', () => {
  it('labels every agent of the sample as the TypeScript rules do', async () => {
    const sql = `SELECT DISTINCT user_agent,
  ${userAgentCaseSql('user_agent', deviceRules)} AS device,
  ${userAgentCaseSql('user_agent', osRules)} AS os,
  ${userAgentCaseSql('user_agent', browserRules)} AS browser
FROM staging_events
ORDER BY user_agent NULLS LAST`;
    const rows = await queryPipeline(LOCAL_PIPELINE, params, sql);
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const row of rows) {
      const agent = row['user_agent'] as string | null;
      expect([agent, row['device'], row['os'], row['browser']]).toEqual([
        agent,
        classifyUserAgent(agent, deviceRules),
        classifyUserAgent(agent, osRules),
        classifyUserAgent(agent, browserRules),
      ]);
    }
  });
});

describe('portable SQL', () => {
  it.each(reportQuestions.map((q) => [q.id, q.sql]))('%s uses nothing DuckDB-only and orders NULLs explicitly', (_id, sql) => {
    expect(sql).not.toMatch(/::|\b(strftime|epoch_ms|date_part|list|struct|qualify|ilike|regexp_\w+|generate_series|string_agg|round)\b/i);
    // Every descending sort says where NULLs go: DuckDB and PostgreSQL differ by default.
    expect(sql.match(/\bDESC\b(?! NULLS LAST)/g)).toBeNull();
  });
});

describe('output', () => {
  it('prints aligned tables with titles, and no escape codes off a terminal', async () => {
    const io = captureIo(false);
    expect(await reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: { warehouse: params['warehouse']! } }, io)).toBe(0);
    const text = io.out();
    expect(text).not.toContain('\x1b[');
    expect(text).toMatch(/^Sparkify listening report\npipeline sparkify-local · warehouse warehouse \(duckdb\)/);
    for (const q of reportQuestions) expect(text).toContain(`\n${q.title}\n${q.description}\n`);
    expect(text).toContain(['table name      row count', '--------------  ---------', 'staging_events      8,056'].join('\n'));
    expect(text).toContain('Only 0.015% of plays matched a song in the catalogue');
    expect(text).toMatch(/match rate\n-+ {2}-+ {2}-+ {2}-+\n6,820 {2,}1 {2,}6,819 {2,}0\.015%/);
    expect(text).not.toContain('table order');
  });

  it('makes titles bold on a terminal', async () => {
    const io = captureIo(true);
    await reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: { warehouse: params['warehouse']! } }, io);
    expect(io.out()).toContain('\x1b[1mPlays per day\x1b[22m');
  });

  it('with --json and --html: stdout is the JSON document alone, the page is written, the note goes to stderr', async () => {
    const page = join(dir, 'both.html');
    const { io } = await reportJson({ html: page });
    expect(() => JSON.parse(io.out()) as unknown).not.toThrow();
    expect(io.out().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/wrote .*both\.html/);
    const html = await readFile(page, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(reportQuestions.filter((q) => q.chart.kind !== 'table').length);
  });
});

describe('errors', () => {
  it('says to run the pipeline first when the warehouse has no tables (exit 4)', async () => {
    const empty = { warehouse: join(dir, 'empty.duckdb') };
    await expect(reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: empty }, captureIo())).rejects.toMatchObject({
      kind: 'warehouse',
      exitCode: 4,
      message: expect.stringMatching(/^report question "plays-per-day" \(Plays per day\) failed: /) as unknown,
      hint: expect.stringContaining(`pnpm sparkify run ${LOCAL_PIPELINE}`) as unknown,
    });
  });

  it('names the sinks when --sink names none (exit 2)', async () => {
    await expect(
      reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: { warehouse: params['warehouse']! }, sink: 'nope' }, captureIo()),
    ).rejects.toMatchObject({ kind: 'config', message: '--sink nope: the pipeline has no such sink', hint: 'sinks: warehouse' });
  });

  it('refuses an --html path it cannot write before it queries the warehouse (exit 2)', async () => {
    // An empty warehouse would fail the first query: the config error shows the path was checked first.
    const empty = { warehouse: join(dir, 'empty-too.duckdb') };
    await expect(
      reportVerb(createRootContainer({}), { pipeline: LOCAL_PIPELINE, params: empty, html: join(dir, 'no/such/dir/r.html') }, captureIo()),
    ).rejects.toMatchObject({ kind: 'config', message: expect.stringMatching(/--html .*r\.html: cannot write the page: ENOENT/) as unknown });
  });
});

describe('the real CLI', () => {
  it('registers `report` with its flags and an example', async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, cliArgs(['report', '--help']), { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c ?? -1, stdout: out }));
    });
    expect(code).toBe(0);
    expect(stdout).toContain('--html <file>');
    expect(stdout).toContain('--json');
    expect(stdout).toContain('--param <NAME=VALUE>');
    expect(stdout).toContain('pnpm sparkify report pipelines/local.json --html report.html');
  });
});
