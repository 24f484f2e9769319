import type { DuckDBConnection } from '@duckdb/node-api';
import { PipelineError, type LoadRequest, type LoadResult } from '@sparkify/core';

/** What a load strategy may use of the sink: its connection and its statement runner. */
export interface LoadContext {
  connection: DuckDBConnection;
  /**
   * Runs one piece of work against the connection as "a statement": the run's signal interrupts
   * it, and failures come back as WarehouseError (with `sql`) or CancelledError.
   */
  statement<T>(sql: string, work: () => Promise<T>): Promise<T>;
}

/**
 * One way of getting a source's records into a table. The sink runs the chosen strategy inside
 * the unit of work (or a transaction of its own), so a strategy only loads.
 *
 * Today there is the client-side appender; a server-side strategy (DuckDB's JSON reader over the
 * source's files, columns from the JSONPaths) is planned and slots in ahead of it by `accepts`.
 */
export interface LoadStrategy {
  readonly path: LoadResult['path'];
  /** Whether this strategy can load the request; asked in order, the first that accepts loads. */
  accepts(request: LoadRequest): Promise<boolean>;
  /** What `load` would do, for `plan`: statements, or a one-line description. */
  plan(request: LoadRequest): string[];
  load(request: LoadRequest, context: LoadContext): Promise<LoadResult>;
}

export async function chooseStrategy(strategies: readonly LoadStrategy[], request: LoadRequest): Promise<LoadStrategy> {
  for (const strategy of strategies) {
    if (await strategy.accepts(request)) return strategy;
  }
  throw new PipelineError('internal', `no load strategy of the DuckDB sink accepts table ${request.table.name}`);
}
