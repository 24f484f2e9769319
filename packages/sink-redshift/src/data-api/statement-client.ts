import { randomUUID } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  type DescribeStatementCommandOutput,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type ColumnMetadata,
} from '@aws-sdk/client-redshift-data';
import { CancelledError, WarehouseError, throwIfAborted, type PipelineError, type QueryResult, type QueryValue } from '@sparkify/core';
import { dataApiError, mayHaveReachedService, sqlExcerpt, type DataApiCallContext } from './data-api-errors.js';
import { decodeField } from './field-decoding.js';
import { DEFAULT_POLLING, pollDelays, systemPollClock, type PollClock, type PollingOptions } from './poll-clock.js';
import { describeTarget, targetFields, type RedshiftDataPort, type RedshiftTarget } from './redshift-data-port.js';
import { DEFAULT_RETRY, retrying, type RetryEvent, type RetryOptions } from './retry-policy.js';

export interface StatementClientOptions {
  port: RedshiftDataPort;
  target: RedshiftTarget;
  /** Shown in errors when the Data API is not AWS's. */
  endpoint?: string;
  clock?: PollClock;
  polling?: Partial<PollingOptions>;
  /** Idempotency tokens (ClientToken), one per logical statement. Default: random UUIDs. */
  newToken?: () => string;
  /** Retries of failed calls (throttling, 5xx, broken connections). Default DEFAULT_RETRY. */
  retry?: Partial<RetryOptions>;
  /** The jitter's random source, uniform in [0, 1). Default Math.random. */
  random?: () => number;
  /** Told before each retry (tests and figures). */
  onRetry?: (event: RetryEvent) => void;
}

export interface StatementRequest {
  sql: string;
  /** Shown in errors and sent as StatementName. */
  label?: string;
  signal?: AbortSignal;
  /** Runs in this Data API session (its open transaction, its pg_last_copy_count()). */
  sessionId?: string;
  /** Opens a session that outlives the statement by this many idle seconds. */
  keepAliveSeconds?: number;
}

export interface FinishedStatement {
  id: string;
  /** The session the statement ran in, when it was kept alive. */
  sessionId?: string;
  /** Rows affected or returned; -1 when the statement has no count (DDL). */
  resultRows: number;
  hasResultSet: boolean;
  /** Redshift's query id (stl_load_errors.query, sys_load_error_detail.query_id), when reported. */
  redshiftQueryId?: number;
}

/** The longest StatementName the Data API accepts. */
const MAX_STATEMENT_NAME = 500;

/** A cancelled statement is waited for this long to reach its final state (so its session is free again). */
const SETTLE_MS = 30_000;

/** What a database message is about, and what to do. */
const FAILURE_HINTS: readonly [RegExp, string][] = [
  [/current transaction is aborted/i, 'an earlier statement of this transaction failed; the transaction must be rolled back'],
  [/(relation|table) .* does not exist/i, 'check the table name; were the tables created (warehouse.create-tables)?'],
  [/column .* does not exist/i, 'check the column names against the table'],
  [/syntax error/i, 'fix the SQL (Redshift dialect)'],
  [/not supported/i, 'Redshift does not have this PostgreSQL feature (redshift-reference.md §2)'],
];

/**
 * Redshift's serializable isolation violation (error 1023; PostgreSQL's 40001): another
 * transaction wrote the same tables at the same time and Redshift cancelled this one
 * (redshift-reference.md §2).
 */
const SERIALIZATION_CONFLICT = /serializable isolation violation|^\s*(ERROR:\s*)?1023\b|could not serialize access/i;

/** `details.code` of a FAILED statement that lost a serialization conflict. */
export const SERIALIZATION_CONFLICT_CODE = 'SerializationConflict';

/** A statement that failed on a serialization conflict; run again whole, it may pass. */
function isSerializationConflict(error: PipelineError): boolean {
  return (error.details as { code?: unknown } | undefined)?.code === SERIALIZATION_CONFLICT_CODE && (error.details as { retryable?: unknown }).retryable === true;
}

/** A failed Data API call a later attempt may get past (throttling, 5xx, a broken connection): see dataApiError. */
function isRetryableCall(error: PipelineError): boolean {
  return error instanceof WarehouseError && (error.details as { retryable?: unknown } | undefined)?.retryable === true;
}

