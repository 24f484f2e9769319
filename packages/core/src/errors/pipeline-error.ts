/**
 * Every failure a user can see is a PipelineError with a kind. The kind decides the exit code,
 * so scripts can tell "fix your config" from "fix your data" from "the warehouse said no".
 */
export type ErrorKind = 'config' | 'input' | 'warehouse' | 'check' | 'cancelled' | 'internal';

/** Exit codes, documented in the README ("Failure behaviour"). */
export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  config: 2,
  input: 3,
  warehouse: 4,
  check: 5,
  internal: 70,
  cancelled: 130,
};

/** Where an error happened; every field optional, the renderer prints what is there. */
export interface ErrorLocation {
  /** Config path, e.g. `steps[2].with.table`. */
  configPath?: string;
  /** A file or object URI, e.g. `/data/log_data/2018/11/x.json` or `s3://b/k`. */
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  step?: string;
  statementId?: string;
  sql?: string;
}

export interface PipelineErrorOptions {
  cause?: unknown;
  location?: ErrorLocation;
  /** What the user can do about it. */
  hint?: string;
  /** Extra machine-readable detail (e.g. the list of rejected records). */
  details?: unknown;
}

export class PipelineError extends Error {
  readonly kind: ErrorKind;
  readonly location: ErrorLocation;
  readonly hint: string | undefined;
  readonly details: unknown;

  constructor(kind: ErrorKind, message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.location = options.location ?? {};
    this.hint = options.hint;
    this.details = options.details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** The pipeline file, a param, a CLI flag or a plugin config is wrong. */
export class ConfigError extends PipelineError {
  constructor(message: string, options: PipelineErrorOptions = {}) {
    super('config', message, options);
  }
}

/** The data being read is wrong (malformed JSON, wrong type, missing file...). */
export class InputDataError extends PipelineError {
  constructor(message: string, options: PipelineErrorOptions = {}) {
    super('input', message, options);
  }
}

/** The warehouse refused a statement or could not be reached. */
export class WarehouseError extends PipelineError {
  constructor(message: string, options: PipelineErrorOptions = {}) {
    super('warehouse', message, options);
  }
}

/** A data-quality check failed; the run is rolled back. */
export class CheckFailedError extends PipelineError {
  constructor(message: string, options: PipelineErrorOptions = {}) {
    super('check', message, options);
  }
}

export class CancelledError extends PipelineError {
  constructor(message = 'cancelled', options: PipelineErrorOptions = {}) {
    super('cancelled', message, options);
  }
}

/** Wraps anything that is not a PipelineError, keeping it as the cause. */
export function toPipelineError(error: unknown): PipelineError {
  if (error instanceof PipelineError) return error;
  if (isAbortError(error)) return new CancelledError('cancelled', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new PipelineError('internal', message, { cause: error });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'CancelledError');
}

/** Throws CancelledError when the signal is aborted; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('cancelled', { cause: signal.reason });
}

/** One line per location field that is set, for messages: `file x.json, line 3`. */
export function describeLocation(location: ErrorLocation): string {
  const parts: string[] = [];
  if (location.configPath) parts.push(location.configPath);
  if (location.file) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  if (location.field) parts.push(`field ${location.field}`);
  if (location.step) parts.push(`step ${location.step}`);
  return parts.join(', ');
}
