import { ResultReturnType, type DuckDBConnection } from '@duckdb/node-api';
import {
  CancelledError,
  ConfigError,
  PipelineError,
  WarehouseError,
  isAbortError,
  throwIfAborted,
  toPipelineError,
  type Dialect,
  type LoadRequest,
  type LoadResult,
  type QueryResult,
  type Sink,
  type StatementOptions,
} from '@sparkify/core';
import { duckdbDialect } from '../dialect/duckdb-dialect.js';
import { statementError } from '../engine/duckdb-errors.js';
import { MEMORY_PATH, openDatabase, type DatabaseLease, type DatabaseSettings } from '../engine/open-database.js';
import { toQueryResult } from '../engine/query-result.js';
import { SerialQueue } from '../engine/serial-queue.js';
import { WORKING_COPY_SUPPORTED, discard, openWorkingCopy, swapIn, type WorkingCopy } from '../engine/working-copy.js';
import { appenderLoad } from '../load/appender-load.js';
import { stagedJsonLoad } from '../load/staged-json-load.js';
import { chooseStrategy, prepareLoad, runLoad, type LoadContext, type LoadStrategy, type SideConnection } from '../load/load-strategy.js';
import { serverJsonLoad, type ServerJsonLoadOptions } from '../load/server-json-load.js';

/**
 * DuckDB's memory_limit for the warehouse. DuckDB's own default is 80% of the machine's RAM,
 * too greedy for a CLI on a shared laptop or CI runner. The limit covers DuckDB's buffer pool
 * only: a run's process holds some 300–400 MB more (Node, read buffers, query state). A file
 * database spills bigger joins and sorts to disk (`<file>.tmp`) instead of failing, but spilling
 * costs: at 400 MB the songplays join spilled, 8.4 s against 4.3 s at 600 MB for 5M events (the
 * whole run 29.5 s against 26.0 s). At 600 MB a local run peaked at 0.8–0.9 GiB at 1M events
 * and 1.1 GiB at 5M.
 */
export const DEFAULT_MEMORY_LIMIT = '600MB';

/** DuckDB size strings: `512MB`, `1GB`, `1.5GiB`. */
export const MEMORY_LIMIT_PATTERN = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

export interface DuckDbSinkOptions {
  /** The database file (absolute, or relative to the working directory), or `:memory:`. */
  path: string;
  /** DuckDB's memory_limit; DEFAULT_MEMORY_LIMIT when absent. */
  memoryLimit?: string;
  /** DuckDB's worker threads; one per core (DuckDB's default) when absent. */
  threads?: number;
  /** Where these options were configured, e.g. `resources.warehouse.with`, for error locations. */
  configPath?: string;
  /**
   * The server-side load (DuckDB's JSON reader over local files, used where it provably loads
   * what the client path would): its batch sizes, or `false` to always load client-side.
   */
  serverLoad?: ServerJsonLoadOptions | false;
  /**
   * How a run's unit of work keeps a failed run from changing the warehouse file: `copy` (the
   * default) runs on a copy of the file and renames it over the file on commit; `transaction`
   * runs in one DuckDB transaction on the file itself (no copy: for a warehouse file too large
   * to copy at each run). `:memory:`, a file another sink of this process has open, and Windows
   * always use a transaction.
   */
  atomicity?: Atomicity;
  /** Hears why a load strategy passed a load on to the next (the server path declining, say). */
  onLoadDeclined?: (table: string, path: LoadResult['path'], reason: string) => void;
}

export type Atomicity = 'copy' | 'transaction';

interface Session {
  lease: DatabaseLease;
  connection: DuckDBConnection;
}

/**
 * The run's unit of work: an open transaction, or a working copy of the file where each
 * statement commits on its own. `failure` is set once something inside it failed.
 */
interface UnitOfWork {
  failure?: PipelineError;
  copy?: WorkingCopy;
}

/** How often an interrupt is repeated until the interrupted statement has stopped. */
const INTERRUPT_REPEAT_MS = 50;

/**
 * The embedded warehouse: one DuckDB connection that holds the run's unit of work. The database
 * opens on first use (creating the file), so constructing a sink is free and offline.
 *
 * Inside a unit of work, a failure aborts it as it would on Redshift: DuckDB itself would carry
 * on after, say, a bad table name, and a later COMMIT would keep half of a step's work. Here the
 * following statements and the commit are refused until `rollback`, so a pipeline that passes on
 * DuckDB behaves the same on Redshift. The unit runs on a working copy of the file (see
 * working-copy.ts) unless `atomicity` says otherwise.
 */
