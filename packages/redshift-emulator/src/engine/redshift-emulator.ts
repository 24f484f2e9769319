import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { CopyLoader, type CopyLoaderOptions } from '../copy/copy-loader.js';
import { toBucketResolver, type BucketStores } from '../copy/s3-location.js';
import { bindParameters, checkParameters, ParameterError } from '../sql/parameter-binder.js';
import { loadSqlParser } from '../sql/sql-parser.js';
import { systemClock, type Clock } from './clock.js';
import { DataApiError, statementNotFound, validationError } from './data-api-errors.js';
import type {
  BatchExecuteStatementInput,
  BatchExecuteStatementOutput,
  CancelStatementInput,
  CancelStatementOutput,
  DataApiOperations,
  DescribeStatementInput,
  DescribeStatementOutput,
  ExecuteStatementInput,
  ExecuteStatementOutput,
  GetStatementResultInput,
  GetStatementResultOutput,
  ListStatementsInput,
  ListStatementsOutput,
} from './data-api-types.js';
import { Database, type DatabaseJob } from './database.js';
import { DataDirectory } from './data-directory.js';
import { FaultInjector, type FaultCounts, type FaultOptions } from './fault-injector.js';
import { RequestRunner, type ExecutionMode, type PendingRequest } from './request-runner.js';
import {
  batchExecuteStatementSchema,
  cancelStatementSchema,
  describeStatementSchema,
  executeStatementSchema,
  getStatementResultSchema,
  listStatementsSchema,
  parseRequest,
} from './request-schemas.js';
import { decodePageToken, encodePageToken } from './result-set.js';
import { Session } from './session.js';
import { RequestRecord, targetFields, type StatementRecord, type StatementTarget } from './statement-record.js';
import { StatementRunner } from './statement-runner.js';

export interface RedshiftEmulatorOptions {
  /**
   * A folder for on-disk PGlite data (one sub-folder per database), kept after close. Without it
   * the data lives in memory, unless `tempDataDir` is set.
   */
  dataDir?: string;
  /**
   * Keep the data in a temporary folder, deleted on close: as disposable as memory, but loads
   * stay fast as tables grow (PGlite's in-memory file system slows down past ~100k rows).
   */
  tempDataDir?: boolean;
  /** Where COPY reads `s3://bucket/...`: a store per bucket, or a resolver. */
  buckets?: BucketStores;
  /** Rows per GetStatementResult page. Default 1000. */
  pageSize?: number;
  /** Statements submitted but not finished before ActiveStatementsExceededException. Default 500. */
  maxActiveStatements?: number;
  /** Finished statements kept for DescribeStatement/GetStatementResult. Default 10,000. */
  maxStoredStatements?: number;
  clock?: Clock;
  faults?: FaultOptions;
  copy?: CopyLoaderOptions;
}

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/;
const FIRST_PID = 1_073_741_825;

/**
 * A local Amazon Redshift behind the Data API's operations, running real SQL on PGlite.
 * Use it in-process as a fake (the methods take and return the SDK's shapes), or behind
 * `startEmulatorServer` for the real `@aws-sdk/client-redshift-data` client.
 */
export class RedshiftEmulator implements DataApiOperations {
  private readonly clock: Clock;
  private readonly faults: FaultInjector;
  private readonly pageSize: number;
  private readonly maxActive: number;
  private readonly maxStored: number;
  private readonly requestRunner: RequestRunner;
  private readonly databases = new Map<string, Database>();
  private readonly sessions = new Map<string, Session>();
  private readonly requests = new Map<string, RequestRecord>();
  private readonly jobs = new Map<string, { job: DatabaseJob; database: Database }>();
  private readonly clientTokens = new Map<string, { fingerprint: string; output: ExecuteStatementOutput }>();
  private readonly storage: DataDirectory;
  private active = 0;
  private nextPid = FIRST_PID;
  private closed = false;

