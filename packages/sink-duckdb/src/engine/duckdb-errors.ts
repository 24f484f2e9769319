import { CancelledError, PipelineError, WarehouseError, isAbortError } from '@sparkify/core';

/** The most of a statement an error carries: enough to recognise it, not a whole script. */
const SQL_EXCERPT_CHARS = 1000;

export function sqlExcerpt(sql: string): string {
  const trimmed = sql.trim();
  return trimmed.length <= SQL_EXCERPT_CHARS ? trimmed : `${trimmed.slice(0, SQL_EXCERPT_CHARS)}…`;
}

/**
 * DuckDB's message without the caret diagram: `Catalog Error: Table with name x does not
 * exist! Did you mean "y"?`. The statement itself travels in the error's location.
 */
export function duckDbMessage(error: unknown): string {
  const text = errorText(error);
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (/^LINE \d+:/.test(line)) break;
    if (line.trim()) kept.push(line.trim());
  }
  return kept.join(' ') || text;
}

/** An error's message; not `instanceof Error`, which fails for errors made in another realm (the native binding's, under jest). */
function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

/** What a user can do about DuckDB's error classes (the prefix of its message). */
const HINTS: readonly [RegExp, string][] = [
  [/^Parser Error/, 'fix the SQL syntax (DuckDB dialect)'],
  [/^Catalog Error/, 'check table and column names; were the tables created (warehouse.create-tables)?'],
  [/^Binder Error/, 'check column names and types in the statement'],
  [/^Conversion Error/, 'a value does not fit its column type; check the data or the table spec'],
  [/^Constraint Error/, 'a row breaks a NOT NULL constraint; check the data or make the column nullable'],
  [/^Out of Memory Error/, 'raise the sink\'s memoryLimit, or lower threads'],
  [/^TransactionContext Error: .*[Cc]onflict/, 'another connection changed the same rows; run again'],
];

function hintFor(message: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(message))?.[1];
}

export interface StatementErrorContext {
  sql: string;
  label?: string;
  signal?: AbortSignal;
}

/**
 * Maps whatever a statement threw to a PipelineError: CancelledError when the run's signal
 * interrupted it, the error itself when it already is one, a WarehouseError with the statement
 * otherwise.
 */
export function statementError(error: unknown, context: StatementErrorContext): PipelineError {
  const location = { sql: sqlExcerpt(context.sql) };
  if (context.signal?.aborted || isAbortError(error)) {
    return error instanceof CancelledError ? error : new CancelledError('cancelled: the statement was interrupted', { cause: error, location });
  }
  if (error instanceof PipelineError) return error;
  const message = duckDbMessage(error);
  const subject = context.label ? `"${context.label}"` : 'a statement';
  const hint = hintFor(message);
  return new WarehouseError(`DuckDB refused ${subject}: ${message}`, { cause: error, location, ...(hint ? { hint } : {}) });
}
