import { sparkifyTables } from '../schema/tables.js';
import { browserRules, describeUserAgentRules, deviceRules, osRules, userAgentCaseSql } from './user-agent-rules.js';

/**
 * The questions the report answers, as data: a new question is one entry in `reportQuestions`.
 *
 * Every query is portable SQL that runs unchanged on DuckDB, PostgreSQL (the emulator) and
 * Redshift: COUNT rather than SUM (DuckDB sums integers to HUGEINT, PostgreSQL bigints to
 * NUMERIC), CAST(... AS DOUBLE PRECISION) for ratios (no ROUND(double, n) on PostgreSQL),
 * integer calendar columns from the `time` table rather than EXTRACT (NUMERIC on PostgreSQL),
 * LIKE for user agents, UNION ALL of constants for complete axes (no generate_series on
 * Redshift's compute nodes), and every ORDER BY breaks ties down to a unique key with explicit
 * NULLS LAST (DuckDB and PostgreSQL order NULLs differently by default).
 */
export type ChartSpec =
  /** A line over calendar days; `x` is a DATE column. Days without rows are drawn as zero. */
  | { kind: 'line'; x: string; y: string }
  /** Vertical bars, one per row, in row order; `hour` labels 0..23 as 00..23. */
  | { kind: 'columns'; x: string; y: string; xFormat?: 'hour' }
  /** Horizontal bars for ranked lists; the label columns are joined (first bold, rest muted). */
  | { kind: 'bars'; label: readonly string[]; value: string }
  /** One donut per value column, sliced by `label`. */
  | { kind: 'donuts'; label: string; values: readonly string[] }
  /** One bar: `part` of `whole` (from the first row), with the words for each side. */
  | { kind: 'meter'; part: string; whole: string; words: { part: string; rest: string; unit: string } }
  /** No chart: the table reads better. */
  | { kind: 'table' };

export type ChartKind = ChartSpec['kind'];

export interface ReportQuestion {
  /** Stable, kebab-case: the key in --json and the anchor in the page. */
  readonly id: string;
  readonly title: string;
  /** One sentence under the title: what the numbers count. */
  readonly description: string;
  readonly sql: string;
  readonly chart: ChartSpec;
  /** How the answer is derived, when the SQL alone does not say it plainly (shown in the page). */
  readonly method?: string;
  /** Columns holding a 0..1 ratio, shown as percentages. */
  readonly percent?: readonly string[];
  /**
   * A sentence shown with the answer when the song-match rate is under one half; `{rate}` is
   * replaced by that rate.
   */
  readonly lowMatchNote?: string;
  /** Columns kept in --json but not shown (sort keys). */
  readonly hidden?: readonly string[];
  /** Full width in the page (long x axes). */
  readonly wide?: boolean;
}

export const TOP_N = 10;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `SELECT 0 AS hour UNION ALL SELECT 1 ...`: a complete axis, so empty hours show as 0. */
function constantRows(rows: readonly (readonly [string, number | string][])[]): string {
  const literal = (v: number | string) => (typeof v === 'number' ? String(v) : `'${v}'`);
  return rows.map((cols) => `SELECT ${cols.map(([name, v]) => `${literal(v)} AS ${name}`).join(', ')}`).join('\n  UNION ALL ');
}

/**
 * Plays per value of a `time` column, over a complete axis of constant rows (whose first column
 * is that column), so values without plays show as 0.
 */
function playsOnTimeAxis(column: 'hour' | 'weekday', axis: readonly (readonly [string, number | string][])[]): string {
  const names = (axis[0] ?? []).map(([name]) => `a.${name}`).join(', ');
  return `SELECT ${names}, COALESCE(p.plays, 0) AS plays
FROM (
  ${constantRows(axis)}
) AS a
LEFT JOIN (
  SELECT t.${column}, COUNT(*) AS plays
  FROM songplays AS sp
  JOIN "time" AS t ON t.start_time = sp.start_time
  GROUP BY t.${column}
) AS p ON p.${column} = a.${column}
ORDER BY a.${column}`;
}

