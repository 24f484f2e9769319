// The baseline: DuckDB alone doing the whole job into a database file, with its best settings.
// No engine, no CLI, no JSON semantics module, no TypeScript loader: plain JavaScript over the
// DuckDB client, read_json with explicit columns into staging, then the same transform SQL as
// the pipeline (written by bench.ts into SQL_FILE: { createTables: [], transforms: [] }).
// Usage: node baseline-duckdb.mjs DATA_DIR DB_FILE SQL_FILE
import { readFileSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [data, file, sqlFile] = process.argv.slice(2);
if (!data || !file || !sqlFile) throw new Error('usage: baseline-duckdb.mjs DATA_DIR DB_FILE SQL_FILE');
const sql = JSON.parse(readFileSync(sqlFile, 'utf8'));
rmSync(file, { force: true });
rmSync(`${file}.wal`, { force: true });

const phases = {};
async function time(name, work) {
  const started = performance.now();
  await work();
  phases[name] = performance.now() - started;
}
const literal = (text) => `'${text.replaceAll("'", "''")}'`;

const instance = await DuckDBInstance.create(file, { preserve_insertion_order: 'false', memory_limit: '1GB' });
const db = await instance.connect();
await time('create_tables', async () => {
  for (const statement of sql.createTables) await db.run(statement);
});
await time('load_events', () =>
  db.run(`INSERT INTO staging_events
    SELECT artist, auth, firstName, gender, itemInSession, lastName, length, level, location, method, page,
      registration, sessionId, song, status, make_timestamp(ts * 1000), userAgent, NULLIF(userId, '')::INTEGER
    FROM read_json(${literal(`${data}/log_data/**/*.json`)}, format = 'newline_delimited', columns = {
      artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR', itemInSession: 'INTEGER',
      lastName: 'VARCHAR', length: 'DOUBLE', level: 'VARCHAR', location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR',
      registration: 'DOUBLE', sessionId: 'INTEGER', song: 'VARCHAR', status: 'INTEGER', ts: 'BIGINT',
      userAgent: 'VARCHAR', userId: 'VARCHAR'})`),
);
await time('load_songs', () =>
  db.run(`INSERT INTO staging_songs
    SELECT num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year
    FROM read_json(${literal(`${data}/song_data/**/*.json`)}, format = 'newline_delimited', columns = {
      num_songs: 'INTEGER', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE', artist_longitude: 'DOUBLE',
      artist_location: 'VARCHAR', artist_name: 'VARCHAR', song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE', year: 'INTEGER'})`),
);
await time('transform', async () => {
  for (const statement of sql.transforms) await db.run(statement);
});
const events = Number((await db.runAndReadAll('SELECT COUNT(*) FROM staging_events')).getRows()[0][0]);
await time('checkpoint', () => db.run('CHECKPOINT'));
db.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ events, phases })}\n`);
