import type { PGlite } from '@electric-sql/pglite';
import { StatementFailure, toStatementFailure } from '../sql/statement-failure.js';
import type { Clock } from './clock.js';
import type { Database } from './database.js';
import type { FaultInjector } from './fault-injector.js';
import type { Session } from './session.js';
import { StatementCancelled, type RunContext, type StatementOutcome, type StatementRunner } from './statement-runner.js';
import type { RequestRecord, StatementRecord } from './statement-record.js';

export type ExecutionMode = 'TRANSACTION' | 'AUTO_COMMIT';

/** One ExecuteStatement or BatchExecuteStatement, ready to run on its database. */
export interface PendingRequest {
  record: RequestRecord;
  session: Session;
  database: Database;
  /** The statements with their parameters bound. */
  sqls: readonly string[];
  mode: ExecutionMode;
}

/**
 * Runs requests on their database's connection and moves their status: SUBMITTED (queued) →
 * PICKED (taken from the queue; injected latency is spent here) → STARTED → FINISHED, FAILED or
 * ABORTED. A cancelled statement's work is rolled back, with the session's open transaction.
 */
export class RequestRunner {
  constructor(
    private readonly runner: StatementRunner,
    private readonly clock: Clock,
    private readonly faults: FaultInjector,
    private readonly afterRequest: (request: PendingRequest, db: PGlite) => Promise<void>,
  ) {}

  async run(request: PendingRequest, db: PGlite): Promise<void> {
    const { record } = request;
    const context: RunContext = {
      db,
      database: request.database,
      session: request.session,
      signal: record.abort.signal,
      queryId: 0,
      now: () => this.clock.now(),
    };
    try {
      this.status(record, 'PICKED');
      await this.delay(record);
      this.status(record, 'STARTED');
      if (record.isBatch) await this.runBatch(request, context);
      else await this.runSingle(request, context);
      this.status(record, 'FINISHED');
    } catch (error) {
      if (error instanceof StatementCancelled || record.abort.signal.aborted) {
        await this.runner.rollback(context).catch(() => undefined);
        this.status(record, 'ABORTED');
      } else {
        record.error = toStatementFailure(error).dataApiError;
        this.status(record, 'FAILED');
      }
    } finally {
      await this.afterRequest(request, db);
    }
  }

  /** The database could not be opened: the request fails without running. */
  fail(request: PendingRequest, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    request.record.error = `ERROR: could not connect to database "${request.database.name}": ${message}`;
    for (const sub of request.record.subStatements) this.status(sub, 'ABORTED');
    this.status(request.record, 'FAILED');
  }

  private async delay(record: RequestRecord): Promise<void> {
    const latency = this.faults.latencyMs;
    if (latency > 0) {
      await this.clock.sleep(latency, record.abort.signal).catch(() => undefined);
    }
    if (record.abort.signal.aborted) throw new StatementCancelled();
  }

  private async runSingle(request: PendingRequest, context: RunContext): Promise<void> {
    const { record } = request;
    context.queryId = request.database.allocateQueryId();
    record.redshiftQueryId = context.queryId;
    apply(record, await this.runOne(context, request.sqls[0] ?? ''));
  }

  private async runBatch(request: PendingRequest, context: RunContext): Promise<void> {
    const { record, session } = request;
    if (request.mode === 'TRANSACTION' && session.transaction === 'aborted') {
      throw new StatementFailure('current transaction is aborted, commands ignored until end of transaction block', { code: '25P02' });
    }
    // A batch is one transaction (unless AUTO_COMMIT): all commit or all roll back.
    const began = request.mode === 'TRANSACTION' && session.transaction === 'none';
    if (began) await this.runner.begin(context);
    let firstFailure: unknown;
    for (const [index, sub] of record.subStatements.entries()) {
      context.queryId = request.database.allocateQueryId();
      sub.redshiftQueryId = context.queryId;
      this.status(sub, 'STARTED');
      try {
        apply(sub, await this.runOne(context, request.sqls[index] ?? ''));
        this.status(sub, 'FINISHED');
      } catch (error) {
        if (error instanceof StatementCancelled || context.signal.aborted) {
          this.abortRest(record.subStatements, index);
          throw error;
        }
        sub.error = toStatementFailure(error).dataApiError;
        this.status(sub, 'FAILED');
        firstFailure ??= error;
        if (request.mode === 'TRANSACTION') {
          this.abortRest(record.subStatements, index + 1);
          if (began) await this.runner.rollback(context);
          throw error;
        }
      }
    }
    if (began && session.transaction !== 'none') await this.runner.commit(context);
    if (firstFailure !== undefined) throw firstFailure;
  }

  private async runOne(context: RunContext, sql: string): Promise<StatementOutcome> {
    const injected = this.faults.statementFailure(sql);
    if (injected !== undefined) {
      if (context.session.transaction === 'open') context.session.transaction = 'aborted';
      throw new StatementFailure(injected, { code: 'XX000' });
    }
    return this.runner.run(context, sql);
  }

  private abortRest(subs: readonly StatementRecord[], from: number): void {
    for (const sub of subs.slice(from)) this.status(sub, 'ABORTED');
  }

  private status(record: StatementRecord, status: StatementRecord['status']): void {
    record.setStatus(status, this.clock.now(), this.clock.monotonicNs());
  }
}

function apply(record: StatementRecord, outcome: StatementOutcome): void {
  record.result = outcome.result;
  record.resultRows = outcome.rows;
}
