// The baseline: DuckDB alone doing the whole job into a database file, with its best settings.
// No engine, no CLI, no JSON semantics module: read_json with explicit columns into staging,
// then the same transform SQL as the pipeline. Usage: baseline-duckdb.ts DATA_DIR DB_FILE
import { rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbDialect } from '@sparkify/sink-duckdb';
import { sparkifyTables, sparkifyTransforms } from '@sparkify/sparkify-pipeline';
import { PhaseTimer, report } from './phase-timer.js';

const [data, file] = process.argv.slice(2);
if (!data || !file) throw new Error('usage: baseline-duckdb.ts DATA_DIR DB_FILE');
await rm(file, { force: true });
await rm(`${file}.wal`, { force: true });

const timer = new PhaseTimer();
const instance = await DuckDBInstance.create(file, { preserve_insertion_order: 'false', memory_limit: '1GB' });
const db = await instance.connect();
const literal = (text: string) => duckdbDialect.quoteLiteral(text);

await timer.time('create_tables', async () => {
  for (const table of sparkifyTables) await db.run(duckdbDialect.renderCreateTable(table));
});
await timer.time('load_events', () =>
  db.run(`INSERT INTO staging_events
    SELECT artist, auth, firstName, gender, itemInSession, lastName, length, level, location, method, page,
      registration, sessionId, song, status, make_timestamp(ts * 1000), userAgent, NULLIF(userId, '')::INTEGER
    FROM read_json(${literal(`${data}/log_data/**/*.json`)}, format = 'newline_delimited', columns = {
      artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR', itemInSession: 'INTEGER',
      lastName: 'VARCHAR', length: 'DOUBLE', level: 'VARCHAR', location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR',
      registration: 'DOUBLE', sessionId: 'INTEGER', song: 'VARCHAR', status: 'INTEGER', ts: 'BIGINT',
      userAgent: 'VARCHAR', userId: 'VARCHAR'})`),
);
await timer.time('load_songs', () =>
  db.run(`INSERT INTO staging_songs
    SELECT num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year
    FROM read_json(${literal(`${data}/song_data/**/*.json`)}, format = 'newline_delimited', columns = {
      num_songs: 'INTEGER', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE', artist_longitude: 'DOUBLE',
      artist_location: 'VARCHAR', artist_name: 'VARCHAR', song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE', year: 'INTEGER'})`),
);
await timer.time('transform', async () => {
  for (const transform of sparkifyTransforms) for (const sql of transform.statements) await db.run(sql);
});
const events = Number((await db.runAndReadAll('SELECT COUNT(*) FROM staging_events')).getRows()[0]![0]);
await timer.time('checkpoint', () => db.run('CHECKPOINT'));
db.closeSync();
instance.closeSync();
report({ events, phases: timer.phases });
