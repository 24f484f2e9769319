import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSinkContract, memorySource } from '@sparkify/core/testing';
import { inMemoryDuckDbSink } from '../testing.js';
import { DuckDbSink } from './duckdb-sink.js';

// Minutes of hashing on one thread: it only ever ends by being cancelled.
const slowQuery = 'SELECT sum(hash(range)) AS total FROM range(100000000000)';

describeSinkContract('DuckDbSink in memory', async () => ({ sink: inMemoryDuckDbSink(), source: memorySource }), {
  slowQuery,
});

describeSinkContract(
  'DuckDbSink on a file',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sink-duckdb-contract-'));
    return {
      sink: new DuckDbSink({ path: join(dir, 'warehouse.duckdb'), threads: 1 }),
      source: memorySource,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { slowQuery },
);