/**
 * Runs statements through the Data API: ExecuteStatement (or BatchExecuteStatement) with a
 * fresh ClientToken, then DescribeStatement polled with exponential backoff until the statement
 * ends or its deadline passes, then GetStatementResult page by page. An aborted signal cancels
 * the running statement (CancelStatement) and ends with CancelledError.
 *
 * Every call is retried on throttling, 5xx and broken connections (retry-policy.ts). A resent
 * ExecuteStatement or BatchExecuteStatement carries the same ClientToken, so a statement whose
 * first submission did reach the service is not run twice: the service answers with its Id.
 * Describe, GetStatementResult and Cancel are reads or idempotent, and resent as they are. A
 * statement that ran and FAILED is never resent, except one that ran on its own (no session)
 * and lost a serialization conflict: its transaction was rolled back whole, so it runs again
 * whole, as a new statement.
 */
export class StatementClient {
  private readonly port: RedshiftDataPort;
  private readonly clock: PollClock;
  private readonly polling: PollingOptions;
  private readonly newToken: () => string;
  private readonly retry: RetryOptions;
  private readonly random: () => number;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  readonly target: RedshiftTarget;
  readonly endpoint: string | undefined;

  constructor(options: StatementClientOptions) {
    this.port = options.port;
    this.target = options.target;
    this.endpoint = options.endpoint || undefined;
    this.clock = options.clock ?? systemPollClock;
    this.polling = { ...DEFAULT_POLLING, ...options.polling };
    this.newToken = options.newToken ?? randomUUID;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
  }

  async execute(request: StatementRequest): Promise<FinishedStatement> {
    // A statement in a session is part of a larger transaction that a conflict has rolled back: only the whole unit could run again.
    if (request.sessionId !== undefined || request.keepAliveSeconds !== undefined) return this.executeOnce(request);
    return this.rerunOnConflict(() => this.executeOnce(request), request.signal);
  }

  /** The statements as one transaction (BatchExecuteStatement): all commit or none. */
  async batch(sqls: readonly string[], options: { label?: string; signal?: AbortSignal } = {}): Promise<FinishedStatement> {
    return this.rerunOnConflict(() => this.batchOnce(sqls, options), options.signal);
  }

  private async executeOnce(request: StatementRequest): Promise<FinishedStatement> {
    throwIfAborted(request.signal);
    const command = new ExecuteStatementCommand({
      Sql: request.sql,
      ClientToken: this.newToken(),
      ...(request.sessionId ? { SessionId: request.sessionId } : targetFields(this.target)),
      ...(request.keepAliveSeconds ? { SessionKeepAliveSeconds: request.keepAliveSeconds } : {}),
      ...(request.label ? { StatementName: request.label.slice(0, MAX_STATEMENT_NAME) } : {}),
    });
    const started = await this.submit('ExecuteStatement', () => this.port.send(command), this.context('run a statement', request.sql), request.signal);
    const id = required(started.Id, 'ExecuteStatement answered without an Id');
    const finished = await this.wait(id, request.sql, request.label, request.signal, request.sessionId !== undefined || request.keepAliveSeconds !== undefined);
    return { ...finished, ...(started.SessionId ? { sessionId: started.SessionId } : {}) };
  }

  private async batchOnce(sqls: readonly string[], options: { label?: string; signal?: AbortSignal }): Promise<FinishedStatement> {
    const script = sqls.join(';\n');
    throwIfAborted(options.signal);
    const command = new BatchExecuteStatementCommand({
      Sqls: [...sqls],
      ClientToken: this.newToken(),
      ...targetFields(this.target),
      ...(options.label ? { StatementName: options.label.slice(0, MAX_STATEMENT_NAME) } : {}),
    });
    const started = await this.submit('BatchExecuteStatement', () => this.port.send(command), this.context('run a batch of statements', script), options.signal);
    const id = required(started.Id, 'BatchExecuteStatement answered without an Id');
    return this.wait(id, script, options.label, options.signal, false);
  }

  /**
   * Submits a statement: the same command, so the same ClientToken, on every attempt. The
   * request itself gets no abort signal: an aborted request may still have started the
   * statement, and without its Id it could not be cancelled; the abort is handled once the Id is
   * known. An abort during a backoff ends the submission at once; if an earlier attempt may have
   * reached the service (its connection broke, or it answered 5xx), the statement may be running
   * unseen, so one more submission with the same token learns its Id (or starts it) and it is
   * cancelled: no statement is left running in the run's session.
   */
  private async submit<T extends { Id?: string | undefined }>(
    operation: string,
    send: () => Promise<T>,
    context: DataApiCallContext,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    let uncertain = false;
    const attempt = () =>
      send().catch((error: unknown) => {
        uncertain ||= mayHaveReachedService(error);
        throw error;
      });
    try {
      return await this.call(operation, attempt, context, signal);
    } catch (error) {
      if (error instanceof CancelledError && uncertain) {
        const started = await this.call(operation, send, context, undefined).catch(() => undefined);
        if (started?.Id) await this.cancelQuietly(started.Id);
      }
      throw error;
    }
  }

