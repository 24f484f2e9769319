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
export const songplaysTransform: Transform = {
  name: 'songplays',
  description: "one row per 'NextSong' event; the song matched on title, artist name and duration",
  writes: ['songplays'],
  statements: [
    'DELETE FROM songplays',
    `INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT
  ROW_NUMBER() OVER (
    ORDER BY e.ts NULLS LAST, e.user_id NULLS LAST, e.session_id NULLS LAST, e.item_in_session NULLS LAST,
      e.song NULLS LAST, e.artist NULLS LAST, e.length NULLS LAST, e.level NULLS LAST, e.location NULLS LAST,
      e.user_agent NULLS LAST
  ) AS songplay_id,
  e.ts, e.user_id, e.level, s.song_id, s.artist_id, e.session_id, e.location, e.user_agent
FROM staging_events AS e
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
  ON s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length AND s.candidate = 1
WHERE e.page = 'NextSong'`,
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