  constructor(private readonly options: RedshiftEmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.faults = new FaultInjector(options.faults);
    this.pageSize = Math.max(1, options.pageSize ?? 1000);
    this.maxActive = options.maxActiveStatements ?? 500;
    this.maxStored = options.maxStoredStatements ?? 10_000;
    this.storage = new DataDirectory(options.dataDir, options.tempDataDir ?? false);
    const runner = new StatementRunner(new CopyLoader(toBucketResolver(options.buckets), options.copy));
    this.requestRunner = new RequestRunner(runner, this.clock, this.faults, (request, db) => this.afterRequest(request, db));
  }

  async executeStatement(input: ExecuteStatementInput): Promise<ExecuteStatementOutput> {
    await this.begin(input);
    const parsed = parseRequest(executeStatementSchema, input);
    return this.submit(parsed, [parsed.Sql], false, 'TRANSACTION');
  }

  async batchExecuteStatement(input: BatchExecuteStatementInput): Promise<BatchExecuteStatementOutput> {
    await this.begin(input);
    const parsed = parseRequest(batchExecuteStatementSchema, input);
    return this.submit(parsed, parsed.Sqls, true, parsed.ExecutionMode ?? 'TRANSACTION');
  }

  async describeStatement(input: DescribeStatementInput): Promise<DescribeStatementOutput> {
    await this.begin(input);
    const parsed = parseRequest(describeStatementSchema, input);
    const { request, sub } = this.find(parsed.Id);
    await this.wait(request, parsed.WaitTimeSeconds);
    return sub ? request.describeSub(sub) : request.describe();
  }

  async getStatementResult(input: GetStatementResultInput): Promise<GetStatementResultOutput> {
    await this.begin(input);
    const parsed = parseRequest(getStatementResultSchema, input);
    const { request, sub } = this.find(parsed.Id);
    if (request.isBatch && !sub) {
      throw validationError(`${parsed.Id} is a batch: fetch each result by its sub-statement id (${parsed.Id}:1, ${parsed.Id}:2, ...)`);
    }
    await this.wait(request, parsed.WaitTimeSeconds);
    const statement: StatementRecord = sub ?? request;
    if (statement.status !== 'FINISHED') {
      throw validationError(
        statement.final
          ? `Query ${statement.id} ${statement.status}: it has no result. Check DescribeStatement's Error.`
          : `Query ${statement.id} has not finished (status ${statement.status}): poll DescribeStatement until it is FINISHED.`,
      );
    }
    const result = statement.result;
    if (!result) {
      throw new DataApiError('ResourceNotFoundException', 'Query does not have result. Please check query status with DescribeStatement.', {
        ResourceId: statement.id,
      });
    }
    const offset = parsed.NextToken === undefined ? 0 : decodePageToken(parsed.NextToken, statement.id);
    if (offset === undefined) throw validationError('The NextToken is not valid for this statement.');
    const end = Math.min(offset + this.pageSize, result.records.length);
    return {
      Records: result.records.slice(offset, end),
      ColumnMetadata: result.columns,
      TotalNumRows: result.records.length,
      ...(end < result.records.length ? { NextToken: encodePageToken(statement.id, end) } : {}),
    };
  }

  async cancelStatement(input: CancelStatementInput): Promise<CancelStatementOutput> {
    await this.begin(input);
    const parsed = parseRequest(cancelStatementSchema, input);
    const { request, sub } = this.find(parsed.Id);
    if (sub) throw validationError(`Cancel the batch by its Id (${request.id}), not a sub-statement id.`);
    if (request.final) throw validationError(`Could not cancel a query that is already in ${request.status} state.`);
    const pending = this.jobs.get(request.id);
    if (request.status === 'SUBMITTED' && pending && pending.database.remove(pending.job)) {
      this.abortQueued(request, pending.job.session);
      return { Status: true };
    }
    request.abort.abort();
    await request.done;
    return { Status: true };
  }

