/**
 * A statement the database refused. The Data API shows it as the statement's `Error`
 * (`ERROR: <message>`), the way Redshift reports errors through DescribeStatement.
 */
export class StatementFailure extends Error {
  /** SQLSTATE, e.g. `42601` (syntax), `0A000` (feature not supported), `XX000` (load error). */
  readonly code: string;
  /** 1-based character position in the SQL, when known. */
  readonly position: number | undefined;

  constructor(message: string, options: { code?: string; position?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StatementFailure';
    this.code = options.code ?? 'XX000';
    this.position = options.position;
  }

  /** The text DescribeStatement's `Error` carries. */
  get dataApiError(): string {
    return `ERROR: ${this.message}`;
  }
}

/** SQLSTATE for "feature not supported". */
export const FEATURE_NOT_SUPPORTED = '0A000';
export const SYNTAX_ERROR = '42601';

/** A construct PostgreSQL accepts and Redshift does not (see redshift-reference.md §2). */
export function notSupportedByRedshift(feature: string, hint: string, position?: number): StatementFailure {
  return new StatementFailure(`${feature} is not supported by Amazon Redshift. ${hint}`, {
    code: FEATURE_NOT_SUPPORTED,
    ...(position === undefined ? {} : { position }),
  });
}

/** Converts what PGlite throws (a Postgres DatabaseError) or anything else into a StatementFailure. */
export function toStatementFailure(error: unknown): StatementFailure {
  if (error instanceof StatementFailure) return error;
  if (error instanceof Error) {
    const pg = error as Error & { code?: unknown; position?: unknown };
    const code = typeof pg.code === 'string' ? pg.code : 'XX000';
    const position = typeof pg.position === 'string' ? Number(pg.position) : undefined;
    return new StatementFailure(error.message, {
      code,
      ...(position !== undefined && Number.isFinite(position) ? { position } : {}),
      cause: error,
    });
  }
  return new StatementFailure(String(error));
}
