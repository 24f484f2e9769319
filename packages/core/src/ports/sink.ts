import type { ColumnType } from '../model/column-type.js';
import type { TableSpec } from '../model/table-spec.js';
import type { QueryResult } from '../model/values.js';
import type { ReadProgress, RejectedRecord, Source } from './source.js';

/**
 * What differs between warehouses, as data and small pure functions. Shared code never asks
 * "is this Redshift?": it asks the dialect.
 */
export interface Dialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  /** A string literal, escaped for this dialect. */
  quoteLiteral(value: string): string;
  renderType(type: ColumnType): string;
  /** `CREATE TABLE` with this dialect's hints (DISTSTYLE, SORTKEY...) or without them. */
  renderCreateTable(table: TableSpec): string;
  renderDropTable(name: string): string;
}

export interface StatementOptions {
  signal?: AbortSignal;
  /** A label for logs and the Data API's StatementName. */
  label?: string;
}

export interface LoadRequest {
  source: Source;
  table: TableSpec;
  /** Bad records that may be skipped (Redshift MAXERROR semantics, minus one). */
  maxErrors: number;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
}

export interface LoadResult {
  table: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Up to a limit; rowsRejected counts them all. */
  rejected: RejectedRecord[];
  /** `server` when the warehouse read the objects itself, `client` when rows were streamed. */
  path: 'server' | 'client';
  warnings: string[];
}

/**
 * A warehouse. A run opens a unit of work with `begin`, and either `commit`s it or `rollback`s
 * it: everything in between (DDL included) becomes visible at once or not at all.
 */
export interface Sink {
  readonly dialect: Dialect;
  /** Checks the warehouse answers (`validate --online`). */
  healthCheck(options?: StatementOptions): Promise<void>;
  execute(sql: string, options?: StatementOptions): Promise<{ rowsAffected?: number }>;
  query(sql: string, options?: StatementOptions): Promise<QueryResult>;
  /** Runs the statements as one transaction (inside the run's unit of work when one is open). */
  transaction(statements: string[], options?: StatementOptions): Promise<void>;
  /** Appends the source's records to an existing table; rows read = loaded + rejected. */
  load(request: LoadRequest): Promise<LoadResult>;
  begin(options?: StatementOptions): Promise<void>;
  commit(options?: StatementOptions): Promise<void>;
  rollback(options?: StatementOptions): Promise<void>;
  /**
   * What `load` would send, without running it (for `plan`): the statements of a server-side
   * load, or a one-line description of a client-side one.
   */
  planLoad(request: LoadRequest): Promise<string[]>;
  close(): Promise<void>;
}