/** A share of the whole result, 0..1. */
const SHARE = 'CAST(COUNT(*) AS DOUBLE PRECISION) / CAST(SUM(COUNT(*)) OVER () AS DOUBLE PRECISION) AS share';

const playsPerDay: ReportQuestion = {
  id: 'plays-per-day',
  title: 'Plays per day',
  description: 'Song plays (NextSong events) and distinct listeners per calendar day, UTC.',
  sql: `SELECT CAST(start_time AS DATE) AS day, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS listeners
FROM songplays
GROUP BY CAST(start_time AS DATE)
ORDER BY day NULLS LAST`,
  chart: { kind: 'line', x: 'day', y: 'plays' },
  wide: true,
};

const playsByHour: ReportQuestion = {
  id: 'plays-by-hour',
  title: 'Plays by hour of day',
  description: 'Song plays in each hour of the day (UTC), over the whole period.',
  sql: playsOnTimeAxis('hour', Array.from({ length: 24 }, (_, hour) => [['hour', hour]] as const)),
  chart: { kind: 'columns', x: 'hour', y: 'plays', xFormat: 'hour' },
  wide: true,
};

const playsByWeekday: ReportQuestion = {
  id: 'plays-by-weekday',
  title: 'Plays by weekday',
  description: "Song plays on each day of the week (the time table's weekday, 0 = Sunday).",
  sql: playsOnTimeAxis('weekday', WEEKDAYS.map((name, weekday) => [['weekday', weekday], ['weekday_name', name]] as const)),
  chart: { kind: 'columns', x: 'weekday_name', y: 'plays' },
};

const freeVsPaid: ReportQuestion = {
  id: 'free-vs-paid',
  title: 'Free vs paid',
  description: "Users by their current level (users table) and plays by the level at the time of the play.",
  sql: `SELECT COALESCE(u.level, p.level) AS level, COALESCE(u.users, 0) AS users, COALESCE(p.plays, 0) AS plays
FROM (SELECT COALESCE(level, '(none)') AS level, COUNT(*) AS users FROM users GROUP BY COALESCE(level, '(none)')) AS u
FULL OUTER JOIN (SELECT COALESCE(level, '(none)') AS level, COUNT(*) AS plays FROM songplays GROUP BY COALESCE(level, '(none)')) AS p
  ON p.level = u.level
ORDER BY level NULLS LAST`,
  chart: { kind: 'donuts', label: 'level', values: ['users', 'plays'] },
};

const matchRate: ReportQuestion = {
  id: 'song-match-rate',
  title: 'Song-match rate',
  description: 'Plays whose title, artist and duration matched a song in the catalogue (songplays.song_id set).',
  sql: `SELECT COUNT(*) AS plays, COUNT(song_id) AS matched_plays, COUNT(*) - COUNT(song_id) AS unmatched_plays,
  CASE WHEN COUNT(*) = 0 THEN NULL ELSE CAST(COUNT(song_id) AS DOUBLE PRECISION) / CAST(COUNT(*) AS DOUBLE PRECISION) END AS match_rate
FROM songplays`,
  chart: { kind: 'meter', part: 'matched_plays', whole: 'plays', words: { part: 'matched a song', rest: 'no match', unit: 'plays' } },
  percent: ['match_rate'],
};

const topSongs: ReportQuestion = {
  id: 'top-songs',
  title: 'Top songs',
  description: `The ${TOP_N} most played songs among plays that matched a song.`,
  sql: `SELECT s.title, a.name AS artist, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS listeners
FROM songplays AS sp
JOIN songs AS s ON s.song_id = sp.song_id
LEFT JOIN artists AS a ON a.artist_id = sp.artist_id
GROUP BY sp.song_id, s.title, a.name
ORDER BY plays DESC NULLS LAST, s.title NULLS LAST, a.name NULLS LAST, sp.song_id
LIMIT ${TOP_N}`,
  chart: { kind: 'bars', label: ['title', 'artist'], value: 'plays' },
  lowMatchNote: 'Only {rate} of plays matched a song in the catalogue, so this ranks few plays: "Most played titles in the logs" counts them all.',
};

