import type {
  DescribeStatementOutput,
  SqlParameterInput,
  StatementData,
  StatementStatus,
  SubStatementData,
} from './data-api-types.js';
import type { ResultSet } from './result-set.js';

export const FINAL_STATUSES: ReadonlySet<StatementStatus> = new Set(['FINISHED', 'FAILED', 'ABORTED']);

/** Where a statement ran, echoed back in responses. */
export interface StatementTarget {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
}

/** One statement (or one sub-statement of a batch): its status, timings and result. */
export class StatementRecord {
  status: StatementStatus = 'SUBMITTED';
  updatedAt: number;
  error: string | undefined;
  result: ResultSet | undefined;
  /** Rows returned or affected; -1 when the statement has no count (DDL). */
  resultRows = -1;
  redshiftQueryId = 0;
  private startedNs: bigint | undefined;
  durationNs = 0;

  constructor(
    readonly id: string,
    readonly queryString: string,
    readonly createdAt: number,
  ) {
    this.updatedAt = createdAt;
  }

  get final(): boolean {
    return FINAL_STATUSES.has(this.status);
  }

  get hasResultSet(): boolean {
    return this.result !== undefined;
  }

  setStatus(status: StatementStatus, now: number, monotonicNs: bigint): void {
    if (this.final) return;
    this.status = status;
    this.updatedAt = now;
    if (status === 'STARTED') this.startedNs = monotonicNs;
    if (FINAL_STATUSES.has(status) && this.startedNs !== undefined) {
      this.durationNs = Number(monotonicNs - this.startedNs);
    }
  }

  toSubStatement(): SubStatementData {
    return {
      Id: this.id,
      Duration: this.durationNs,
      ...(this.error === undefined ? {} : { Error: this.error }),
      Status: this.status,
      CreatedAt: new Date(this.createdAt),
      UpdatedAt: new Date(this.updatedAt),
      QueryString: this.queryString,
      ResultRows: this.resultRows,
      ResultSize: this.result?.size ?? -1,
      RedshiftQueryId: this.redshiftQueryId,
      HasResultSet: this.hasResultSet,
    };
  }
}

/** A request's statement: a single statement, or a batch with its sub-statements. */
export class RequestRecord extends StatementRecord {
  readonly subStatements: StatementRecord[];
  readonly abort = new AbortController();
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    id: string,
    readonly sqls: readonly string[],
    readonly isBatch: boolean,
    createdAt: number,
    readonly target: StatementTarget,
    readonly pid: number,
    readonly details: {
      statementName?: string;
      parameters?: SqlParameterInput[];
      sessionId?: string;
      clientToken?: string;
      requestFingerprint: string;
    },
  ) {
    super(id, isBatch ? sqls.join('; ') : (sqls[0] ?? ''), createdAt);
    this.subStatements = isBatch ? sqls.map((sql, i) => new StatementRecord(`${id}:${i + 1}`, sql, createdAt)) : [];
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  override setStatus(status: StatementStatus, now: number, monotonicNs: bigint): void {
    const wasFinal = this.final;
    super.setStatus(status, now, monotonicNs);
    if (!wasFinal && this.final) this.resolveDone();
  }

  describe(): DescribeStatementOutput {
    const subs = this.subStatements.map((s) => s.toSubStatement());
    return {
      Id: this.id,
      ...targetFields(this.target),
      Duration: this.durationNs,
      ...(this.error === undefined ? {} : { Error: this.error }),
      Status: this.status,
      CreatedAt: new Date(this.createdAt),
      UpdatedAt: new Date(this.updatedAt),
      RedshiftPid: this.pid,
      HasResultSet: this.isBatch ? subs.some((s) => s.HasResultSet) : this.hasResultSet,
      ...(this.isBatch ? {} : { QueryString: this.queryString }),
      ResultRows: this.isBatch ? sumOrMinusOne(subs.map((s) => s.ResultRows)) : this.resultRows,
      ResultSize: this.isBatch ? sumOrMinusOne(subs.map((s) => s.ResultSize)) : (this.result?.size ?? -1),
      RedshiftQueryId: this.isBatch ? (subs[subs.length - 1]?.RedshiftQueryId ?? 0) : this.redshiftQueryId,
      ...(this.details.parameters ? { QueryParameters: this.details.parameters } : {}),
      ...(this.isBatch ? { SubStatements: subs } : {}),
      ResultFormat: 'JSON',
      ...(this.details.sessionId ? { SessionId: this.details.sessionId } : {}),
    };
  }

  /** DescribeStatement of one sub-statement id (`<Id>:2`). */
  describeSub(sub: StatementRecord): DescribeStatementOutput {
    return {
      ...this.describe(),
      Id: sub.id,
      Duration: sub.durationNs,
      Status: sub.status,
      ...(sub.error === undefined ? {} : { Error: sub.error }),
      CreatedAt: new Date(sub.createdAt),
      UpdatedAt: new Date(sub.updatedAt),
      HasResultSet: sub.hasResultSet,
      QueryString: sub.queryString,
      ResultRows: sub.resultRows,
      ResultSize: sub.result?.size ?? -1,
      RedshiftQueryId: sub.redshiftQueryId,
      SubStatements: undefined,
    };
  }

  toStatementData(): StatementData {
    return {
      Id: this.id,
      ...(this.isBatch ? { QueryStrings: [...this.sqls] } : { QueryString: this.queryString }),
      ...(this.target.SecretArn ? { SecretArn: this.target.SecretArn } : {}),
      Status: this.status,
      ...(this.details.statementName ? { StatementName: this.details.statementName } : {}),
      CreatedAt: new Date(this.createdAt),
      UpdatedAt: new Date(this.updatedAt),
      ...(this.details.parameters ? { QueryParameters: this.details.parameters } : {}),
      IsBatchStatement: this.isBatch,
      ResultFormat: 'JSON',
      ...(this.details.sessionId ? { SessionId: this.details.sessionId } : {}),
    };
  }
}

export function targetFields(target: StatementTarget): Partial<StatementTarget> {
  const fields: Partial<StatementTarget> = { Database: target.Database };
  if (target.ClusterIdentifier) fields.ClusterIdentifier = target.ClusterIdentifier;
  if (target.WorkgroupName) fields.WorkgroupName = target.WorkgroupName;
  if (target.DbUser) fields.DbUser = target.DbUser;
  if (target.SecretArn) fields.SecretArn = target.SecretArn;
  return fields;
}

function sumOrMinusOne(values: number[]): number {
  const counted = values.filter((v) => v >= 0);
  return counted.length === 0 ? -1 : counted.reduce((a, b) => a + b, 0);
}
