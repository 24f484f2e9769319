import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { LoadErrorLog } from '../copy/load-error-log.js';
import { installSystemObjects } from './system-objects.js';
import type { Session } from './session.js';

/** A unit of work for the database's single connection. */
export interface DatabaseJob {
  session: Session;
  run(db: PGlite): Promise<void>;
  /** The database could not be opened. */
  fail(error: unknown): void;
}

/**
 * One Redshift database, backed by one PGlite instance (in memory, or in a data folder).
 * PGlite is a single connection, so statements run one at a time in arrival order; while a
 * session holds an open transaction, only that session's statements run and others wait, as
 * they would on a lock held by the transaction (Redshift transactions are serializable).
 */
export class Database {
  private opening: Promise<PGlite> | undefined;
  private readonly queue: DatabaseJob[] = [];
  private running = false;
  /** The session whose transaction is open, if any. */
  transactionOwner: Session | undefined;
  /** stl_load_errors rows waiting for the transaction to end. */
  readonly loadErrors = new LoadErrorLog();
  private nextQueryId = 1;
  private closed = false;
  /** Why the database could not be opened, once it failed to. */
  bootError: Error | undefined;

  constructor(
    readonly name: string,
    /** The folder holding the databases' data folders, or undefined for in-memory data. */
    private readonly dataDir: () => Promise<string | undefined>,
  ) {}

  /** Redshift's query id for the next statement (SYS_QUERY_HISTORY.query_id, stl_load_errors.query). */
  allocateQueryId(): number {
    const id = this.nextQueryId;
    this.nextQueryId += 1;
    return id;
  }

  /** Queues a job; `urgent` jobs (closing a session) go first. */
  enqueue(job: DatabaseJob, urgent = false): void {
    if (urgent) this.queue.unshift(job);
    else this.queue.push(job);
    void this.pump();
  }

  /** Takes a job out of the queue before it starts; false when it already started. */
  remove(job: DatabaseJob): boolean {
    const index = this.queue.indexOf(job);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    return true;
  }

  /** Lets waiting jobs run again (after a transaction ended outside a job). */
  wake(): void {
    void this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const db = await opening.catch(() => undefined);
    await db?.close();
  }

  private async pump(): Promise<void> {
    if (this.running || this.closed) return;
    const owner = this.transactionOwner;
    const index = this.queue.findIndex((job) => owner === undefined || job.session === owner);
    if (index < 0) return;
    const [job] = this.queue.splice(index, 1);
    if (!job) return;
    this.running = true;
    try {
      let db: PGlite;
      try {
        db = await this.open();
      } catch (error) {
        job.fail(error);
        return;
      }
      await job.run(db);
    } finally {
      this.running = false;
      void this.pump();
    }
  }

  private open(): Promise<PGlite> {
    this.opening ??= this.boot().catch((error: unknown) => {
      this.bootError = error instanceof Error ? error : new Error(String(error));
      throw this.bootError;
    });
    return this.opening;
  }

  private async boot(): Promise<PGlite> {
    let db: PGlite;
    const dataDir = await this.dataDir();
    if (dataDir === undefined) {
      db = await PGlite.create({ database: 'postgres' });
    } else {
      const folder = path.join(dataDir, this.name);
      await mkdir(folder, { recursive: true });
      db = await PGlite.create({ dataDir: folder, relaxedDurability: true });
    }
    await installSystemObjects(db);
    return db;
  }
}