  /** Runs a statement of its own again, with a new ClientToken, when it lost a serialization conflict. */
  private rerunOnConflict(run: () => Promise<FinishedStatement>, signal: AbortSignal | undefined): Promise<FinishedStatement> {
    return retrying(run, {
      clock: this.clock,
      random: this.random,
      options: this.retry,
      operation: 'statement',
      retryable: isSerializationConflict,
      ...(signal ? { signal } : {}),
      ...(this.onRetry ? { onRetry: this.onRetry } : {}),
    });
  }

  /**
   * One Data API call, its failures mapped to typed errors and the retryable ones tried again.
   * `signal` ends a backoff at once; whether the request itself gets it is up to `send`.
   */
  private call<T>(operation: string, send: () => Promise<T>, context: DataApiCallContext, signal: AbortSignal | undefined): Promise<T> {
    return retrying(
      () =>
        send().catch((error: unknown) => {
          throw dataApiError(error, context);
        }),
      {
        clock: this.clock,
        random: this.random,
        options: this.retry,
        operation,
        retryable: isRetryableCall,
        ...(signal ? { signal } : {}),
        ...(this.onRetry ? { onRetry: this.onRetry } : {}),
      },
    );
  }

  /** Every row of a finished statement's result, every page, decoded to QueryValues. */
  async result(id: string, sql: string, signal?: AbortSignal): Promise<QueryResult> {
    const context = { ...this.context('fetch the result of a statement', sql, signal), statementId: id };
    const options = signal ? { abortSignal: signal } : {};
    let columns: ColumnMetadata[] | undefined;
    const rows: Record<string, QueryValue>[] = [];
    let token: string | undefined;
    do {
      throwIfAborted(signal);
      const command = new GetStatementResultCommand({ Id: id, ...(token ? { NextToken: token } : {}) });
      const page = await this.call('GetStatementResult', () => this.port.send(command, options), context, signal);
      columns ??= page.ColumnMetadata ?? [];
      const names = columns.map((column, index) => column.name ?? column.label ?? `column${index + 1}`);
      for (const record of page.Records ?? []) {
        const row: Record<string, QueryValue> = {};
        record.forEach((field, index) => (row[names[index] ?? `column${index + 1}`] = decodeField(field, columns?.[index])));
        rows.push(row);
      }
      token = page.NextToken || undefined;
    } while (token);
    return { columns: (columns ?? []).map((column, index) => ({ name: column.name ?? `column${index + 1}`, type: column.typeName ?? 'unknown' })), rows };
  }

  /**
   * Polls until the statement ends: FINISHED returns, FAILED is a WarehouseError, ABORTED a
   * CancelledError. `inSession`: the statement is part of a session's transaction.
   */
  private async wait(id: string, sql: string, label: string | undefined, signal: AbortSignal | undefined, inSession: boolean): Promise<Omit<FinishedStatement, 'sessionId'>> {
    const deadline = this.clock.now() + this.polling.statementTimeoutMs;
    const delays = pollDelays(this.polling);
    const context: DataApiCallContext = { ...this.context('check on a statement', sql, signal), statementId: id };
    const command = new DescribeStatementCommand({ Id: id });
    const options = signal ? { abortSignal: signal } : {};
    for (;;) {
      if (signal?.aborted) return this.cancel(id, sql, signal);
      let description: DescribeStatementCommandOutput;
      try {
        description = await this.call('DescribeStatement', () => this.port.send(command, options), context, signal);
      } catch (error) {
        if (signal?.aborted) return this.cancel(id, sql, signal);
        throw error;
      }
      switch (description.Status) {
        case 'FINISHED':
          return finished(id, description);
        case 'FAILED':
          throw statementFailure(id, sql, label, description, inSession);
        case 'ABORTED':
          throw new CancelledError(`statement ${id} was cancelled (ABORTED) before it finished`, { location: { statementId: id, sql: sqlExcerpt(sql) } });
      }
      const left = deadline - this.clock.now();
      if (left <= 0) {
        await this.cancelQuietly(id);
        throw new WarehouseError(`statement ${id} did not finish within ${Math.round(this.polling.statementTimeoutMs / 1000)} s; it was cancelled`, {
          location: { statementId: id, sql: sqlExcerpt(sql) },
          hint: 'raise statementTimeoutSeconds, or look for what blocks it (locks held by another session, a busy queue)',
          details: { retryable: true, code: 'StatementTimeout' },
        });
      }
      try {
        await this.clock.sleep(Math.min(delays.next().value as number, left), signal);
      } catch {
        return this.cancel(id, sql, signal);
      }
    }
  }

