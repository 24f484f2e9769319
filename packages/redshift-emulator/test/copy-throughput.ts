// Measures the emulator's COPY throughput and per-statement overhead, in process.
// Usage: pnpm tsx packages/redshift-emulator/test/copy-throughput.ts [rows] [memory|temp|disk]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { RedshiftEmulator } from '../src/index.js';
import { runSql } from '../src/testing.js';

const rows = Number(process.argv[2] ?? 200_000);
const storage = process.argv[3] ?? 'memory';
const FILES = 20;

const PATHS = ['artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location', 'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId'];

function event(i: number): string {
  return JSON.stringify({
    artist: i % 7 === 0 ? null : `Artist ${i % 5000}`,
    auth: 'Logged In',
    firstName: `First${i % 97}`,
    gender: i % 2 ? 'F' : 'M',
    itemInSession: i % 120,
    lastName: `Last${i % 89}`,
    length: 180 + (i % 1000) / 7,
    level: i % 3 ? 'paid' : 'free',
    location: 'San Francisco-Oakland-Hayward, CA',
    method: 'PUT',
    page: i % 5 ? 'NextSong' : 'Home',
    registration: 1540919166796.0,
    sessionId: i % 1000,
    song: `Song number ${i}`,
    status: 200,
    ts: 1541106106796 + i * 1000,
    userAgent: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
    userId: i % 11 === 0 ? '' : String(i % 100),
  });
}

async function main(): Promise<void> {
  const store = new MemoryObjectStore({}, { scheme: 's3', bucket: 'bench' });
  const perFile = Math.ceil(rows / FILES);
  let bytes = 0;
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = f * perFile; i < Math.min(rows, (f + 1) * perFile); i++) lines.push(event(i));
    const text = `${lines.join('\n')}\n`;
    bytes += text.length;
    store.put(`log_data/part-${String(f).padStart(3, '0')}.json`, text);
  }
  store.put('log_json_path.json', JSON.stringify({ jsonpaths: PATHS.map((p) => `$['${p}']`) }));
  const dataDir = storage === 'disk' ? await mkdtemp(path.join(tmpdir(), 'emulator-bench-')) : undefined;
  const emulator = new RedshiftEmulator({ buckets: { bench: store }, copy: { batchRows: Number(process.env.BATCH ?? 10000) }, ...(dataDir ? { dataDir } : {}), tempDataDir: storage === 'temp' });
  try {
    let start = performance.now();
    await runSql(emulator, 'select 1');
    console.log(`boot: ${(performance.now() - start).toFixed(0)} ms (${storage})`);
    await runSql(emulator, `create table staging_events (artist varchar(1024), auth varchar(64), first_name varchar(256), gender varchar(16),
      item_in_session integer, last_name varchar(256), length double precision, level varchar(16), location varchar(1024),
      method varchar(16), page varchar(64), registration double precision, session_id integer, song varchar(1024),
      status integer, ts timestamp, user_agent varchar(1024), user_id integer)`);
    start = performance.now();
    const copy = await runSql(emulator, `copy staging_events from 's3://bench/log_data' iam_role default
      format as json 's3://bench/log_json_path.json' timeformat as 'epochmillisecs' ${process.env.NOLOAD ? 'noload' : ''}`);
    const seconds = (performance.now() - start) / 1000;
    if (copy.status !== 'FINISHED') throw new Error(copy.error);
    console.log(`COPY: ${copy.rowsAffected} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s = ${Math.round(copy.rowsAffected / seconds)} rows/s`);

    const statements = 300;
    start = performance.now();
    for (let i = 0; i < statements; i++) await runSql(emulator, 'select 1 as one');
    const perStatement = (performance.now() - start) / statements;
    console.log(`per statement (execute + wait + describe + result, select 1): ${perStatement.toFixed(2)} ms`);
    start = performance.now();
    for (let i = 0; i < statements; i++) await runSql(emulator, `insert into staging_events (song, user_id) values ('x', ${i})`);
    console.log(`per statement (single-row insert, autocommit): ${((performance.now() - start) / statements).toFixed(2)} ms`);
  } finally {
    await emulator.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
