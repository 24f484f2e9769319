// songplays numbers each play by its place in the order of ten columns without sorting them all
// (transforms.ts says why). This checks it against that definition, a plain ROW_NUMBER over the
// ten columns, on each engine the SQL runs on, with staging data made of ties and NULLs.
import type { Sink } from '@sparkify/core';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import { inMemoryDuckDbSink } from '@sparkify/sink-duckdb/testing';
import { RedshiftSink } from '@sparkify/sink-redshift';
import { EMULATOR_TARGET, ImmediatePollClock } from '@sparkify/sink-redshift/testing';
import { sparkifyTables } from '../src/index.js';
import { Rng } from '../src/generator/prng.js';
import { songplaysTransform } from '../src/schema/transforms.js';

/** The definition: songplay_id is ROW_NUMBER over all ten columns, NULLS LAST each. */
const REFERENCE = `SELECT
  ROW_NUMBER() OVER (
    ORDER BY e.ts NULLS LAST, e.user_id NULLS LAST, e.session_id NULLS LAST, e.item_in_session NULLS LAST,
      e.song NULLS LAST, e.artist NULLS LAST, e.length NULLS LAST, e.level NULLS LAST, e.location NULLS LAST,
      e.user_agent NULLS LAST
  ) AS songplay_id,
  e.ts AS start_time, e.user_id, e.level, s.song_id, s.artist_id, e.session_id, e.location, e.user_agent
FROM staging_events AS e
LEFT JOIN (
  SELECT title, artist_name, duration, song_id, artist_id,
    ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id NULLS LAST, artist_id NULLS LAST) AS candidate
  FROM staging_songs
  WHERE song_id IS NOT NULL
) AS s
  ON s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length AND s.candidate = 1
WHERE e.page = 'NextSong'`;

const COLUMNS = 'songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent';

const sql = (value: string | number | null): string => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value}'`);

/**
 * Events drawn from few values, NULL and 0 among them (but for ts), so that plays share their ts,
 * user, session and item (and often all ten columns), and a NULL key meets a 0 (what a NULL-safe
 * join must not confuse); a few are not NextSong. Songs that some of them match, one of
 * them twice.
 */
function stagingInserts(seed: number, events: number): string[] {
  const rng = Rng.derive(seed);
  const pick = <T>(values: readonly T[]): T => rng.pick(values);
  const rows: string[] = [];
  for (let i = 0; i < events; i++) {
    // songplays.start_time is NOT NULL: a NextSong event without a ts fails the run (as it should).
    const ts = pick(["TIMESTAMP '2018-11-01 10:00:00'", "TIMESTAMP '2018-11-01 10:00:01'", "TIMESTAMP '2018-11-02 08:30:00.5'"]);
    const values = [
      pick([null, 'Artist A', 'Artist B', 'Artist Long Name '.repeat(4)]),
      sql(pick([null, 'Alice', 'Bob'])),
      sql(pick([null, 0, 1, 2])),
      pick([null, 'Song 1', 'Song 2', 'A Song With A Rather Long Title '.repeat(3)]),
      pick([null, 200.5, 180]),
      sql(pick([null, 'free', 'paid'])),
      sql(pick([null, 'Here', 'There, Somewhere Long Enough To Leave The Inline Case'])),
      sql(pick(['NextSong', 'NextSong', 'NextSong', 'Home'])),
      sql(pick([null, 0, 7])),
      ts,
      sql(pick([null, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)', 'curl'])),
      sql(pick([null, 0, 10])),
    ];
    const [artist, first, item, song, length, level, location, page, session, start, agent, user] = values;
    rows.push(`(${sql(artist as string | null)}, ${first}, ${item}, ${sql(song as string | null)}, ${sql(length as number | null)}, ${level}, ${location}, ${page}, ${session}, ${start}, ${agent}, ${user})`);
  }
  return [
    'INSERT INTO staging_events (artist, first_name, item_in_session, song, length, level, location, page, session_id, ts, user_agent, user_id) VALUES\n' +
      rows.join(',\n'),
    "INSERT INTO staging_songs (song_id, title, artist_id, artist_name, duration) VALUES ('S1', 'Song 1', 'AR1', 'Artist A', 200.5), ('S0', 'Song 1', 'AR0', 'Artist A', 200.5), ('S2', 'Song 2', 'AR2', 'Artist B', 180)",
  ];
}

async function setUp(sink: Sink, seed: number): Promise<void> {
  for (const table of sparkifyTables) {
    await sink.execute(sink.dialect.renderDropTable(table.name));
    await sink.execute(sink.dialect.renderCreateTable(table));
  }
  for (const statement of stagingInserts(seed, 400)) await sink.execute(statement);
}

/** Each row as one text, sorted: rows that tie on all ten columns are the same text whatever their id. */
async function rowsOf(sink: Sink, query: string): Promise<string[]> {
  const result = await sink.query(query);
  return result.rows.map((row) => JSON.stringify(COLUMNS.split(', ').map((column) => row[column] ?? null))).sort();
}

const emulator = new RedshiftEmulator();
const engines: [string, () => Sink][] = [
  ['DuckDB', () => inMemoryDuckDbSink()],
  ['the Redshift emulator (PostgreSQL)', () => new RedshiftSink({ port: createEmulatorClient(emulator), target: EMULATOR_TARGET, clock: new ImmediatePollClock() })],
];

afterAll(async () => {
  await emulator.close();
});

describe.each(engines)('songplay ids on %s', (_name, makeSink) => {
  it.each([1, 2, 3])('equal ROW_NUMBER over all ten columns, ties and NULLs included (seed %d)', async (seed) => {
    const sink = makeSink();
    try {
      await setUp(sink, seed);
      for (const statement of songplaysTransform.statements) await sink.execute(statement);
      const built = await rowsOf(sink, `SELECT ${COLUMNS} FROM songplays`);
      const expected = await rowsOf(sink, `SELECT ${COLUMNS} FROM (${REFERENCE}) AS reference`);
      expect(built).toEqual(expected);
      // The data is what the test is about: plays that share their first four columns, and NULLs among those.
      const shared = await sink.query(
        "SELECT COUNT(*) AS n FROM (SELECT ts FROM staging_events WHERE page = 'NextSong' GROUP BY ts, user_id, session_id, item_in_session HAVING COUNT(*) > 1) AS g",
      );
      expect(Number(shared.rows[0]!['n'])).toBeGreaterThan(10);
      expect(built.length).toBeGreaterThan(250);
    } finally {
      await sink.close();
    }
  });
});