const topArtists: ReportQuestion = {
  id: 'top-artists',
  title: 'Top artists',
  description: `The ${TOP_N} most played artists among plays that matched a song.`,
  sql: `SELECT a.name AS artist, COUNT(*) AS plays, COUNT(DISTINCT sp.song_id) AS songs, COUNT(DISTINCT sp.user_id) AS listeners
FROM songplays AS sp
JOIN artists AS a ON a.artist_id = sp.artist_id
GROUP BY sp.artist_id, a.name
ORDER BY plays DESC NULLS LAST, a.name NULLS LAST, sp.artist_id
LIMIT ${TOP_N}`,
  chart: { kind: 'bars', label: ['artist'], value: 'plays' },
  lowMatchNote: 'Only {rate} of plays matched a song in the catalogue, so this ranks few plays.',
};

const topLoggedTitles: ReportQuestion = {
  id: 'top-logged-titles',
  title: 'Most played titles in the logs',
  description: `The ${TOP_N} titles played most often, as logged (staging_events), matched to a song or not.`,
  sql: `SELECT song AS title, artist, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS listeners
FROM staging_events
WHERE page = 'NextSong'
GROUP BY song, artist
ORDER BY plays DESC NULLS LAST, song NULLS LAST, artist NULLS LAST
LIMIT ${TOP_N}`,
  chart: { kind: 'bars', label: ['title', 'artist'], value: 'plays' },
  lowMatchNote: 'Only {rate} of plays matched a song in the catalogue: these titles come straight from the logs.',
};

const topLocations: ReportQuestion = {
  id: 'top-locations',
  title: 'Top locations',
  description: `The ${TOP_N} locations with the most plays, as the listener's client reported them.`,
  sql: `SELECT location, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS listeners
FROM songplays
GROUP BY location
ORDER BY plays DESC NULLS LAST, location NULLS LAST
LIMIT ${TOP_N}`,
  chart: { kind: 'bars', label: ['location'], value: 'plays' },
};

const devices: ReportQuestion = {
  id: 'devices',
  title: 'Devices and operating systems',
  description: 'Plays by device class and operating system, read from the user agent.',
  sql: `SELECT device, os, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS listeners, ${SHARE}
FROM (
  SELECT user_id,
  ${userAgentCaseSql('user_agent', deviceRules)} AS device,
  ${userAgentCaseSql('user_agent', osRules)} AS os
  FROM songplays
) AS classified
GROUP BY device, os
ORDER BY plays DESC NULLS LAST, device NULLS LAST, os NULLS LAST`,
  chart: { kind: 'bars', label: ['os', 'device'], value: 'plays' },
  method: `Read from the user agent. ${describeUserAgentRules(deviceRules)} ${describeUserAgentRules(osRules)}`,
  percent: ['share'],
};

const browsers: ReportQuestion = {
  id: 'browsers',
  title: 'Browsers',
  description: 'Plays by browser, read from the user agent.',
  sql: `SELECT browser, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS listeners, ${SHARE}
FROM (
  SELECT user_id,
  ${userAgentCaseSql('user_agent', browserRules)} AS browser
  FROM songplays
) AS classified
GROUP BY browser
ORDER BY plays DESC NULLS LAST, browser NULLS LAST`,
  chart: { kind: 'bars', label: ['browser'], value: 'plays' },
  method: `Read from the user agent. ${describeUserAgentRules(browserRules)}`,
  percent: ['share'],
};

const rowCounts: ReportQuestion = {
  id: 'row-counts',
  title: 'Rows in every table',
  description: 'The size of each warehouse table, staging first.',
  sql: `${sparkifyTables
    .map((table, i) => `SELECT ${i + 1} AS table_order, '${table.name}' AS table_name, COUNT(*) AS row_count FROM "${table.name}"`)
    .join('\nUNION ALL\n')}
ORDER BY table_order`,
  chart: { kind: 'table' },
  hidden: ['table_order'],
};

/** In the order the report shows them (the page pairs them left and right after the wide ones). */
export const reportQuestions: readonly ReportQuestion[] = [
  playsPerDay,
  playsByHour,
  playsByWeekday,
  freeVsPaid,
  topLoggedTitles,
  topLocations,
  topSongs,
  topArtists,
  devices,
  browsers,
  matchRate,
  rowCounts,
];
