// The public surface of @sparkify/sink-duckdb: named exports only.
export {
  duckdbDialect,
  quoteDuckDbIdentifier,
  quoteDuckDbLiteral,
  renderDuckDbType,
  renderDuckDbCreateTable,
  renderDuckDbDropTable,
} from './dialect/duckdb-dialect.js';
export { DuckDbSink, DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_PATTERN } from './sink/duckdb-sink.js';
export type { DuckDbSinkOptions } from './sink/duckdb-sink.js';
export { MEMORY_PATH } from './engine/open-database.js';
export { duckdbSinkPlugin } from './plugin/duckdb-sink-plugin.js';
export type { DuckDbSinkConfig } from './plugin/duckdb-sink-plugin.js';
