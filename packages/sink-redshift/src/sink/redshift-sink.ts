import {
  CancelledError,
  InputDataError,
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
  type SourceDescription,
  type StatementOptions,
} from '@sparkify/core';
import type { PollClock, PollingOptions } from '../data-api/poll-clock.js';
import { describeTarget, type RedshiftDataPort, type RedshiftTarget } from '../data-api/redshift-data-port.js';
import type { RetryEvent, RetryOptions } from '../data-api/retry-policy.js';
import { StatementClient, type FinishedStatement } from '../data-api/statement-client.js';
import { redshiftDialect } from '../dialect/redshift-dialect.js';
import { DEFAULT_SESSION_KEEP_ALIVE_SECONDS } from './session-defaults.js';
import { renderCopyCommand } from '../load/copy-command.js';
import { insertStatements, MAX_INSERT_BYTES } from '../load/insert-statements.js';
import { describeLoadError, loadErrorsSql, toLoadErrors, type LoadErrors } from '../load/load-errors.js';

export interface RedshiftSinkOptions {
  /** The Data API (the SDK client, or the emulator's in-process engine), or a factory called at first use. */
  port: RedshiftDataPort | (() => RedshiftDataPort);
  target: RedshiftTarget;
  /** The role Redshift assumes for COPY from S3 (IAM_ROLE). */
  iamRole?: string;
  /** The Data API endpoint, when not AWS (shown in errors). */
  endpoint?: string;
  /**
   * How long a unit of work's Data API session stays open between two statements. If the process
   * dies, the session closes after this long and Redshift rolls its transaction back. Default 600.
   */
  sessionKeepAliveSeconds?: number;
  /** Time for polling and retry backoffs; tests pass one that never waits on real time. */
  clock?: PollClock;
  polling?: Partial<PollingOptions>;
  /** Retries of failed Data API calls (throttling, 5xx, broken connections). Default DEFAULT_RETRY. */
  retry?: Partial<RetryOptions>;
  /** The backoff jitter's random source, uniform in [0, 1). Default Math.random. */
  random?: () => number;
  /** Told before each retry. */
  onRetry?: (event: RetryEvent) => void;
  /** Largest INSERT of a client-side load, in bytes of SQL. Default MAX_INSERT_BYTES. */
  maxInsertBytes?: number;
  /** Where the sink was configured (`resources.warehouse.with`), for ConfigErrors. */
  configPath?: string;
  /** ClientTokens; random UUIDs by default. */
  newToken?: () => string;
  /** Called once at close, after the unit of work is rolled back (releases a client the sink owns). */
  onClose?: () => void;
}

/** The run's transaction: a Data API session that holds it open, and what went wrong in it. */
interface UnitOfWork {
  sessionId: string;
  failure?: PipelineError;
  /** The transaction already ended on the server (rolled back after a failure). */
  ended?: boolean;
}

/** Where the statements of one piece of work run: the unit of work's session, or a transaction of the work's own. */
interface Transaction {
  run(sql: string, label?: string): Promise<FinishedStatement>;
  query(sql: string, label?: string): Promise<QueryResult>;
  readonly inUnitOfWork: boolean;
}

/** The Data API runs at most 40 statements in one BatchExecuteStatement. */
const MAX_BATCH_STATEMENTS = 40;

/**
 * Amazon Redshift through the Data API. A unit of work (`begin` … `commit`) is one Data API
 * session holding one transaction: every statement of the run passes its SessionId, so all of
 * it, COPYs and DDL included, commits or rolls back together. Outside a unit of work, statements
 * run on their own and `transaction` is one BatchExecuteStatement.
 *
 * Loads from S3 are server-side COPYs rendered from the source's description; any other source
 * is streamed through INSERT statements.
 */
