import type { Transform } from '@sparkify/core';

/**
 * The star schema, built from staging with one portable SQL text that runs unchanged on
 * Redshift, the emulator (PostgreSQL) and DuckDB. Every transform replaces its table's rows
 * (DELETE, then INSERT ... SELECT) so re-running the ETL on the same input gives the same
 * warehouse, row for row. DELETE rather than TRUNCATE: on Redshift TRUNCATE commits the open
 * transaction (redshift-reference.md §2), which would break the run's all-or-nothing guarantee.
 *
 * Ties are always broken on every column, with explicit NULLS LAST (DuckDB and PostgreSQL
 * differ in their default NULL order for DESC), so every sink picks the same rows.
 */
/** The four columns that place a play in time; together they almost never repeat. */
const PLAY_KEY = ['ts', 'user_id', 'session_id', 'item_in_session'] as const;

/**
 * `plays.<key> = events.<key>` for each PLAY_KEY column, NULL equal to NULL (GROUP BY's notion of
 * the same key) in a form every engine can hash: IS NOT DISTINCT FROM is not Redshift SQL.
 */
function samePlayKey(keys: string, events: string): string {
  const none = (column: string) => (column === 'ts' ? "TIMESTAMP '1970-01-01'" : '0');
  return PLAY_KEY.map(
    (c) => `coalesce(${keys}.${c}, ${none(c)}) = coalesce(${events}.${c}, ${none(c)}) AND (${keys}.${c} IS NULL) = (${events}.${c} IS NULL)`,
  ).join('\n    AND ');
}

/** The ten columns a play's id orders by, PLAY_KEY first; the other six only break ties. */
const TIE_BREAK = 'e.song NULLS LAST, e.artist NULLS LAST, e.length NULLS LAST, e.level NULLS LAST, e.location NULLS LAST, e.user_agent NULLS LAST';

/** A play's columns as the outer query reads them: what songplays stores, and what matches a song. */
const PLAY_COLUMNS = 'e.ts, e.user_id, e.level, e.session_id, e.location, e.user_agent, e.song, e.artist, e.length';

/**
 * songplay_id is a play's place in the order of all ten columns, as
 * `ROW_NUMBER() OVER (ORDER BY ts, user_id, session_id, item_in_session, song, artist, length,
 * level, location, user_agent)` (NULLS LAST each) would number it, but computed without sorting
 * the plays' long strings: DuckDB's window operator with long VARCHARs in its rows took 12.5 s of
 * a 5M-event run (1.4 s at 1M), this 4.2 s (0.7 s). Each distinct PLAY_KEY is counted and
 * placed (how many plays sort before it); a key held by one play gives it the next id, and only
 * plays sharing a key (rare) are numbered among themselves by the other six columns.
 */
export const songplaysTransform: Transform = {
  name: 'songplays',
  description: "one row per 'NextSong' event; the song matched on title, artist name and duration",
  writes: ['songplays'],
  statements: [
    'DELETE FROM songplays',
    `INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
WITH play_keys AS (
  SELECT ${PLAY_KEY.join(', ')}, plays,
    SUM(plays) OVER (
      ORDER BY ${PLAY_KEY.map((c) => `${c} NULLS LAST`).join(', ')}
      ROWS UNBOUNDED PRECEDING
    ) - plays AS plays_before
  FROM (
    SELECT ${PLAY_KEY.join(', ')}, COUNT(*) AS plays
    FROM staging_events
    WHERE page = 'NextSong'
    GROUP BY ${PLAY_KEY.join(', ')}
  ) AS counted
)
SELECT p.songplay_id, p.ts, p.user_id, p.level, s.song_id, s.artist_id, p.session_id, p.location, p.user_agent
FROM (
  SELECT k.plays_before + 1 AS songplay_id, ${PLAY_COLUMNS}
  FROM staging_events AS e
  JOIN play_keys AS k
    ON ${samePlayKey('k', 'e')}
  WHERE e.page = 'NextSong' AND k.plays = 1
  UNION ALL
  SELECT k.plays_before + ROW_NUMBER() OVER (PARTITION BY ${PLAY_KEY.map((c) => `e.${c}`).join(', ')} ORDER BY ${TIE_BREAK}),
    ${PLAY_COLUMNS}
  FROM staging_events AS e
  JOIN play_keys AS k
    ON ${samePlayKey('k', 'e')}
  WHERE e.page = 'NextSong' AND k.plays > 1
) AS p
LEFT JOIN (
  -- One candidate per (title, artist, duration), so a repeated song never duplicates a play.
  SELECT title, artist_name, duration, song_id, artist_id,
    ROW_NUMBER() OVER (
      PARTITION BY title, artist_name, duration
      ORDER BY song_id NULLS LAST, artist_id NULLS LAST
    ) AS candidate
  FROM staging_songs
  WHERE song_id IS NOT NULL
) AS s
  ON s.title = p.song AND s.artist_name = p.artist AND s.duration = p.length AND s.candidate = 1`,
  ],
};

