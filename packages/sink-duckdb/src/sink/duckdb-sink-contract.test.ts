import { describeSinkContract, memorySource } from '@sparkify/core/testing';
import { DuckDbSink } from './duckdb-sink.js';

describeSinkContract('DuckDbSink (in memory)', async () => ({ sink: new DuckDbSink({ path: ':memory:', threads: 1 }), source: memorySource }), {
  // Minutes of hashing on one thread: only ever ends by being cancelled.
  slowQuery: 'SELECT sum(hash(range)) AS total FROM range(100000000000)',
});
