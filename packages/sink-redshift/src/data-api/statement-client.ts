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
import { CancelledError, WarehouseError, throwIfAborted, type QueryResult, type QueryValue } from '@sparkify/core';
import { dataApiError, sqlExcerpt, type DataApiCallContext } from './data-api-errors.js';
import { decodeField } from './field-decoding.js';
import { DEFAULT_POLLING, pollDelays, systemPollClock, type PollClock, type PollingOptions } from './poll-clock.js';
import { describeTarget, targetFields, type RedshiftDataPort, type RedshiftTarget } from './redshift-data-port.js';

export interface StatementClientOptions {
  port: RedshiftDataPort;
  target: RedshiftTarget;
  /** Shown in errors when the Data API is not AWS's. */
  endpoint?: string;
  clock?: PollClock;
  polling?: Partial<PollingOptions>;
  /** Idempotency tokens (ClientToken), one per logical statement. Default: random UUIDs. */
  newToken?: () => string;
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
const FAILURE_HINTS: readonly [RegExp, string, boolean][] = [
  [/serializable isolation violation/i, 'another transaction changed the same tables at the same time; run again', true],
  [/current transaction is aborted/i, 'an earlier statement of this transaction failed; the transaction must be rolled back', false],
  [/(relation|table) .* does not exist/i, 'check the table name; were the tables created (warehouse.create-tables)?', false],
  [/column .* does not exist/i, 'check the column names against the table', false],
  [/syntax error/i, 'fix the SQL (Redshift dialect)', false],
  [/not supported/i, 'Redshift does not have this PostgreSQL feature (redshift-reference.md §2)', false],
];

/**
 * Runs statements through the Data API: ExecuteStatement (or BatchExecuteStatement) with a
 * fresh ClientToken, then DescribeStatement polled with exponential backoff until the statement
 * ends or its deadline passes, then GetStatementResult page by page. An aborted signal cancels
 * the running statement (CancelStatement) and ends with CancelledError.
 */
export class StatementClient {
  private readonly port: RedshiftDataPort;
  private readonly clock: PollClock;
  private readonly polling: PollingOptions;
  private readonly newToken: () => string;
  readonly target: RedshiftTarget;
  readonly endpoint: string | undefined;

  constructor(options: StatementClientOptions) {
    this.port = options.port;
    this.target = options.target;
    this.endpoint = options.endpoint || undefined;
    this.clock = options.clock ?? systemPollClock;
    this.polling = { ...DEFAULT_POLLING, ...options.polling };
    this.newToken = options.newToken ?? randomUUID;
  }

  async execute(request: StatementRequest): Promise<FinishedStatement> {
    const context = this.context('run a statement', request.sql, request.signal);
    throwIfAborted(request.signal);
    const command = new ExecuteStatementCommand({
      Sql: request.sql,
      ClientToken: this.newToken(),
      ...(request.sessionId ? { SessionId: request.sessionId } : targetFields(this.target)),
      ...(request.keepAliveSeconds ? { SessionKeepAliveSeconds: request.keepAliveSeconds } : {}),
      ...(request.label ? { StatementName: request.label.slice(0, MAX_STATEMENT_NAME) } : {}),
    });
    // No abort signal on the submission itself: an aborted request may still have started the
    // statement, and without its id it could not be cancelled. The abort is handled once the id is known.
    const started = await this.port.send(command).catch((error: unknown) => {
      throw dataApiError(error, { ...context, signal: undefined });
    });
    const id = required(started.Id, 'ExecuteStatement answered without an Id');
    const finished = await this.wait(id, request.sql, request.label, request.signal);
    return { ...finished, ...(started.SessionId ? { sessionId: started.SessionId } : {}) };
  }

  /** The statements as one transaction (BatchExecuteStatement): all commit or none. */
  async batch(sqls: readonly string[], options: { label?: string; signal?: AbortSignal } = {}): Promise<FinishedStatement> {
    const script = sqls.join(';\n');
    const context = this.context('run a batch of statements', script, options.signal);
    throwIfAborted(options.signal);
    const command = new BatchExecuteStatementCommand({
      Sqls: [...sqls],
      ClientToken: this.newToken(),
      ...targetFields(this.target),
      ...(options.label ? { StatementName: options.label.slice(0, MAX_STATEMENT_NAME) } : {}),
    });
    const started = await this.port.send(command).catch((error: unknown) => {
      throw dataApiError(error, { ...context, signal: undefined });
    });
    const id = required(started.Id, 'BatchExecuteStatement answered without an Id');
    return this.wait(id, script, options.label, options.signal);
  }

