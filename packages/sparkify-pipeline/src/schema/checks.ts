import { checkSpecSchema, type CheckSpec, type CheckSpecInput } from '@sparkify/core';

const NEXT_SONG_EVENTS = "SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong'";

const specs: CheckSpecInput[] = [
  { kind: 'not-empty', table: 'songplays', whenNonZero: NEXT_SONG_EVENTS },
  { kind: 'not-empty', table: 'users', whenNonZero: NEXT_SONG_EVENTS },
  { kind: 'not-empty', table: 'songs', whenNonZero: 'SELECT COUNT(*) FROM staging_songs WHERE song_id IS NOT NULL' },
  { kind: 'not-empty', table: 'artists', whenNonZero: 'SELECT COUNT(*) FROM staging_songs WHERE artist_id IS NOT NULL' },
  { kind: 'not-empty', table: 'time', whenNonZero: 'SELECT COUNT(*) FROM songplays' },
  { kind: 'not-null', table: 'songplays', columns: ['songplay_id', 'start_time'] },
  { kind: 'unique', table: 'songplays', columns: ['songplay_id'] },
  { kind: 'not-null', table: 'users', columns: ['user_id'] },
  { kind: 'unique', table: 'users', columns: ['user_id'] },
  { kind: 'not-null', table: 'songs', columns: ['song_id'] },
  { kind: 'unique', table: 'songs', columns: ['song_id'] },
  { kind: 'not-null', table: 'artists', columns: ['artist_id'] },
  { kind: 'unique', table: 'artists', columns: ['artist_id'] },
  { kind: 'not-null', table: 'time', columns: ['start_time'] },
  { kind: 'unique', table: 'time', columns: ['start_time'] },
  { kind: 'foreign-key', table: 'songplays', column: 'user_id', references: { table: 'users', column: 'user_id' } },
  { kind: 'foreign-key', table: 'songplays', column: 'song_id', references: { table: 'songs', column: 'song_id' } },
  { kind: 'foreign-key', table: 'songplays', column: 'artist_id', references: { table: 'artists', column: 'artist_id' } },
  { kind: 'foreign-key', table: 'songplays', column: 'start_time', references: { table: 'time', column: 'start_time' } },
  { kind: 'foreign-key', table: 'songs', column: 'artist_id', references: { table: 'artists', column: 'artist_id' } },
  { kind: 'equal-counts', name: "songplays = 'NextSong' events", left: 'SELECT COUNT(*) FROM songplays', right: NEXT_SONG_EVENTS },
  {
    kind: 'equal-counts',
    name: 'users = distinct users of NextSong events',
    left: 'SELECT COUNT(*) FROM users',
    right: "SELECT COUNT(DISTINCT user_id) FROM staging_events WHERE page = 'NextSong'",
  },
  {
    kind: 'equal-counts',
    name: 'songs = distinct staged song ids',
    left: 'SELECT COUNT(*) FROM songs',
    right: 'SELECT COUNT(DISTINCT song_id) FROM staging_songs',
  },
  {
    kind: 'equal-counts',
    name: 'artists = distinct staged artist ids',
    left: 'SELECT COUNT(*) FROM artists',
    right: 'SELECT COUNT(DISTINCT artist_id) FROM staging_songs',
  },
  {
    kind: 'equal-counts',
    name: 'time = distinct songplay start times',
    left: 'SELECT COUNT(*) FROM "time"',
    right: 'SELECT COUNT(DISTINCT start_time) FROM songplays',
  },
  {
    kind: 'metric',
    name: 'song match rate',
    sql: 'SELECT CASE WHEN COUNT(*) = 0 THEN 0 ELSE COUNT(song_id) * 1.0 / COUNT(*) END FROM songplays',
    unit: 'of songplays matched a song',
  },
];

/** Checks on every table: not empty where data exists, keys, foreign keys, reconciliations. */
export const sparkifyChecks: readonly CheckSpec[] = specs.map((spec) => checkSpecSchema.parse(spec));
