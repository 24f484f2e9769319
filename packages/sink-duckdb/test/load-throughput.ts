/**
 * Rough rows/s of the client-side load (appender) path, for a staging_events-shaped table.
 * Not a test: run it by hand on a quiet machine.
 *
 *   pnpm tsx packages/sink-duckdb/test/load-throughput.ts [rows] [memory|file] [threads]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadRow, RowBatch } from '@sparkify/core';
import { memorySource } from '@sparkify/core/testing';
import { stagingEvents } from '../../sparkify-pipeline/src/schema/tables.js';
import { DuckDbSink } from '../src/index.js';

// The pipeline's own staging_events spec, imported rather than copied so the two cannot drift.
const events = stagingEvents;

const AGENTS = [
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2"',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0',
];

/** Rows shaped like the Sparkify logs: a NextSong event most of the time, a Home visit otherwise. */
function eventRow(i: number): LoadRow {
  const song = i % 5 !== 0;
  return [
    song ? `Artist ${i % 9973}` : null,
    'Logged In',
    `First${i % 97}`,
    i % 2 ? 'F' : 'M',
    i % 120,
    `Last${i % 89}`,
    song ? 180 + (i % 200) * 0.731 : null,
    i % 3 ? 'paid' : 'free',
    `City ${i % 331}, ST`,
    song ? 'PUT' : 'GET',
    song ? 'NextSong' : 'Home',
    1540000000000 + (i % 1000) * 1.0,
    i % 5000,
    song ? `Song title number ${i % 14897}` : null,
    200,
    1541105830796000 + i * 1000,
    AGENTS[i % AGENTS.length]!,
    i % 7 === 0 ? null : i % 100,
  ];
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 300_000);
  const where = process.argv[3] ?? 'memory';
  const threads = Number(process.argv[4] ?? 2);
  const batchSize = 1000;
  const batches: RowBatch[] = [];
  for (let start = 0; start < total; start += batchSize) {
    const rows: LoadRow[] = [];
    for (let i = start; i < Math.min(total, start + batchSize); i++) rows.push(eventRow(i));
    batches.push({ rows, rejected: [] });
  }
  const dir = await mkdtemp(join(tmpdir(), 'duckdb-throughput-'));
  const sink = new DuckDbSink({ path: where === 'file' ? join(dir, 'bench.duckdb') : ':memory:', threads });
  try {
    for (const round of [1, 2, 3]) {
      await sink.execute(sink.dialect.renderDropTable(events.name));
      await sink.execute(sink.dialect.renderCreateTable(events));
      const started = process.hrtime.bigint();
      const result = await sink.load({ source: memorySource(batches), table: events, maxErrors: 0 });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rate = Math.round(result.rowsLoaded / seconds);
      console.log(`round ${round}: ${result.rowsLoaded} rows in ${seconds.toFixed(2)} s = ${rate.toLocaleString('en')} rows/s (${where}, ${threads} threads)`);
    }
  } finally {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