  async listStatements(input: ListStatementsInput = {}): Promise<ListStatementsOutput> {
    await this.begin(input);
    const parsed = parseRequest(listStatementsSchema, input);
    const status = parsed.Status ?? 'ALL';
    const matching = [...this.requests.values()]
      .reverse()
      .filter((r) => status === 'ALL' || r.status === status)
      .filter((r) => parsed.StatementName === undefined || (r.details.statementName ?? '').startsWith(parsed.StatementName))
      .filter((r) => parsed.Database === undefined || r.target.Database === parsed.Database)
      .filter((r) => parsed.ClusterIdentifier === undefined || r.target.ClusterIdentifier === parsed.ClusterIdentifier)
      .filter((r) => parsed.WorkgroupName === undefined || r.target.WorkgroupName === parsed.WorkgroupName);
    const offset = parsed.NextToken === undefined ? 0 : decodePageToken(parsed.NextToken, 'list');
    if (offset === undefined) throw validationError('The NextToken is not valid.');
    const size = parsed.MaxResults || 100;
    const page = matching.slice(offset, offset + size);
    return {
      Statements: page.map((r) => r.toStatementData()),
      ...(offset + size < matching.length ? { NextToken: encodePageToken('list', offset + size) } : {}),
    };
  }

  /** Changes the injected faults while running (throttling rate, latency, failing statements). */
  configureFaults(faults: FaultOptions): void {
    this.faults.configure(faults);
  }

  /** How many calls went through fault injection and how many were throttled or failed (counted since start). */
  faultCounts(): Readonly<FaultCounts> {
    return { ...this.faults.counts };
  }

  /** Stops accepting work, aborts what is queued, lets running statements end, closes the databases. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const request of this.requests.values()) {
      if (request.final) continue;
      const pending = this.jobs.get(request.id);
      if (pending && pending.database.remove(pending.job)) this.abortQueued(request, pending.job.session);
      else request.abort.abort();
    }
    await Promise.all([...this.requests.values()].map((r) => r.done));
    for (const session of this.sessions.values()) session.setExpiryTimer(undefined);
    await Promise.all([...this.databases.values()].map((db) => db.close()));
    await this.storage.dispose();
  }

  /** Common start of every operation: the parser is loaded, the emulator open, faults injected. */
  private async begin(_input: unknown): Promise<void> {
    if (this.closed) throw new DataApiError('InternalServerException', 'The Redshift emulator is shut down.');
    await loadSqlParser();
    this.faults.maybeThrottle();
  }

  private async submit(
    input: Omit<ExecuteStatementInput, 'Sql'>,
    sqls: readonly string[],
    isBatch: boolean,
    mode: ExecutionMode,
  ): Promise<ExecuteStatementOutput> {
    const fingerprint = JSON.stringify({ ...input, WaitTimeSeconds: undefined, sqls, isBatch, mode });
    const replay = this.replay(input.ClientToken, fingerprint);
    if (replay) {
      const record = this.requests.get(replay.Id);
      if (record) await this.wait(record, input.WaitTimeSeconds);
      return replay;
    }
    if (input.ResultFormat === 'CSV') {
      throw validationError('ResultFormat CSV is not supported by the Redshift emulator: use JSON (the default) and GetStatementResult.');
    }
    if (this.active >= this.maxActive) {
      throw new DataApiError('ActiveStatementsExceededException', `The number of active statements exceeds the limit of ${this.maxActive}.`);
    }
    const bound = this.bind(sqls, input.Parameters ?? []);
    const session = this.sessionFor(input);
    const target = session.target;
    const database = this.database(target.Database);
    const id = randomUUID();
    if (database.bootError) {
      throw new DataApiError(isBatch ? 'BatchExecuteStatementException' : 'ExecuteStatementException', `Could not connect to database ${database.name}: ${database.bootError.message}`, {
        StatementId: id,
      });
    }
    const record = new RequestRecord(id, sqls, isBatch, this.clock.now(), target, session.pid, {
      ...(input.StatementName ? { statementName: input.StatementName } : {}),
      ...(input.Parameters ? { parameters: input.Parameters } : {}),
      ...(session.persistent ? { sessionId: session.id } : {}),
      ...(input.ClientToken ? { clientToken: input.ClientToken } : {}),
      requestFingerprint: fingerprint,
    });
    this.track(record);
    session.currentStatementId = id;
    const pending: PendingRequest = { record, session, database, sqls: bound, mode };
    const job: DatabaseJob = {
      session,
      run: (db) => this.requestRunner.run(pending, db),
      fail: (error) => {
        this.requestRunner.fail(pending, error);
        session.currentStatementId = undefined;
        this.jobs.delete(id);
      },
    };
    this.jobs.set(id, { job, database });
    database.enqueue(job);
    const output: ExecuteStatementOutput = {
      Id: id,
      CreatedAt: new Date(record.createdAt),
      ...targetFields(target),
      ...(session.persistent ? { SessionId: session.id } : {}),
    };
    if (input.ClientToken) this.clientTokens.set(input.ClientToken, { fingerprint, output });
    if (input.WaitTimeSeconds) {
      await this.wait(record, input.WaitTimeSeconds);
      return { ...output, Status: record.status, HasResultSet: record.describe().HasResultSet, RedshiftPid: record.pid };
    }
    return output;
  }