  /** Every row of a finished statement's result, every page, decoded to QueryValues. */
  async result(id: string, sql: string, signal?: AbortSignal): Promise<QueryResult> {
    const context = { ...this.context('fetch the result of a statement', sql, signal), statementId: id };
    let columns: ColumnMetadata[] | undefined;
    const rows: Record<string, QueryValue>[] = [];
    let token: string | undefined;
    do {
      throwIfAborted(signal);
      const page = await this.port
        .send(new GetStatementResultCommand({ Id: id, ...(token ? { NextToken: token } : {}) }), signal ? { abortSignal: signal } : {})
        .catch((error: unknown) => {
          throw dataApiError(error, context);
        });
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

  /** Polls until the statement ends: FINISHED returns, FAILED is a WarehouseError, ABORTED a CancelledError. */
  private async wait(id: string, sql: string, label: string | undefined, signal: AbortSignal | undefined): Promise<Omit<FinishedStatement, 'sessionId'>> {
    const deadline = this.clock.now() + this.polling.statementTimeoutMs;
    const delays = pollDelays(this.polling);
    const context: DataApiCallContext = { ...this.context('check on a statement', sql, signal), statementId: id };
    for (;;) {
      if (signal?.aborted) return this.cancel(id, sql, signal);
      let description: DescribeStatementCommandOutput;
      try {
        description = await this.port.send(new DescribeStatementCommand({ Id: id }), signal ? { abortSignal: signal } : {});
      } catch (error) {
        if (signal?.aborted) return this.cancel(id, sql, signal);
        throw dataApiError(error, context);
      }
      switch (description.Status) {
        case 'FINISHED':
          return finished(id, description);
        case 'FAILED':
          throw statementFailure(id, sql, label, description);
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
   * busy until then). Failures are ignored: a statement that already ended cannot be cancelled.
   */
  private async cancelQuietly(id: string): Promise<string | undefined> {
    await this.port.send(new CancelStatementCommand({ Id: id })).catch(() => undefined);
    const deadline = this.clock.now() + SETTLE_MS;
    const delays = pollDelays(this.polling);
    for (;;) {
      const description = await this.port.send(new DescribeStatementCommand({ Id: id })).catch(() => undefined);
      const status = description?.Status;
      if (status === undefined || status === 'FINISHED' || status === 'FAILED' || status === 'ABORTED') return status;
      if (this.clock.now() >= deadline) return status;
      await this.clock.sleep(delays.next().value as number).catch(() => undefined);
    }
  }

  private context(action: string, sql: string, signal: AbortSignal | undefined): DataApiCallContext {
    return {
      action,
      target: describeTarget(this.target),
      sql,
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

/** A FAILED statement (or batch: its failed sub-statement) as a WarehouseError with the database's message. */
function statementFailure(id: string, sql: string, label: string | undefined, description: DescribeStatementCommandOutput): WarehouseError {
  const failedSub = description.SubStatements?.find((sub) => sub.Status === 'FAILED');
  const statementId = failedSub?.Id ?? id;
  const failedSql = failedSub?.QueryString ?? sql;
  const message = (failedSub?.Error ?? description.Error ?? 'the statement failed without a message').trim();
  const [, hint, retryable] = FAILURE_HINTS.find(([pattern]) => pattern.test(message)) ?? [];
  const subject = label ? `"${label}"` : 'a statement';
  const position = failedSub?.Id ? ` (statement ${failedSub.Id.slice(failedSub.Id.lastIndexOf(':') + 1)} of ${description.SubStatements?.length})` : '';
  return new WarehouseError(`Redshift refused ${subject}${position}: ${message}`, {
    location: { statementId, sql: sqlExcerpt(failedSql) },
    ...(hint ? { hint } : {}),
    details: {
      statementId,
      retryable: retryable ?? false,
      databaseError: message,
      ...(description.RedshiftQueryId ? { redshiftQueryId: description.RedshiftQueryId } : {}),
    },
  });
}
