import type { DuckDBConnection } from '@duckdb/node-api';
import { PipelineError, type LoadRequest, type LoadResult } from '@sparkify/core';
import { quoteDuckDbIdentifier } from '../dialect/duckdb-dialect.js';

/** A connection and its statement runner. */
export interface StatementRunner {
  connection: DuckDBConnection;
  /**
   * Runs one piece of work against the connection as "a statement": the run's signal interrupts
   * it, and failures come back as WarehouseError (with `sql`) or CancelledError.
   */
  statement<T>(sql: string, work: () => Promise<T>): Promise<T>;
}

/** How many rows a table holds, as its loads see it (their own transaction's rows included): what a load gained is counted by DuckDB. */
export async function countTableRows(runner: StatementRunner, table: string): Promise<number> {
  const sql = `SELECT count(*) AS n FROM ${quoteDuckDbIdentifier(table)}`;
  return runner.statement(sql, async () => Number((await runner.connection.runAndReadAll(sql)).getColumns()[0]?.[0] ?? 0));
}

/** The largest row id of a table (-1 when empty): rows inserted after get larger ones, this transaction's included. */
export async function lastRowId(runner: StatementRunner, table: string): Promise<bigint> {
  const sql = `SELECT max(rowid) AS last FROM ${quoteDuckDbIdentifier(table)}`;
  return runner.statement(sql, async () => {
    const last = (await runner.connection.runAndReadAll(sql)).getColumns()[0]?.[0];
    return last === null || last === undefined ? -1n : BigInt(last as bigint);
  });
}

/** Deletes the rows inserted since lastRowId gave `last`: the table is as it was. */
export async function undoInserts(runner: StatementRunner, table: string, last: bigint): Promise<void> {
  const sql = `DELETE FROM ${quoteDuckDbIdentifier(table)} WHERE rowid > ${last}`;
  await runner.statement(sql, () => runner.connection.run(sql));
}

/** The sink's own connection, in its turn, inside the unit of work (or a transaction of the load's own). */
export type LoadContext = StatementRunner;

/**
 * A connection of its own to the same database, outside the run's transaction: for work that
 * may fail without aborting that transaction (in DuckDB any failed statement aborts the open
 * transaction), and that need not wait for the sink's connection. Close it when done.
 */
export interface SideConnection extends StatementRunner {
  close(): void;
}

/**
 * A load made ready: `load` writes through the sink's connection. It may still decline, having
 * undone what it wrote (the table is as it was), and the next strategy loads instead.
 */
export interface PreparedLoad {
  load(context: LoadContext): Promise<LoadResult | LoadDeclined>;
}

/**
 * A strategy that looked at the data and will not load it: nothing it wrote through the sink's
 * connection is left, and the next strategy loads instead.
 */
export interface LoadDeclined {
  declined: string;
  /**
   * The data holds records no server-side strategy would load as the client path does (found
   * record by record, not a layout another reader handles): straight to the client path.
   */
  final?: boolean;
}

/**
 * How the load's statements run. `contained`: each on its own (the unit of work is a working
 * copy of the file), so a failed statement undoes only itself and aborts nothing: a strategy
 * may try a read that fails on the data, and decline then.
 */
export interface LoadMode {
  contained: boolean;
}

/**
 * One way of getting a source's records into a table, in order: the server-side JSON reader
 * where it can prove it loads what the client path would, then the client-side appender, which
 * loads anything.
 *
 * `prepare` runs before the load's turn on the sink's connection (so two loads' reading and
 * checking overlap, and overlap other steps' statements); `load` then runs in that turn, inside
 * the unit of work.
 */
export interface LoadStrategy {
  readonly path: LoadResult['path'];
  /** Whether this strategy may load the request (from what the source describes; reads no data). */
  accepts(request: LoadRequest): Promise<boolean>;
  /** What the load would do, for `plan`: statements, or a one-line description. */
  plan(request: LoadRequest, mode: LoadMode): Promise<string[]>;
  prepare(request: LoadRequest, side: () => Promise<SideConnection>, mode: LoadMode): Promise<PreparedLoad | LoadDeclined>;
}

/**
 * A strategy's plan, worked out once per load request: a strategy plans in `accepts` and again
 * in `prepare`, and over 100,000 song files the plan alone takes about 0.1 s.
 */
export function oncePerRequest<T>(plan: (request: LoadRequest) => Promise<T>): (request: LoadRequest) => Promise<T> {
  const plans = new WeakMap<LoadRequest, Promise<T>>();
  return (request) => {
    let planned = plans.get(request);
    if (!planned) {
      planned = plan(request);
      plans.set(request, planned);
    }
    return planned;
  };
}

export function isDeclined<T extends object>(outcome: T | LoadDeclined): outcome is LoadDeclined {
  return 'declined' in outcome;
}

export async function chooseStrategy(strategies: readonly LoadStrategy[], request: LoadRequest): Promise<LoadStrategy> {
  for (const strategy of strategies) {
    if (await strategy.accepts(request)) return strategy;
  }
  throw new PipelineError('internal', `no load strategy of the DuckDB sink accepts table ${request.table.name}`);
}

/** A prepared load, and the strategies after its own (to fall back on). */
export interface PreparedWith {
  strategy: LoadStrategy;
  prepared: PreparedLoad;
  rest: readonly LoadStrategy[];
}

/**
 * Prepares the load with the first strategy that accepts the request and does not decline it.
 * `onDecline` hears why a strategy passed the load on (for tests and diagnostics).
 */
export async function prepareLoad(
  strategies: readonly LoadStrategy[],
  request: LoadRequest,
  side: () => Promise<SideConnection>,
  onDecline?: (strategy: LoadStrategy, reason: string) => void,
  mode: LoadMode = { contained: false },
): Promise<PreparedWith> {
  for (const [index, strategy] of strategies.entries()) {
    if (!(await strategy.accepts(request))) continue;
    const prepared = await strategy.prepare(request, side, mode);
    if (!isDeclined(prepared)) return { strategy, prepared, rest: strategies.slice(index + 1) };
    onDecline?.(strategy, prepared.declined);
    if (prepared.final) return prepareLoad(clientOnly(strategies.slice(index + 1)), request, side, onDecline, mode);
  }
  throw new PipelineError('internal', `every load strategy of the DuckDB sink declined table ${request.table.name}`);
}

/**
 * Runs a prepared load in the sink's turn; when it declines there, prepares and runs the next
 * strategy that will (the client path always does).
 */
export async function runLoad(
  first: PreparedWith,
  request: LoadRequest,
  context: LoadContext,
  side: () => Promise<SideConnection>,
  onDecline?: (strategy: LoadStrategy, reason: string) => void,
  mode: LoadMode = { contained: false },
): Promise<LoadResult> {
  let current = first;
  for (;;) {
    const outcome = await current.prepared.load(context);
    if (!isDeclined(outcome)) return outcome;
    onDecline?.(current.strategy, outcome.declined);
    current = await prepareLoad(outcome.final ? clientOnly(current.rest) : current.rest, request, side, onDecline, mode);
  }
}

function clientOnly(strategies: readonly LoadStrategy[]): readonly LoadStrategy[] {
  return strategies.filter((strategy) => strategy.path === 'client');
}
