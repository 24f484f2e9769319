// The client-side path: a source streaming records (the Redshift JSON semantics module) into
// the DuckDB sink's client-side load, both staging tables. Usage: stream-load.ts DATA_DIR DB_FILE
import { rm } from 'node:fs/promises';
import { DuckDbSink } from '@sparkify/sink-duckdb';
import { createFsJsonSource } from '@sparkify/source-fs';
import { stagingEvents, stagingSongs } from '@sparkify/sparkify-pipeline';
import { PhaseTimer, report } from './phase-timer.js';

const [data, file] = process.argv.slice(2);
if (!data || !file) throw new Error('usage: stream-load.ts DATA_DIR DB_FILE');
await rm(file, { force: true });
await rm(`${file}.wal`, { force: true });

const timer = new PhaseTimer();
const sink = new DuckDbSink({ path: file, serverLoad: false });
const resolve = (path: string) => path;
const events = createFsJsonSource({ path: `${data}/log_data`, jsonPaths: `${data}/log_json_path.json`, timeFormat: 'epochmillisecs', concurrency: 4 }, resolve);
const songs = createFsJsonSource({ path: `${data}/song_data`, format: 'auto', timeFormat: 'auto', concurrency: 8 }, resolve);

await sink.begin();
for (const table of [stagingEvents, stagingSongs]) await sink.execute(sink.dialect.renderCreateTable(table));
const loadedEvents = await timer.time('load_events', () => sink.load({ source: events, table: stagingEvents, maxErrors: 0 }));
await timer.time('load_songs', () => sink.load({ source: songs, table: stagingSongs, maxErrors: 0 }));
await timer.time('commit', () => sink.commit());
await sink.close();
report({ events: loadedEvents.rowsLoaded, path: loadedEvents.path, phases: timer.phases });
