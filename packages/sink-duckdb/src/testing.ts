// Test helpers of @sparkify/sink-duckdb (the `./testing` subpath).
import { DuckDbSink } from './sink/duckdb-sink.js';

/**
 * A fresh, empty in-memory warehouse for tests. One thread: test suites run side by side on
 * small shared machines, and the data they hold is tiny.
 */
export function inMemoryDuckDbSink(options: { memoryLimit?: string } = {}): DuckDbSink {
  return new DuckDbSink({ path: ':memory:', threads: 1, ...options });
}
