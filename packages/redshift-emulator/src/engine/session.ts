import type { StatementTarget } from './statement-record.js';

export type TransactionState = 'none' | 'open' | 'aborted';

/**
 * A database connection as the Data API sees it. A statement without SessionId gets a session
 * of its own that ends with it (so its temp tables and any open transaction go away); with
 * SessionKeepAliveSeconds the session outlives the statement and later statements pass its
 * SessionId, keeping temp tables, an open transaction and pg_last_copy_count().
 */
export class Session {
  transaction: TransactionState = 'none';
  readonly tempTables = new Set<string>();
  lastCopyCount = 0;
  /** The statement running (or queued) in the session, if any. */
  currentStatementId: string | undefined;
  closed = false;
  expiresAt = Number.POSITIVE_INFINITY;
  private expiryTimer: { cancel(): void } | undefined;

  constructor(
    readonly id: string,
    /** Where the session is connected; echoed in responses. */
    readonly target: StatementTarget,
    readonly pid: number,
    /** undefined for a one-statement session. */
    public keepAliveSeconds: number | undefined,
    readonly createdAt: number,
  ) {}

  get database(): string {
    return this.target.Database;
  }

  get persistent(): boolean {
    return this.keepAliveSeconds !== undefined;
  }

  get busy(): boolean {
    return this.currentStatementId !== undefined;
  }

  setExpiryTimer(timer: { cancel(): void } | undefined): void {
    this.expiryTimer?.cancel();
    this.expiryTimer = timer;
  }
}