  /** Cancels a statement for an aborted run, waits for it to stop, and reports the cancellation. */
  private async cancel(id: string, sql: string, signal: AbortSignal | undefined): Promise<never> {
    const status = await this.cancelQuietly(id);
    throw new CancelledError(
      status === 'FINISHED' ? `cancelled (statement ${id} had already finished)` : `cancelled: statement ${id} was cancelled while it ran`,
      { cause: signal?.reason, location: { statementId: id, sql: sqlExcerpt(sql) } },
    );
  }

  /**
   * CancelStatement, then DescribeStatement until the statement has stopped (its session is
   * busy until then). Both are retried like any call, without the (aborted) run's signal.
   * Failures are then ignored: a statement that already ended cannot be cancelled.
   */
  private async cancelQuietly(id: string): Promise<string | undefined> {
    const context: DataApiCallContext = { ...this.context('cancel a statement'), statementId: id };
    const cancel = new CancelStatementCommand({ Id: id });
    await this.call('CancelStatement', () => this.port.send(cancel), context, undefined).catch(() => undefined);
    const deadline = this.clock.now() + SETTLE_MS;
    const delays = pollDelays(this.polling);
    const describe = new DescribeStatementCommand({ Id: id });
    for (;;) {
      const description = await this.call('DescribeStatement', () => this.port.send(describe), context, undefined).catch(() => undefined);
      const status = description?.Status;
      if (status === undefined || status === 'FINISHED' || status === 'FAILED' || status === 'ABORTED') return status;
      if (this.clock.now() >= deadline) return status;
      await this.clock.sleep(delays.next().value as number).catch(() => undefined);
    }
  }

  private context(action: string, sql?: string, signal?: AbortSignal): DataApiCallContext {
    return {
      action,
      target: describeTarget(this.target),
      ...(sql === undefined ? {} : { sql }),
      ...(this.endpoint ? { endpoint: this.endpoint } : {}),
      ...(signal ? { signal } : {}),
    };
  }
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new WarehouseError(message);
  return value;
}

function finished(id: string, description: DescribeStatementCommandOutput): Omit<FinishedStatement, 'sessionId'> {
  return {
    id,
    resultRows: description.ResultRows ?? -1,
    hasResultSet: description.HasResultSet ?? false,
    ...(description.RedshiftQueryId ? { redshiftQueryId: description.RedshiftQueryId } : {}),
  };
}

/**
 * A FAILED statement (or batch: its failed sub-statement) as a WarehouseError with the
 * database's message. A serialization conflict says that another run holds the tables; it is
 * retryable only for a statement of its own (`inSession` false), whose rollback was whole.
 */
function statementFailure(id: string, sql: string, label: string | undefined, description: DescribeStatementCommandOutput, inSession: boolean): WarehouseError {
  const failedSub = description.SubStatements?.find((sub) => sub.Status === 'FAILED');
  const statementId = failedSub?.Id ?? id;
  const failedSql = failedSub?.QueryString ?? sql;
  const message = (failedSub?.Error ?? description.Error ?? 'the statement failed without a message').trim();
  const subject = label ? `"${label}"` : 'a statement';
  const position = failedSub?.Id ? ` (statement ${failedSub.Id.slice(failedSub.Id.lastIndexOf(':') + 1)} of ${description.SubStatements?.length})` : '';
  const location = { statementId, sql: sqlExcerpt(failedSql) };
  const queryId = description.RedshiftQueryId ? { redshiftQueryId: description.RedshiftQueryId } : {};
  if (SERIALIZATION_CONFLICT.test(message)) {
    return new WarehouseError(
      `another run holds the tables: Redshift cancelled ${subject}${position} because another transaction wrote the same tables at the same time (serializable isolation violation): ${message}`,
      {
        location,
        hint: inSession
          ? 'nothing of this run was committed (its transaction was rolled back). Let the other run (or session) finish, then run again; do not run two pipelines on one schema at once'
          : 'the statement was rolled back; let the other run (or session) finish, then run again',
        details: { statementId, retryable: !inSession, code: SERIALIZATION_CONFLICT_CODE, databaseError: message, ...queryId },
      },
    );
  }
  const [, hint] = FAILURE_HINTS.find(([pattern]) => pattern.test(message)) ?? [];
  return new WarehouseError(`Redshift refused ${subject}${position}: ${message}`, {
    location,
    ...(hint ? { hint } : {}),
    details: { statementId, retryable: false, databaseError: message, ...queryId },
  });
}
