import path from 'node:path';
import { defineTable, type TableSpec } from '@sparkify/core';
import { MemoryObjectStore, type ObjectStore } from '@sparkify/redshift-json';

/** The real sample, read in place (never copied into the repository): `../shared/data/udacity-sample` from the repository root. */
export const UDACITY_SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');

/** Rows the sample holds: one per log event, one per song object. */
export const UDACITY_SAMPLE_ROWS = { stagingEvents: 8056, stagingSongs: 71 } as const;

/** staging_events as the Sparkify pipeline declares it (columns in log_json_path.json's order). */
export const stagingEventsTable: TableSpec = defineTable({
  name: 'staging_events',
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
    { name: 'ts', type: 'timestamp' },
    { name: 'user_agent', type: 'varchar(1024)' },
    { name: 'user_id', type: 'integer' },
  ],
  distribution: { style: 'even' },
});

/** staging_songs as the Sparkify pipeline declares it (loaded with JSON 'auto'). */
export const stagingSongsTable: TableSpec = defineTable({
  name: 'staging_songs',
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

/** Every object of a store, copied into a MemoryObjectStore standing in for an S3 bucket (tests; small data only). */
export async function memoryBucket(bucket: string, from: ObjectStore): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore({}, { scheme: 's3', bucket });
  for await (const info of from.list('')) {
    const parts: Uint8Array[] = [];
    for await (const chunk of await from.open(info.key)) parts.push(chunk);
    store.put(info.key, Buffer.concat(parts));
  }
  return store;
}
