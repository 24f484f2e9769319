import type { PGlite } from '@electric-sql/pglite';
import { LoadFailure, type CopyLoader } from '../copy/copy-loader.js';
import type { CopyCommand } from '../copy/copy-command-parser.js';
import { prepareStatement, type PreparedStatement, type StatementEffects, type TransactionAction } from '../sql/statement-preparer.js';
import { StatementFailure, toStatementFailure } from '../sql/statement-failure.js';
import type { Database } from './database.js';
import { RAW_TEXT_PARSERS, toResultSet, type ResultSet } from './result-set.js';
import type { Session, TransactionState } from './session.js';

/** Everything one statement runs with. */
export interface RunContext {
  db: PGlite;
  database: Database;
  session: Session;
  /** Aborted by CancelStatement. */
  signal: AbortSignal;
  queryId: number;
  now: () => number;
}

export interface StatementOutcome {
  result?: ResultSet;
  /** Rows returned or affected; -1 when there is no count. */
  rows: number;
}

/** The statement was cancelled (CancelStatement) while it ran. */
export class StatementCancelled extends Error {
  constructor() {
    super('Query cancelled on user\'s request');
    this.name = 'StatementCancelled';
  }
}

const COUNTED_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Runs one Redshift statement in a session, with Redshift's transaction rules: outside a
 * transaction each statement is its own transaction; inside one (BEGIN, or a batch), an error
 * aborts the transaction until ROLLBACK/END; TRUNCATE commits the open transaction; COPY runs in
 * the current transaction.
 */
export class StatementRunner {
  constructor(private readonly copyLoader: CopyLoader) {}

  async run(context: RunContext, sql: string): Promise<StatementOutcome> {
    let prepared: PreparedStatement;
    try {
      prepared = prepareStatement(sql);
    } catch (error) {
      this.failInTransaction(context);
      throw toStatementFailure(error);
    }
    switch (prepared.kind) {
      case 'transaction':
        return this.transaction(context, prepared.action);
      case 'noop':
        if (prepared.refusedInTransaction && context.session.transaction !== 'none') {
          this.failInTransaction(context);
          throw new StatementFailure(`${prepared.command} cannot run inside a transaction block`, { code: '25001' });
        }
        return { rows: -1 };
      default:
        return this.inTransaction(context, prepared);
    }
  }

  /** Opens a transaction for the session (a batch runs in one). */
  async begin(context: RunContext): Promise<void> {
    await context.db.query('BEGIN');
    setTransaction(context, 'open');
  }

  async commit(context: RunContext): Promise<void> {
    const aborted = context.session.transaction === 'aborted';
    await context.db.query(aborted ? 'ROLLBACK' : 'COMMIT');
    if (aborted) context.database.loadErrors.rolledBack();
    else context.database.loadErrors.committed();
    setTransaction(context, 'none');
  }

  async rollback(context: RunContext): Promise<void> {
    if (context.session.transaction === 'none') return;
    await context.db.query('ROLLBACK');
    context.database.loadErrors.rolledBack();
    setTransaction(context, 'none');
  }

  private async transaction(context: RunContext, action: TransactionAction): Promise<StatementOutcome> {
    const state = context.session.transaction;
    if (action === 'begin') {
      // Postgres and Redshift only warn about a BEGIN inside a transaction.
      if (state === 'none') await this.begin(context);
    } else if (action === 'commit') {
      if (state !== 'none') await this.commit(context);
    } else {
      await this.rollback(context);
    }
    return { rows: -1 };
  }

  private async inTransaction(context: RunContext, prepared: Exclude<PreparedStatement, { kind: 'transaction' | 'noop' }>): Promise<StatementOutcome> {
    const session = context.session;
    if (session.transaction === 'aborted') {
      throw new StatementFailure('current transaction is aborted, commands ignored until end of transaction block', { code: '25P02' });
    }
    const implicit = session.transaction === 'none';
    if (implicit) await this.begin(context);
    try {
      const outcome = prepared.kind === 'copy' ? await this.copy(context, prepared.command) : await this.sql(context, prepared.sql, prepared.effects);
      if (context.signal.aborted) throw new StatementCancelled();
      if (prepared.kind === 'sql' && prepared.effects.commitsTransaction && !implicit) {
        // TRUNCATE commits the transaction it runs in (redshift-reference.md §2).
        await context.db.query('COMMIT');
        context.database.loadErrors.committed();
        await context.db.query('BEGIN');
      }
      if (implicit) await this.commit(context);
      return outcome;
    } catch (error) {
      if (implicit) await this.rollback(context);
      else this.failInTransaction(context);
      throw error instanceof StatementCancelled ? error : toStatementFailure(error);
    }
  }

  private async sql(context: RunContext, sql: string, effects: StatementEffects): Promise<StatementOutcome> {
    const { db, session, database } = context;
    if (database.loadErrors.size > 0 && readsLoadErrors(sql)) await database.loadErrors.showInTransaction(db);
    if (effects.readsLastCopyCount) {
      await db.query("SELECT set_config('emulator.last_copy_count', $1, false)", [String(session.lastCopyCount)]);
    }
    const results = await db.query<unknown[]>(sql, [], { rowMode: 'array', parsers: RAW_TEXT_PARSERS });
    for (const name of effects.createsTempTables) session.tempTables.add(name);
    if (results.fields.length > 0) {
      const result = toResultSet(results.fields, results.rows);
      return { result, rows: results.rows.length };
    }
    return { rows: COUNTED_STATEMENTS.has(effects.statementType) ? (results.affectedRows ?? 0) : -1 };
  }

  private async copy(context: RunContext, command: CopyCommand): Promise<StatementOutcome> {
    const { session, database } = context;
    try {
      const outcome = await this.copyLoader.run(command, {
        db: context.db,
        signal: context.signal,
        queryId: context.queryId,
        pid: session.pid,
        startedAt: context.now(),
      });
      database.loadErrors.add(outcome.loadErrors);
      session.lastCopyCount = command.noLoad ? 0 : outcome.rowsLoaded;
      return { rows: session.lastCopyCount };
    } catch (error) {
      session.lastCopyCount = 0;
      if (error instanceof LoadFailure) database.loadErrors.add(error.loadErrors);
      if (context.signal.aborted) throw new StatementCancelled();
      throw error;
    }
  }

  private failInTransaction(context: RunContext): void {
    if (context.session.transaction === 'open') setTransaction(context, 'aborted');
  }
}

function setTransaction(context: RunContext, state: TransactionState): void {
  context.session.transaction = state;
  context.database.transactionOwner = state === 'none' ? undefined : context.session;
}

/** Whether a statement may read the load-error tables (a cheap test; a false positive only syncs them). */
function readsLoadErrors(sql: string): boolean {
  const lower = sql.toLowerCase();
  return lower.includes('stl_load_errors') || lower.includes('sys_load_error_detail');
}