export class RedshiftSink implements Sink {
  readonly dialect: Dialect = redshiftDialect;
  private readonly options: RedshiftSinkOptions;
  private client: StatementClient | undefined;
  private unit: UnitOfWork | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: RedshiftSinkOptions) {
    this.options = options;
  }

  get target(): RedshiftTarget {
    return this.options.target;
  }

  async healthCheck(options: StatementOptions = {}): Promise<void> {
    await this.exclusive(options, async () => {
      await this.statements().execute({ sql: 'SELECT 1', ...this.inSession(), ...signalOf(options) });
    });
  }

  async execute(sql: string, options: StatementOptions = {}): Promise<{ rowsAffected?: number }> {
    return this.exclusive(options, async () => {
      const done = await this.guarded(() => this.statements().execute({ sql, ...this.inSession(), ...labelled(options) }));
      return done.hasResultSet || done.resultRows < 0 ? {} : { rowsAffected: done.resultRows };
    });
  }

  async query(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    return this.exclusive(options, () =>
      this.guarded(async () => {
        const done = await this.statements().execute({ sql, ...this.inSession(), ...labelled(options) });
        return done.hasResultSet ? this.statements().result(done.id, sql, options.signal) : { columns: [], rows: [] };
      }),
    );
  }

  async transaction(statements: string[], options: StatementOptions = {}): Promise<void> {
    await this.exclusive(options, async () => {
      if (statements.length === 0) return;
      if (!this.unit && statements.length <= MAX_BATCH_STATEMENTS) {
        await this.statements().batch(statements, labelled(options));
        return;
      }
      await this.atomically(options, async (tx) => {
        for (const [index, sql] of statements.entries()) {
          await tx.run(sql, options.label ? `${options.label} (${index + 1} of ${statements.length})` : undefined);
        }
      });
    });
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    const options = signalOf(request);
    return this.exclusive(options, async () => {
      const description = await request.source.describe(options);
      if (description.scheme === 's3') return this.copyLoad(request, description);
      return this.atomically(options, (tx) => this.insertLoad(request, tx)).catch((error: unknown) => {
        throw loadError(error, request.signal);
      });
    });
  }

  async planLoad(request: LoadRequest): Promise<string[]> {
    const description = await request.source.describe(signalOf(request));
    if (description.scheme === 's3') return [renderCopyCommand(request.table, description, request.maxErrors, this.copySettings()).sql];
    return [
      `-- client-side load: rows streamed from ${description.location} into ${this.dialect.quoteIdentifier(request.table.name)} ` +
        `as INSERT statements of up to ${this.options.maxInsertBytes ?? MAX_INSERT_BYTES} bytes, up to ${request.maxErrors} rejected records skipped`,
    ];
  }

  async begin(options: StatementOptions = {}): Promise<void> {
    await this.exclusive(options, async () => {
      if (this.unit) throw new PipelineError('internal', 'begin: a unit of work is already open on this Redshift sink');
      this.unit = { sessionId: await this.openSession(options) };
    });
  }

  async commit(options: StatementOptions = {}): Promise<void> {
    await this.exclusive({}, async () => {
      const unit = this.unit;
      if (!unit) throw new PipelineError('internal', 'commit: no unit of work is open on this Redshift sink');
      this.unit = undefined;
      if (unit.failure) {
        await this.endQuietly(unit);
        throw new WarehouseError(`not committed: the unit of work was rolled back because a statement in it failed: ${unit.failure.message}`, {
          cause: unit.failure,
          location: unit.failure.location,
        });
      }
      // No signal: a commit that has started is let finish.
      await this.statements().execute({ sql: 'COMMIT', sessionId: unit.sessionId, ...(options.label ? { label: options.label } : {}) });
    });
  }

  /** Rolls the unit of work back; does nothing when none is open, so cleanup paths may always call it. */
  async rollback(): Promise<void> {
    await this.exclusive({}, async () => {
      const unit = this.unit;
      this.unit = undefined;
      if (unit) await this.end(unit);
    });
  }

  /** Rolls back an open unit of work (its session would time out and do the same). A second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive({}, async () => {
      const unit = this.unit;
      this.unit = undefined;
      if (unit) await this.endQuietly(unit);
    });
    this.closed = true;
    this.options.onClose?.();
  }

  // -------------------------------------------------------------------------------------------
  // Loads.

  private copySettings() {
    return {
      ...(this.options.iamRole ? { iamRole: this.options.iamRole } : {}),
      ...(this.options.configPath ? { configPath: this.options.configPath } : {}),
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    };
  }

  /**
   * COPY, then pg_last_copy_count() in the same session for the rows loaded, then the COPY's
   * load errors for the rows rejected: rows read = loaded + rejected. A COPY that fails on its
   * data is reported with its load errors (file, line, column, value, reason).
   */
  private async copyLoad(request: LoadRequest, description: SourceDescription): Promise<LoadResult> {
    const { table, signal } = request;
    const copy = renderCopyCommand(table, description, request.maxErrors, this.copySettings());
    const label = `load ${table.name}`;
    let queryId: number | undefined;
    let rowsLoaded: number;
    try {
      rowsLoaded = await this.atomically(signalOf(request), async (tx) => {
        const done = await tx.run(copy.sql, label);
        queryId = done.redshiftQueryId;
        const count = await tx.query('SELECT pg_last_copy_count() AS n', `${label}: rows loaded`);
        return Number(count.rows[0]?.['n'] ?? done.resultRows);
      });
    } catch (error) {
      throw await this.copyFailure(error, request, description);
    }
    const errors = queryId === undefined ? { total: 0, records: [] } : await this.loadErrors(queryId, signal);
    request.onProgress?.({
      objectsDone: description.objects.length,
      objectsTotal: description.objects.length,
      bytesDone: description.objects.reduce((sum, o) => sum + o.size, 0),
      bytesTotal: description.objects.reduce((sum, o) => sum + o.size, 0),
      rowsRead: rowsLoaded + errors.total,
      rowsRejected: errors.total,
    });
    return {
      table: table.name,
      rowsRead: rowsLoaded + errors.total,
      rowsLoaded,
      rowsRejected: errors.total,
      rejected: errors.records,
      path: 'server',
      warnings: copy.warnings,
    };
  }

  /** The load errors of one COPY, read in the unit of work's session when one is open (elsewhere it would wait for it). */
  private async loadErrors(queryId: number, signal: AbortSignal | undefined): Promise<LoadErrors> {
    const table = this.target.kind === 'serverless' ? 'sys_load_error_detail' : 'stl_load_errors';
    const sql = loadErrorsSql(queryId, table);
    const session = this.unit && !this.unit.ended ? { sessionId: this.unit.sessionId } : {};
    const done = await this.statements().execute({ sql, ...session, label: 'read load errors', ...(signal ? { signal } : {}) });
    return toLoadErrors(await this.statements().result(done.id, sql, signal));
  }

  /** A failed COPY: its load errors when it failed on data, else the database's own error. */
  private async copyFailure(error: unknown, request: LoadRequest, description: SourceDescription): Promise<PipelineError> {
    const failure = loadError(error, request.signal);
    const details = failure.details as { redshiftQueryId?: unknown; databaseError?: unknown } | undefined;
    if (!(failure instanceof WarehouseError) || typeof details?.redshiftQueryId !== 'number') return failure;
    // The COPY's transaction is dead: end it now, so its load errors can be read (and the
    // emulator, whose one connection the transaction holds, can answer).
    if (this.unit) await this.endQuietly(this.unit);
    const errors = await this.loadErrors(details.redshiftQueryId, undefined).catch(() => undefined);
    if (!errors || errors.total === 0) return failure;
    const first = errors.records[0]!;
    return new InputDataError(
      `COPY into ${request.table.name} failed: ${errors.total} bad record(s), more than maxErrors (${request.maxErrors}) allows; first: ${describeLoadError(first)}`,
      {
        cause: failure,
        location: { file: first.file, line: first.line, ...(first.column ? { field: first.column } : {}), ...failure.location },
        hint: `nothing was loaded. Fix the input under ${description.location}, or raise maxErrors to skip up to that many bad records (Redshift MAXERROR). The load errors are listed in the error details.`,
        details: { rejected: errors.records, rejectedCount: errors.total, maxErrors: request.maxErrors, databaseError: details.databaseError },
      },
    );
  }

  /** The client-side path: the source's rows as INSERT statements in the load's transaction. */
  private async insertLoad(request: LoadRequest, tx: Transaction): Promise<LoadResult> {
    const { table, signal } = request;
    let rowsLoaded = 0;
    let rowsRejected = 0;
    const rejected: LoadResult['rejected'] = [];
    const batches = request.source.read({
      columns: table.columns,
      maxErrors: request.maxErrors,
      ...(signal ? { signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    for await (const batch of batches) {
      throwIfAborted(signal);
      for (const statement of insertStatements(table, batch.rows, this.options.maxInsertBytes)) {
        const done = await tx.run(statement.sql, `load ${table.name}`);
        rowsLoaded += done.resultRows >= 0 ? done.resultRows : statement.rows;
      }
      rowsRejected += batch.rejected.length;
      for (const record of batch.rejected) if (rejected.length < 100) rejected.push(record);
    }
    throwIfAborted(signal);
    return { table: table.name, rowsRead: rowsLoaded + rowsRejected, rowsLoaded, rowsRejected, rejected, path: 'client', warnings: [] };
  }

  // -------------------------------------------------------------------------------------------
  // Sessions and transactions.

  private statements(): StatementClient {
    if (!this.client) {
      const port = typeof this.options.port === 'function' ? this.options.port() : this.options.port;
      this.client = new StatementClient({
        port,
        target: this.options.target,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        ...(this.options.polling ? { polling: this.options.polling } : {}),
        ...(this.options.newToken ? { newToken: this.options.newToken } : {}),
        ...(this.options.retry ? { retry: this.options.retry } : {}),
        ...(this.options.random ? { random: this.options.random } : {}),
        ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
      });
    }
    return this.client;
  }

  /** A statement's placement: the unit of work's session when one is open. */
  private inSession(): { sessionId?: string } {
    return this.unit ? { sessionId: this.unit.sessionId } : {};
  }

  /** `BEGIN` in a new kept-alive session; the session id every later statement of the transaction passes. */
  private async openSession(options: StatementOptions): Promise<string> {
    const keepAliveSeconds = this.options.sessionKeepAliveSeconds ?? DEFAULT_SESSION_KEEP_ALIVE_SECONDS;
    const done = await this.statements().execute({ sql: 'BEGIN', keepAliveSeconds, label: options.label ?? 'begin', ...signalOf(options) });
    if (!done.sessionId) {
      throw new WarehouseError(`the Data API opened no session for BEGIN on ${describeTarget(this.target)}: a transaction cannot span statements`, {
        hint: 'the Data API endpoint does not support SessionKeepAliveSeconds; use one that does',
      });
    }
    return done.sessionId;
  }

  /**
   * Work as one transaction: in the unit of work's session when one is open (a failure marks the
   * unit failed), else in a session of its own between BEGIN and COMMIT (ROLLBACK on failure).
   */
  private async atomically<T>(options: StatementOptions, work: (tx: Transaction) => Promise<T>): Promise<T> {
    const unit = this.unit;
    if (unit) return this.guarded(() => work(this.sessionTransaction(unit.sessionId, options.signal, true)));
    const own: UnitOfWork = { sessionId: await this.openSession(options) };
    let result: T;
    try {
      result = await work(this.sessionTransaction(own.sessionId, options.signal, false));
    } catch (error) {
      await this.endQuietly(own);
      throw error;
    }
    await this.statements().execute({ sql: 'COMMIT', sessionId: own.sessionId });
    return result;
  }

  private sessionTransaction(sessionId: string, signal: AbortSignal | undefined, inUnitOfWork: boolean): Transaction {
    const statements = this.statements();
    const base = { sessionId, ...(signal ? { signal } : {}) };
    return {
      inUnitOfWork,
      run: (sql, label) => statements.execute({ sql, ...base, ...(label ? { label } : {}) }),
      query: async (sql, label) => {
        const done = await statements.execute({ sql, ...base, ...(label ? { label } : {}) });
        return done.hasResultSet ? statements.result(done.id, sql, signal) : { columns: [], rows: [] };
      },
    };
  }

  /** Inside a unit of work: refused once it has failed, and a failure marks it failed. */
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    const unit = this.unit;
    if (!unit) return work();
    if (unit.failure) {
      throw new WarehouseError(`refused: an earlier statement in this unit of work failed (${unit.failure.message}); roll it back`, { cause: unit.failure });
    }
    try {
      return await work();
    } catch (error) {
      unit.failure = toPipelineError(error);
      throw error;
    }
  }

  /** ROLLBACK in the unit's session, once. */
  private async end(unit: UnitOfWork): Promise<void> {
    if (unit.ended) return;
    unit.ended = true;
    await this.statements().execute({ sql: 'ROLLBACK', sessionId: unit.sessionId, label: 'rollback' });
  }

  /** ROLLBACK where a failure is already being reported; its own failure would only hide that one (the session's timeout rolls back anyway). */
  private async endQuietly(unit: UnitOfWork): Promise<void> {
    await this.end(unit).catch(() => undefined);
  }

  /** One turn on the sink after the work queued before it (a session runs one statement at a time); refused once closed or cancelled. */
  private exclusive<T>(options: StatementOptions, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PipelineError('internal', `the Redshift sink for ${describeTarget(this.target)} is closed`));
    const run = this.tail.then(() => {
      throwIfAborted(options.signal);
      return work();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function signalOf(options: { signal?: AbortSignal | undefined }): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function labelled(options: StatementOptions): { signal?: AbortSignal; label?: string } {
  return { ...signalOf(options), ...(options.label ? { label: options.label } : {}) };
}

/** A load's failure: the source's own PipelineErrors pass through, an abort is a cancellation. */
function loadError(error: unknown, signal: AbortSignal | undefined): PipelineError {
  if (error instanceof PipelineError) return error;
  if (signal?.aborted || isAbortError(error)) return new CancelledError('cancelled', { cause: error });
  return toPipelineError(error);
}