  private replay(token: string | undefined, fingerprint: string): ExecuteStatementOutput | undefined {
    if (token === undefined) return undefined;
    const seen = this.clientTokens.get(token);
    if (!seen) return undefined;
    if (seen.fingerprint !== fingerprint) {
      throw validationError(`ClientToken ${token} was already used for a different request: use a new token for a new statement.`);
    }
    return seen.output;
  }

  private bind(sqls: readonly string[], parameters: readonly { name: string; value: string }[]): string[] {
    try {
      checkParameters(sqls, parameters);
      return sqls.map((sql) => bindParameters(sql, parameters));
    } catch (error) {
      if (error instanceof ParameterError) throw validationError(error.message);
      // A scanner error (an unterminated literal) surfaces when the statement runs.
      return [...sqls];
    }
  }

  /** The statement's session: the one named by SessionId, a new kept-alive one, or a one-statement one. */
  private sessionFor(input: Omit<ExecuteStatementInput, 'Sql'>): Session {
    if (input.SessionId !== undefined) {
      const session = this.sessions.get(input.SessionId);
      if (!session || session.closed || (!session.busy && this.clock.now() >= session.expiresAt)) {
        if (session) this.expire(session);
        throw validationError(`Session ${input.SessionId} is not available: it expired or was closed. Start a new one with SessionKeepAliveSeconds.`);
      }
      if (session.busy) {
        throw validationError(`Session ${session.id} is busy running statement ${session.currentStatementId}: wait for it to finish.`);
      }
      if (input.Database !== undefined && input.Database !== session.database) {
        throw validationError(`Session ${session.id} is connected to database ${session.database}, not ${input.Database}.`);
      }
      if (input.SessionKeepAliveSeconds !== undefined) session.keepAliveSeconds = input.SessionKeepAliveSeconds;
      session.setExpiryTimer(undefined);
      return session;
    }
    const target = checkTarget(input);
    const session = new Session(randomUUID(), target, this.nextPid++, input.SessionKeepAliveSeconds, this.clock.now());
    if (session.persistent) this.sessions.set(session.id, session);
    return session;
  }

  private database(name: string): Database {
    let database = this.databases.get(name);
    if (!database) {
      database = new Database(name, () => this.storage.folder());
      this.databases.set(name, database);
    }
    return database;
  }

  private track(record: RequestRecord): void {
    this.requests.set(record.id, record);
    this.active += 1;
    void record.done.then(() => {
      this.active -= 1;
      this.jobs.delete(record.id);
    });
    if (this.requests.size <= this.maxStored) return;
    for (const [id, old] of this.requests) {
      if (this.requests.size <= this.maxStored) break;
      if (!old.final) continue;
      this.requests.delete(id);
      if (old.details.clientToken) this.clientTokens.delete(old.details.clientToken);
    }
  }

  private find(id: string): { request: RequestRecord; sub?: StatementRecord } {
    const direct = this.requests.get(id);
    if (direct) return { request: direct };
    const match = /^(.+):(\d+)$/.exec(id);
    const parent = match ? this.requests.get(match[1]!) : undefined;
    const sub = parent?.subStatements[Number(match?.[2]) - 1];
    if (!parent || !sub) throw statementNotFound(id);
    return { request: parent, sub };
  }

  /** WaitTimeSeconds: wait for the statement to end, at most that long. */
  private async wait(record: RequestRecord, seconds: number | undefined): Promise<void> {
    if (!seconds || record.final) return;
    const stop = new AbortController();
    await Promise.race([record.done, this.clock.sleep(seconds * 1000, stop.signal).catch(() => undefined)]);
    stop.abort();
  }