export class DuckDbSink implements Sink {
  readonly dialect: Dialect = duckdbDialect;
  private readonly settings: DatabaseSettings;
  private readonly queue = new SerialQueue();
  private readonly strategies: readonly LoadStrategy[];
  private readonly onLoadDeclined: DuckDbSinkOptions['onLoadDeclined'];
  /** Whether units of work run on a working copy (else in a transaction): see DuckDbSinkOptions.atomicity. */
  private readonly copies: boolean;
  private session: Promise<Session> | undefined;
  private unitOfWork: UnitOfWork | undefined;
  /** Loads on connections of their own (loadBeside) take turns per table. */
  private readonly tableTurns = new Map<string, SerialQueue>();
  private closed = false;

  constructor(options: DuckDbSinkOptions) {
    const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    const at = (key: string) => (options.configPath ? { location: { configPath: `${options.configPath}.${key}` } } : {});
    if (!MEMORY_LIMIT_PATTERN.test(memoryLimit)) {
      throw new ConfigError(`memoryLimit "${memoryLimit}" is not a DuckDB size`, { ...at('memoryLimit'), hint: 'write it like 512MB or 2GB' });
    }
    if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
      throw new ConfigError(`threads must be a whole number of at least 1, not ${options.threads}`, at('threads'));
    }
    const server = options.serverLoad === false ? undefined : (options.serverLoad ?? {});
    this.strategies = !server
      ? [appenderLoad]
      : [...(server.staged === false ? [] : [stagedJsonLoad(server)]), serverJsonLoad(server), appenderLoad];
    this.onLoadDeclined = options.onLoadDeclined;
    this.copies = (options.atomicity ?? 'copy') === 'copy' && WORKING_COPY_SUPPORTED && options.path !== MEMORY_PATH;
    this.settings = {
      path: options.path,
      memoryLimit,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.configPath ? { configPath: `${options.configPath}.path` } : {}),
    };
  }

  /** The database file, or `:memory:`. */
  get path(): string {
    return this.settings.path;
  }

  async healthCheck(options: StatementOptions = {}): Promise<void> {
    await this.exclusive(options, (connection) => this.statement(connection, 'SELECT 1', options, () => connection.run('SELECT 1')));
  }

  async execute(sql: string, options: StatementOptions = {}): Promise<{ rowsAffected?: number }> {
    return this.exclusive(options, (connection) =>
      this.guarded(() =>
        this.statement(connection, sql, options, async () => {
          const result = await connection.run(sql);
          return result.returnType === ResultReturnType.CHANGED_ROWS ? { rowsAffected: result.rowsChanged } : {};
        }),
      ),
    );
  }

  async query(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    return this.exclusive(options, (connection) =>
      this.guarded(() => this.statement(connection, sql, options, async () => toQueryResult(await connection.runAndReadAll(sql)))),
    );
  }

  async transaction(statements: string[], options: StatementOptions = {}): Promise<void> {
    await this.exclusive(options, (connection) =>
      this.atomically(connection, options, async () => {
        for (const [index, sql] of statements.entries()) {
          const label = options.label ? `${options.label} (${index + 1} of ${statements.length})` : undefined;
          await this.statement(connection, sql, { ...options, ...(label ? { label } : {}) }, () => connection.run(sql));
        }
      }),
    );
  }

  /**
   * Prepares the load first, without a turn on the connection (the server path reads and checks
   * the files on a side connection meanwhile, so concurrent loads overlap), then loads in turn.
   */
  async load(request: LoadRequest): Promise<LoadResult> {
    const options: StatementOptions = request.signal ? { signal: request.signal } : {};
    if (this.closed) throw new PipelineError('internal', `the DuckDB sink for ${this.settings.path} is closed`);
    const onDecline = (strategy: LoadStrategy, reason: string) => this.onLoadDeclined?.(request.table.name, strategy.path, reason);
    const side = () => this.openSide(options);
    // On the working copy a failed statement undoes only itself: a load may try a read that fails.
    const mode = { contained: this.unitOfWork?.copy !== undefined };
    const prepared = await prepareLoad(this.strategies, request, side, onDecline, mode).catch((error) => {
      throw loadError(error, request.signal);
    });
    const run = (context: LoadContext) =>
      runLoad(prepared, request, context, side, onDecline, mode).catch((error) => {
        throw loadError(error, request.signal);
      });
    if (mode.contained) return this.loadBeside(request, options, side, run);
    return this.exclusive(options, async (connection) => {
      const context: LoadContext = { connection, statement: (sql, work) => this.statement(connection, sql, options, work) };
      return this.atomically(connection, options, () => run(context));
    });
  }

  /**
   * On the working copy every statement commits on its own, so a load needs no turn on the
   * sink's connection: it runs on a connection of its own, beside other loads and statements (a
   * load of many small files leaves a core idle, which another table's load then uses). Loads
   * into one table still take turns: a load that declines deletes the rows it added after the
   * table's last row id. Commit, rollback and close wait for the loads under way.
   */
  private loadBeside(
    request: LoadRequest,
    options: StatementOptions,
    side: () => Promise<SideConnection>,
    run: (context: LoadContext) => Promise<LoadResult>,
  ): Promise<LoadResult> {
    const table = request.table.name.toLowerCase();
    const turns = this.tableTurns.get(table) ?? new SerialQueue();
    this.tableTurns.set(table, turns);
    return turns.run(async () => {
      throwIfAborted(options.signal);
      const own = await side();
      try {
        return await this.guarded(() => run(own));
      } finally {
        own.close();
      }
    });
  }

  /** Every load queued beside the sink's connection, finished (whether or not it succeeded): an empty turn at the end of each table's queue. */
  private async loadsSettled(): Promise<void> {
    await Promise.all([...this.tableTurns.values()].map((turns) => turns.run(async () => undefined)));
  }

  async planLoad(request: LoadRequest): Promise<string[]> {
    // As a run would load: on the working copy, unless this sink runs its units in a transaction.
    return (await chooseStrategy(this.strategies, request)).plan(request, { contained: this.copies });
  }

  async begin(options: StatementOptions = {}): Promise<void> {
    await this.exclusive(options, async (connection) => {
      if (this.unitOfWork) throw new PipelineError('internal', 'begin: a unit of work is already open on this DuckDB sink');
      const { lease } = await this.connect();
      if (this.copies && lease.alone()) {
        this.unitOfWork = { copy: await openWorkingCopy(connection, this.settings) };
        return;
      }
      await this.statement(connection, 'BEGIN TRANSACTION', options, () => connection.run('BEGIN TRANSACTION'));
      this.unitOfWork = {};
    });
  }

  async commit(options: StatementOptions = {}): Promise<void> {
    await this.loadsSettled();
    await this.exclusive(options, async (connection) => {
      const unit = this.unitOfWork;
      if (!unit) throw new PipelineError('internal', 'commit: no unit of work is open on this DuckDB sink');
      this.unitOfWork = undefined;
      if (unit.failure) {
        await this.undo(unit, connection);
        throw new WarehouseError(`not committed: the unit of work was rolled back because a statement in it failed: ${unit.failure.message}`, {
          cause: unit.failure,
          location: unit.failure.location,
        });
      }
      if (unit.copy) return this.swapIn(unit.copy);
      // No signal: a commit that has started is let finish (DuckDB rolls back a failed one itself).
      await this.statement(connection, 'COMMIT', {}, () => connection.run('COMMIT'));
    });
  }

  /** Rolls the unit of work back; does nothing when none is open, so cleanup paths may always call it. */
  async rollback(): Promise<void> {
    // No signal either: rolling back is what a cancelled run needs to do.
    await this.loadsSettled();
    await this.exclusive({}, async (connection) => {
      const unit = this.unitOfWork;
      if (!unit) return;
      this.unitOfWork = undefined;
      if (unit.copy) return discard(unit.copy);
      await this.statement(connection, 'ROLLBACK', {}, () => connection.run('ROLLBACK'));
    });
  }

  /** Closes the connection and releases the database file; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loadsSettled();
    await this.queue.run(async () => {
      const session = await this.session?.catch(() => undefined);
      this.session = undefined;
      if (!session) return;
      // Uncommitted work is discarded with the connection; saying so keeps it explicit.
      if (this.unitOfWork) await this.undo(this.unitOfWork, session.connection);
      this.unitOfWork = undefined;
      session.connection.closeSync();
      session.lease.release();
    });
  }

  /** One turn on the connection, after the work queued before it: opened on first use, refused once closed or cancelled. */
  private exclusive<T>(options: StatementOptions, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PipelineError('internal', `the DuckDB sink for ${this.settings.path} is closed`));
    return this.queue.run(async () => {
      throwIfAborted(options.signal);
      const { connection } = await this.connect();
      return work(this.unitOfWork?.copy?.connection ?? connection);
    });
  }

  /** A side connection (same database, transactions of its own), with the run's signal. */
  private async openSide(options: StatementOptions): Promise<SideConnection> {
    const session = await this.connect();
    const instance = this.unitOfWork?.copy?.lease.instance ?? session.lease.instance;
    const connection = await instance.connect().catch((error: unknown) => {
      throw statementError(error, { sql: `-- second connection to ${this.settings.path}` });
    });
    return { connection, statement: (sql, work) => this.statement(connection, sql, options, work), close: () => connection.closeSync() };
  }

  private connect(): Promise<Session> {
    if (!this.session) {
      this.session = (async () => {
        const lease = await openDatabase(this.settings);
        try {
          return { lease, connection: await lease.instance.connect() };
        } catch (error) {
          lease.release();
          throw statementError(error, { sql: `-- connect to ${this.settings.path}` });
        }
      })();
      // A failed open is retried on the next use (the other run may have finished by then).
      this.session.catch(() => (this.session = undefined));
    }
    return this.session;
  }

  /**
   * Runs work on the connection as one statement: the signal interrupts it (repeatedly, until
   * it has stopped: an interrupt that lands between two internal steps can be missed), and a
   * failure becomes a WarehouseError carrying the SQL, or a CancelledError.
   */
  private async statement<T>(connection: DuckDBConnection, sql: string, options: StatementOptions, work: () => Promise<T>): Promise<T> {
    const { signal } = options;
    let repeat: ReturnType<typeof setInterval> | undefined;
    const interrupt = () => {
      connection.interrupt();
      repeat ??= setInterval(() => connection.interrupt(), INTERRUPT_REPEAT_MS);
      repeat.unref();
    };
    try {
      if (signal?.aborted) throw new CancelledError('cancelled', { cause: signal.reason });
      signal?.addEventListener('abort', interrupt, { once: true });
      return await work();
    } catch (error) {
      throw statementError(error, { sql, ...(options.label ? { label: options.label } : {}), ...(signal ? { signal } : {}) });
    } finally {
      signal?.removeEventListener('abort', interrupt);
      if (repeat) clearInterval(repeat);
    }
  }

  /** Inside a unit of work: refused once it has failed, and a failure marks it failed. */
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    const unit = this.unitOfWork;
    if (!unit) return work();
    if (unit.failure) {
      throw new WarehouseError(`refused: an earlier statement in this unit of work failed (${unit.failure.message}); roll it back`, {
        cause: unit.failure,
      });
    }
    try {
      return await work();
    } catch (error) {
      unit.failure = toPipelineError(error);
      throw error;
    }
  }

  /** Work as one transaction: part of the unit of work when one is open, its own BEGIN/COMMIT otherwise. */
  private async atomically<T>(connection: DuckDBConnection, options: StatementOptions, work: () => Promise<T>): Promise<T> {
    if (this.unitOfWork) return this.guarded(work);
    await this.statement(connection, 'BEGIN TRANSACTION', options, () => connection.run('BEGIN TRANSACTION'));
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await this.quietRollback(connection);
      throw error;
    }
    await this.statement(connection, 'COMMIT', {}, () => connection.run('COMMIT'));
    return result;
  }

  /** A failed or abandoned unit of work undone: its copy deleted, or its transaction rolled back. */
  private async undo(unit: UnitOfWork, connection: DuckDBConnection): Promise<void> {
    if (unit.copy) await discard(unit.copy).catch(() => undefined);
    else await this.quietRollback(connection);
  }

  /**
   * The run's copy renamed over the file. The connection to the file held its lock until now;
   * it is closed after the rename, and the next use opens the file anew.
   */
  private async swapIn(copy: WorkingCopy): Promise<void> {
    const session = await this.session;
    try {
      await swapIn(copy, this.settings.path);
    } finally {
      this.session = undefined;
      session?.connection.closeSync();
      session?.lease.release();
    }
  }

  /** ROLLBACK where a failure is already being reported; its own failure would only hide that one. */
  private async quietRollback(connection: DuckDBConnection): Promise<void> {
    try {
      await connection.run('ROLLBACK');
    } catch {
      // DuckDB has already ended a transaction that failed to commit: nothing left to undo.
    }
  }
}

/** A load's failure: the source's own PipelineErrors pass through, an abort is a cancellation. */
function loadError(error: unknown, signal: AbortSignal | undefined): PipelineError {
  if (error instanceof PipelineError) return error;
  if (signal?.aborted || isAbortError(error)) return new CancelledError('cancelled', { cause: error });
  return toPipelineError(error);
}
