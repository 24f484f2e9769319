import { defineTable, type TableSpec } from '@sparkify/core';

/**
 * The Sparkify warehouse, as data. Names are fixed: analysts and the original scripts use them.
 * Staging widths are generous (Redshift VARCHAR counts bytes, and COPY fails on overflow);
 * staging columns follow the JSONPaths file's order (log_json_path.json).
 */
export const stagingEvents: TableSpec = defineTable({
  name: 'staging_events',
  description: 'One row per log event, as COPY loads it through log_json_path.json.',
  columns: [
    { name: 'artist', type: 'varchar(1024)' },
    { name: 'auth', type: 'varchar(64)' },
    { name: 'first_name', type: 'varchar(256)' },
    { name: 'gender', type: 'varchar(16)' },
    { name: 'item_in_session', type: 'integer' },
    { name: 'last_name', type: 'varchar(256)' },
    { name: 'length', type: 'double precision' },
    { name: 'level', type: 'varchar(16)' },
    { name: 'location', type: 'varchar(1024)' },
    { name: 'method', type: 'varchar(16)' },
    { name: 'page', type: 'varchar(64)' },
    { name: 'registration', type: 'double precision' },
    { name: 'session_id', type: 'integer' },
    { name: 'song', type: 'varchar(1024)' },
    { name: 'status', type: 'integer' },
    { name: 'ts', type: 'timestamp', description: 'epoch milliseconds in the logs (TIMEFORMAT epochmillisecs)' },
    { name: 'user_agent', type: 'varchar(1024)' },
    { name: 'user_id', type: 'integer', description: 'empty for logged-out users: loads as NULL' },
  ],
  distribution: { style: 'even' },
});

export const stagingSongs: TableSpec = defineTable({
  name: 'staging_songs',
  description: 'One row per song object (Million Song Dataset layout), loaded with JSON auto.',
  columns: [
    { name: 'num_songs', type: 'integer' },
    { name: 'artist_id', type: 'varchar(64)' },
    { name: 'artist_latitude', type: 'double precision' },
    { name: 'artist_longitude', type: 'double precision' },
    { name: 'artist_location', type: 'varchar(1024)' },
    { name: 'artist_name', type: 'varchar(1024)' },
    { name: 'song_id', type: 'varchar(64)' },
    { name: 'title', type: 'varchar(1024)' },
    { name: 'duration', type: 'double precision' },
    { name: 'year', type: 'integer' },
  ],
  distribution: { style: 'even' },
});

export const songplays: TableSpec = defineTable({
  name: 'songplays',
  description: "Fact: one row per 'NextSong' event.",
  columns: [
    { name: 'songplay_id', type: 'bigint', nullable: false, description: 'deterministic: row number in event order' },
    { name: 'start_time', type: 'timestamp', nullable: false },
    { name: 'user_id', type: 'integer', description: 'as logged; NULL only if a NextSong event had no user' },
    { name: 'level', type: 'varchar(16)' },
    { name: 'song_id', type: 'varchar(64)', description: 'NULL when no song matches title, artist and duration' },
    { name: 'artist_id', type: 'varchar(64)' },
    { name: 'session_id', type: 'integer' },
    { name: 'location', type: 'varchar(1024)' },
    { name: 'user_agent', type: 'varchar(1024)' },
  ],
  primaryKey: ['songplay_id'],
  distribution: { style: 'key', key: 'song_id' },
  sortKey: ['start_time'],
});

export const users: TableSpec = defineTable({
  name: 'users',
  description: "Dimension: one row per user seen in 'NextSong' events, as of that user's latest event.",
  columns: [
    { name: 'user_id', type: 'integer', nullable: false },
    { name: 'first_name', type: 'varchar(256)' },
    { name: 'last_name', type: 'varchar(256)' },
    { name: 'gender', type: 'varchar(16)' },
    { name: 'level', type: 'varchar(16)' },
  ],
  primaryKey: ['user_id'],
  distribution: { style: 'all' },
  sortKey: ['user_id'],
});

export const songs: TableSpec = defineTable({
  name: 'songs',
  description: 'Dimension: one row per song_id.',
  columns: [
    { name: 'song_id', type: 'varchar(64)', nullable: false },
    { name: 'title', type: 'varchar(1024)' },
    { name: 'artist_id', type: 'varchar(64)' },
    { name: 'year', type: 'integer' },
    { name: 'duration', type: 'double precision' },
  ],
  primaryKey: ['song_id'],
  distribution: { style: 'key', key: 'song_id' },
  sortKey: ['song_id'],
});

export const artists: TableSpec = defineTable({
  name: 'artists',
  description: 'Dimension: one row per artist_id.',
  columns: [
    { name: 'artist_id', type: 'varchar(64)', nullable: false },
    { name: 'name', type: 'varchar(1024)' },
    { name: 'location', type: 'varchar(1024)' },
    { name: 'latitude', type: 'double precision' },
    { name: 'longitude', type: 'double precision' },
  ],
  primaryKey: ['artist_id'],
  distribution: { style: 'all' },
  sortKey: ['artist_id'],
});

export const time: TableSpec = defineTable({
  name: 'time',
  description: 'Dimension: one row per distinct songplays.start_time.',
  columns: [
    { name: 'start_time', type: 'timestamp', nullable: false },
    { name: 'hour', type: 'integer' },
    { name: 'day', type: 'integer' },
    { name: 'week', type: 'integer', description: 'ISO week' },
    { name: 'month', type: 'integer' },
    { name: 'year', type: 'integer' },
    { name: 'weekday', type: 'integer', description: '0 = Sunday ... 6 = Saturday' },
  ],
  primaryKey: ['start_time'],
  distribution: { style: 'key', key: 'start_time' },
  sortKey: ['start_time'],
});

export const stagingTables: readonly TableSpec[] = [stagingEvents, stagingSongs];
export const starTables: readonly TableSpec[] = [songplays, users, songs, artists, time];
/** Every table, in creation order. */
export const sparkifyTables: readonly TableSpec[] = [...stagingTables, ...starTables];