  private abortQueued(request: RequestRecord, session: Session): void {
    const now = this.clock.now();
    const ns = this.clock.monotonicNs();
    for (const sub of request.subStatements) sub.setStatus('ABORTED', now, ns);
    request.setStatus('ABORTED', now, ns);
    session.currentStatementId = undefined;
    if (session.persistent) this.scheduleExpiry(session);
  }

  /** After a request: a one-statement session ends; a kept session waits for its next statement. */
  private async afterRequest(request: PendingRequest, db: PGlite): Promise<void> {
    const { session, database } = request;
    session.currentStatementId = undefined;
    try {
      if (!session.persistent || session.closed) await endSession(db, database, session);
      else this.scheduleExpiry(session);
      if (database.transactionOwner === undefined && database.loadErrors.size > 0) await database.loadErrors.flush(db);
    } catch {
      // Cleanup failures must not change the statement's outcome; the next statement reports a broken database.
    }
  }

  private scheduleExpiry(session: Session): void {
    const keepAlive = (session.keepAliveSeconds ?? 0) * 1000;
    session.expiresAt = this.clock.now() + keepAlive;
    session.setExpiryTimer(this.clock.setTimer(keepAlive, () => this.expire(session)));
  }

  /**
   * Ends every kept session that is idle now, as if its keep-alive had run out: open
   * transactions roll back. Simulates a client that died (a killed run) without waiting for
   * its SessionKeepAliveSeconds. Returns how many sessions are still open (busy ones end once
   * their statement finishes; call again).
   */
  expireIdleSessions(): number {
    for (const session of [...this.sessions.values()]) if (!session.busy) this.expire(session);
    return this.sessions.size;
  }

  /** Closes a kept session: its open transaction rolls back and its temp tables go. */
  private expire(session: Session): void {
    if (session.closed || session.busy) return;
    session.closed = true;
    session.setExpiryTimer(undefined);
    this.sessions.delete(session.id);
    const database = this.databases.get(session.database);
    if (!database || this.closed) return;
    database.enqueue(
      {
        session,
        run: async (db) => {
          await endSession(db, database, session).catch(() => undefined);
          if (database.transactionOwner === undefined && database.loadErrors.size > 0) await database.loadErrors.flush(db).catch(() => undefined);
        },
        fail: () => undefined,
      },
      true,
    );
  }
}

/** What a closing connection does: roll back an open transaction, drop its temp tables. */
async function endSession(db: PGlite, database: Database, session: Session): Promise<void> {
  session.closed = true;
  if (session.transaction !== 'none') {
    await db.query('ROLLBACK');
    session.transaction = 'none';
  }
  if (database.transactionOwner === session) database.transactionOwner = undefined;
  for (const table of session.tempTables) {
    await db.query(`DROP TABLE IF EXISTS pg_temp."${table.replace(/"/g, '""')}"`);
  }
  session.tempTables.clear();
  database.wake();
}

function checkTarget(input: Omit<ExecuteStatementInput, 'Sql'>): StatementTarget {
  const { ClusterIdentifier, WorkgroupName, Database: databaseName, DbUser, SecretArn } = input;
  if (Boolean(ClusterIdentifier) === Boolean(WorkgroupName)) {
    throw validationError('Either ClusterIdentifier or WorkgroupName must be provided, but not both (or pass a SessionId).');
  }
  if (!databaseName) throw validationError('Database is required (or pass a SessionId).');
  if (!DATABASE_NAME.test(databaseName)) throw validationError(`Database name '${databaseName}' is not valid.`);
  if (ClusterIdentifier && !DbUser && !SecretArn) {
    throw validationError('Connecting to a cluster needs DbUser (temporary credentials) or SecretArn.');
  }
  if (WorkgroupName && DbUser) throw validationError('DbUser is not supported for a serverless workgroup: use SecretArn, or neither (IAM identity).');
  return {
    Database: databaseName,
    ...(ClusterIdentifier ? { ClusterIdentifier } : {}),
    ...(WorkgroupName ? { WorkgroupName } : {}),
    ...(DbUser ? { DbUser } : {}),
    ...(SecretArn ? { SecretArn } : {}),
  };
}
