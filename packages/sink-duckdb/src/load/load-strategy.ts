import type { DuckDBConnection } from '@duckdb/node-api';
import { PipelineError, type LoadRequest, type LoadResult } from '@sparkify/core';

/** A connection and its statement runner (see LoadContext.statement). */
export interface StatementRunner {
  connection: DuckDBConnection;
  /**
   * Runs one piece of work against the connection as "a statement": the run's signal interrupts
   * it, and failures come back as WarehouseError (with `sql`) or CancelledError.
   */
  statement<T>(sql: string, work: () => Promise<T>): Promise<T>;
}

/** What a load strategy may use of the sink. */
export interface LoadContext extends StatementRunner {
  /**
   * A second connection to the same database, outside the run's transaction: for work that may
   * fail without aborting it (in DuckDB any failed statement aborts the open transaction).
   * Opened on first use, kept for the sink's life.
   */
  side(): Promise<StatementRunner>;
}

/**
 * A strategy that looked at the data and will not load it: nothing was written through the
 * sink's connection, and the next strategy loads instead.
 */
export interface LoadDeclined {
  declined: string;
}

/**
 * One way of getting a source's records into a table. The sink runs strategies inside the unit
 * of work (or a transaction of its own), so a strategy only loads.
 *
 * In order: the server-side JSON reader where it can prove it loads what the client path would,
 * then the client-side appender, which loads anything.
 */
export interface LoadStrategy {
  readonly path: LoadResult['path'];
  /** Whether this strategy may load the request (from what the source describes; reads no data). */
  accepts(request: LoadRequest): Promise<boolean>;
  /** What `load` would do, for `plan`: statements, or a one-line description. */
  plan(request: LoadRequest): Promise<string[]>;
  load(request: LoadRequest, context: LoadContext): Promise<LoadResult | LoadDeclined>;
}

export function isDeclined(outcome: LoadResult | LoadDeclined): outcome is LoadDeclined {
  return 'declined' in outcome;
}

export async function chooseStrategy(strategies: readonly LoadStrategy[], request: LoadRequest): Promise<LoadStrategy> {
  for (const strategy of strategies) {
    if (await strategy.accepts(request)) return strategy;
  }
  throw new PipelineError('internal', `no load strategy of the DuckDB sink accepts table ${request.table.name}`);
}

/**
 * Loads with the first strategy that accepts the request and does not decline it. `onDecline`
 * hears why a strategy passed the load on (for tests and diagnostics).
 */
export async function loadWithStrategies(
  strategies: readonly LoadStrategy[],
  request: LoadRequest,
  context: LoadContext,
  onDecline?: (strategy: LoadStrategy, reason: string) => void,
): Promise<LoadResult> {
  for (const strategy of strategies) {
    if (!(await strategy.accepts(request))) continue;
    const outcome = await strategy.load(request, context);
    if (!isDeclined(outcome)) return outcome;
    onDecline?.(strategy, outcome.declined);
  }
  throw new PipelineError('internal', `every load strategy of the DuckDB sink declined table ${request.table.name}`);
}
