import { DuckDBTableFunction, type DuckDBConnection, type DuckDBDataChunk, type DuckDBTableFunctionBindInfo, type DuckDBTableFunctionInfo, type DuckDBType } from '@duckdb/node-api';
import { throwIfAborted, type ReadOptions, type TableSpec } from '@sparkify/core';
import type { ColumnarBatch, ColumnarSource, ColumnBatch } from '@sparkify/redshift-json';
import { quoteDuckDbIdentifier as id } from '../dialect/duckdb-dialect.js';
import { fillDataChunk } from './column-chunk.js';
import type { LoadContext } from './load-strategy.js';

/**
 * Column batches into a table by `INSERT … SELECT * FROM` a table function that hands DuckDB a
 * batch a call. DuckDB's appender does its work (copying, compressing row groups) on the thread
 * that calls it, JavaScript's own, which parse workers need too: 4.4 s of it for 1M events, where
 * the INSERT does that work on a thread of its own and calls back into JavaScript only to fill
 * each chunk (0.26 s for 1M events).
 *
 * The callback cannot wait for a batch, so the INSERT ends when the queue runs dry; while the
 * source still has batches, another starts (a round). The queue is bounded: the source waits
 * when it is full, so memory stays flat however large the input.
 */
export async function insertColumnBatches(
  source: ColumnarSource,
  options: ReadOptions,
  table: TableSpec,
  context: LoadContext,
  onBatch: (item: ColumnarBatch) => void,
): Promise<void> {
  const feed = registerFeed(context.connection, table, await columnTypes(context, table));
  const sql = `INSERT INTO ${id(table.name)} SELECT * FROM ${feed.name}()`;
  const rounds = new InsertRounds(feed, () => run(context, sql));
  await run(context, KEEP_ORDER);
  try {
    for await (const item of source.readColumns(options)) {
      throwIfAborted(options.signal);
      rounds.throwIfFailed();
      onBatch(item);
      if (item.batch.rows === 0) continue;
      feed.queue.push(item.batch);
      if (feed.queue.length >= ROUND_START) rounds.start();
      await rounds.untilRoom();
    }
    await rounds.finish();
  } finally {
    await rounds.stop();
    feed.close();
    // The connection's own setting again (a failed statement may have aborted the transaction: then the run ends anyway).
    await run(context, 'RESET SESSION preserve_insertion_order').catch(() => undefined);
  }
}

/**
 * For this connection only, while its batches go in: with the database's preserve_insertion_order
 * = false (which server-side reads need, to stay within memory), an INSERT from a source that
 * is not parallel (this one) took 3x the time and the CPU (0.6 s against 1.9 s for 500,000
 * events). Keeping order also keeps the rows in the order the source gave them.
 */
const KEEP_ORDER = 'SET SESSION preserve_insertion_order = true';

async function run(context: LoadContext, sql: string): Promise<void> {
  await context.statement(sql, () => context.connection.run(sql));
}

/** Batches queued at most (2,048 rows each): the source waits for room beyond. */
const MAX_QUEUED = 8;
/** Batches that start a round: a few, so that rounds are not one batch each. */
const ROUND_START = 2;

async function columnTypes(context: LoadContext, table: TableSpec): Promise<DuckDBType[]> {
  const sql = `SELECT * FROM ${id(table.name)} LIMIT 0`;
  return context.statement(sql, async () => (await context.connection.run(sql)).columnTypes());
}

/** The INSERTs of one load, one at a time, started as batches come; the first failure is kept. */
class InsertRounds {
  private running: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly feed: Feed,
    private readonly insert: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.running || this.failure) return;
    this.running = this.insert()
      .then(
        () => undefined,
        (error: unknown) => {
          // An error thrown while filling a chunk reaches DuckDB as text: the original is the one to report.
          this.failure ??= { error: this.feed.failure ?? error };
        },
      )
      .finally(() => {
        this.running = undefined;
        this.feed.notify();
      });
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits while the queue is full (a round running to drain it). */
  async untilRoom(): Promise<void> {
    while (this.feed.queue.length >= MAX_QUEUED) {
      this.start();
      await this.feed.changed();
      this.throwIfFailed();
    }
  }

  /** Rounds until every queued batch is in. */
  async finish(): Promise<void> {
    while (this.feed.queue.length > 0 || this.running) {
      this.start();
      await this.running;
      this.throwIfFailed();
    }
  }

  /** Ends the running round early (after a failure elsewhere) and waits for it. */
  async stop(): Promise<void> {
    this.feed.stopped = true;
    await this.running;
  }
}

let registered = 0;

/**
 * A table function of the load's own. Registered per load: DuckDB registers it in the open
 * transaction, so a load that fails takes its function with it when the run rolls back.
 */
function registerFeed(connection: DuckDBConnection, table: TableSpec, types: DuckDBType[]): Feed {
  const feed = new Feed(`__sparkify_batches_${++registered}`, table, types);
  connection.registerTableFunction(
    DuckDBTableFunction.create({
      name: feed.name,
      bindFunction: (info) => feed.bind(info),
      initFunction: () => undefined,
      mainFunction: (info, output) => feed.next(info, output),
    }),
  );
  return feed;
}

/** What the table function hands out: the current load's queue, in the order the source gave it. */
class Feed {
  queue: ColumnBatch[] = [];
  /** Set to end the running round at its next call. */
  stopped = false;
  /** An error filling a chunk (a bug): DuckDB gets its message, the load rethrows it. */
  failure: unknown;
  private wake: (() => void) | undefined;

  constructor(
    readonly name: string,
    /** Unset once the load is over: the function then refuses to bind. */
    private table: TableSpec | undefined,
    private readonly types: DuckDBType[],
  ) {}

  close(): void {
    this.table = undefined;
    this.queue = [];
  }

  bind(info: DuckDBTableFunctionBindInfo): void {
    if (!this.table) return info.setError(`${this.name} is the client-side load's own, called outside a load`);
    this.table.columns.forEach((column, index) => info.addResultColumn(column.name, this.types[index]!));
  }

  next(info: DuckDBTableFunctionInfo, output: DuckDBDataChunk): void {
    const batch = this.stopped ? undefined : this.queue.shift();
    if (!batch) {
      output.rowCount = 0;
      return;
    }
    try {
      fillDataChunk(output.chunk, batch, this.types.length);
    } catch (error) {
      this.failure ??= error;
      info.setError(error instanceof Error ? error.message : String(error));
    }
    this.notify();
  }

  /** Resolves at the next change: a batch taken, or a round over. */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