export const usersTransform: Transform = {
  name: 'users',
  description: "one row per user of 'NextSong' events, as of that user's latest such event",
  writes: ['users'],
  statements: [
    'DELETE FROM users',
    `INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
  SELECT user_id, first_name, last_name, gender, level,
    ROW_NUMBER() OVER (
      PARTITION BY user_id
      ORDER BY ts DESC NULLS LAST, session_id DESC NULLS LAST, item_in_session DESC NULLS LAST,
        level NULLS LAST, first_name NULLS LAST, last_name NULLS LAST, gender NULLS LAST
    ) AS recency
  FROM staging_events
  WHERE page = 'NextSong' AND user_id IS NOT NULL
) AS latest
WHERE recency = 1`,
  ],
};

export const songsTransform: Transform = {
  name: 'songs',
  description: 'one row per song_id; a repeated id keeps the latest year, then the longest duration, then title and artist_id in order',
  writes: ['songs'],
  statements: [
    'DELETE FROM songs',
    `INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
    ROW_NUMBER() OVER (
      PARTITION BY song_id
      ORDER BY year DESC NULLS LAST, duration DESC NULLS LAST, title NULLS LAST, artist_id NULLS LAST
    ) AS pick
  FROM staging_songs
  WHERE song_id IS NOT NULL
) AS ranked
WHERE pick = 1`,
  ],
};

export const artistsTransform: Transform = {
  name: 'artists',
  description: 'one row per artist_id; a repeated id keeps the row with coordinates, then with a location, then the first by name',
  writes: ['artists'],
  statements: [
    'DELETE FROM artists',
    `INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
    ROW_NUMBER() OVER (
      PARTITION BY artist_id
      ORDER BY
        CASE WHEN artist_latitude IS NULL OR artist_longitude IS NULL THEN 1 ELSE 0 END,
        CASE WHEN artist_location IS NULL OR artist_location = '' THEN 1 ELSE 0 END,
        artist_name NULLS LAST, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST
    ) AS pick
  FROM staging_songs
  WHERE artist_id IS NOT NULL
) AS ranked
WHERE pick = 1`,
  ],
};

export const timeTransform: Transform = {
  name: 'time',
  description: 'one row per distinct songplays.start_time; weekday 0 = Sunday, week is the ISO week',
  writes: ['time'],
  statements: [
    'DELETE FROM "time"',
    `INSERT INTO "time" (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
  EXTRACT(hour FROM start_time), EXTRACT(day FROM start_time), EXTRACT(week FROM start_time),
  EXTRACT(month FROM start_time), EXTRACT(year FROM start_time), EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT start_time FROM songplays) AS plays`,
  ],
};

/** In dependency order: time reads songplays. */
export const sparkifyTransforms: readonly Transform[] = [
  songplaysTransform,
  usersTransform,
  songsTransform,
  artistsTransform,
  timeTransform,
];
