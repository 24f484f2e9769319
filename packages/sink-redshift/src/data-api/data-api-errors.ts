import { CancelledError, ConfigError, WarehouseError, type ErrorLocation, type PipelineError } from '@sparkify/core';
import { classifyAwsFailure, MISSING_CREDENTIALS_HINT } from '@sparkify/source-s3';

/** The most of a statement an error carries: enough to recognise it, not a whole script. */
const SQL_EXCERPT_CHARS = 1000;

export function sqlExcerpt(sql: string): string {
  const trimmed = sql.trim();
  return trimmed.length <= SQL_EXCERPT_CHARS ? trimmed : `${trimmed.slice(0, SQL_EXCERPT_CHARS)}…`;
}

/** Data API errors a later attempt may get past (redshift-reference.md §3): the retry layer (retry-policy.ts) keys on `details.retryable`. */
const RETRYABLE = new Set([
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServerException',
  'ServiceUnavailableException',
  'DatabaseConnectionException',
]);

/**
 * Network failures worth another attempt: the connection broke or went quiet mid-request. A
 * refused connection or an unknown host is not: the endpoint is wrong or down, and saying so at
 * once helps more than retrying for minutes.
 */
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout', 'EAI_AGAIN']);

/** Refusals that say nothing ran, whatever their status. */
const THROTTLED_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException', 'ActiveStatementsExceededException', 'ActiveSessionsExceededException']);

/** Throttling, whatever the error is called (some arrives as a ValidationException, redshift-reference.md §3). */
const THROTTLED_MESSAGE = /rate exceeded|throttl|too many requests/i;

/** The caller's identity or permissions are wrong: fix the configuration, not the SQL. */
const ACCESS = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'IncompleteSignature']);

const HINTS: Record<string, string> = {
  ActiveStatementsExceededException: 'too many statements are running at once on this cluster or workgroup; run again later or lower the pipeline concurrency',
  ActiveSessionsExceededException: 'too many Data API sessions are open; wait for idle ones to time out',
  ThrottlingException: 'the Data API is throttling requests; run again later',
  DatabaseConnectionException: 'the Data API could not connect to the database; check that the cluster or workgroup is available',
  ResourceNotFoundException: 'the statement is unknown to the Data API (its results expire after 24 hours)',
  InternalServerException: 'the Data API failed; run again later',
};

export interface DataApiCallContext {
  /** What was being done, e.g. `run a statement`, `fetch the result of`. */
  action: string;
  /** `cluster x, database y`. */
  target: string;
  endpoint?: string;
  sql?: string;
  statementId?: string;
  signal?: AbortSignal;
}

/**
 * A failed Data API call as a typed error: missing credentials and refused identities are
 * ConfigErrors, an abort a CancelledError, everything else a WarehouseError whose `details`
 * say whether a retry may help (`retryable`) and carry the service's code.
 */
export function dataApiError(error: unknown, context: DataApiCallContext): PipelineError {
  const failure = classifyAwsFailure(error, context.signal);
  const location: ErrorLocation = {
    ...(context.sql === undefined ? {} : { sql: sqlExcerpt(context.sql) }),
    ...(context.statementId ? { statementId: context.statementId } : {}),
  };
  const where = context.endpoint ? `the Data API at ${context.endpoint}` : 'the Redshift Data API';
  switch (failure.kind) {
    case 'pipeline':
      return failure.error;
    case 'aborted':
      return new CancelledError('cancelled', { cause: error, location });
    case 'credentials':
      return new ConfigError(`no AWS credentials to call ${where} (${context.target}): ${failure.message}`, {
        cause: error,
        location,
        hint: MISSING_CREDENTIALS_HINT,
      });
    case 'network':
      return new WarehouseError(`cannot reach ${where} to ${context.action} (${failure.code})`, {
        cause: error,
        location,
        hint: context.endpoint ? 'check that the endpoint is running and its URL is right' : 'check the network connection and the region',
        details: { retryable: RETRYABLE_NETWORK.has(failure.code), code: failure.code },
      });
    case 'service':
      break;
  }
  const { name, message } = failure;
  if (ACCESS.has(name)) {
    return new ConfigError(`${where} refused the caller to ${context.action} on ${context.target}: ${name}: ${message}`, {
      cause: error,
      location,
      hint: 'check the AWS credentials and that their IAM policy allows redshift-data:* and redshift:GetClusterCredentials (or secretsmanager:GetSecretValue for secretArn)',
    });
  }
  const throttled = !RETRYABLE.has(name) && THROTTLED_MESSAGE.test(message);
  const retryable = RETRYABLE.has(name) || throttled || failure.retryable || (failure.status !== undefined && failure.status >= 500);
  const hint = HINTS[name] ?? (throttled ? HINTS.ThrottlingException : undefined);
  return new WarehouseError(`${where} could not ${context.action} on ${context.target}: ${name}: ${message}`, {
    cause: error,
    location,
    ...(hint ? { hint } : {}),
    details: { retryable, code: name, ...(failure.status === undefined ? {} : { status: failure.status }) },
  });
}

/**
 * Whether a failed request may still have done its work: the connection broke after the
 * request went out, or the service failed (5xx) midway. Throttling and other refusals (4xx)
 * did nothing; neither did a connection that was never made.
 */
export function mayHaveReachedService(error: unknown): boolean {
  const failure = classifyAwsFailure(error);
  if (failure.kind === 'network') return RETRYABLE_NETWORK.has(failure.code);
  return failure.kind === 'service' && (failure.status === undefined || failure.status >= 500) && !THROTTLED_NAMES.has(failure.name);
}
