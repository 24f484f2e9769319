import { isAbortError, PipelineError } from '@sparkify/core';

/**
 * What went wrong in an AWS SDK call, by kind, so each package maps it to its own typed error
 * without repeating the SDK's error shapes:
 * - `pipeline`: already one of ours (our credential provider's ConfigError);
 * - `aborted`: the run's signal;
 * - `credentials`: the SDK's credential chain found nothing;
 * - `network`: the endpoint did not answer (refused, unknown host, timeout);
 * - `service`: the service answered with an error (`name` is its code, e.g. NoSuchBucket).
 */
export type AwsFailure =
  | { kind: 'pipeline'; error: PipelineError }
  | { kind: 'aborted' }
  | { kind: 'credentials'; message: string }
  | { kind: 'network'; code: string; message: string }
  | { kind: 'service'; name: string; message: string; status?: number; retryable: boolean };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

const WRAPPED_NAME = /^AWS SDK error wrapper for (\w+): /;

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function classifyAwsFailure(error: unknown, signal?: AbortSignal): AwsFailure {
  if (error instanceof PipelineError) return { kind: 'pipeline', error };
  if (signal?.aborted || isAbortError(error)) return { kind: 'aborted' };
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const message = typeof shape.message === 'string' && shape.message ? shape.message : String(error);
  // The SDK's retry layer re-wraps errors from another realm (jest's vm contexts) as a message
  // only: `AWS SDK error wrapper for TimeoutError: socket hang up`, or `… for Error: connect
  // ECONNREFUSED …`. The wrapped error's name is then the message's, and its code in the text.
  const name = WRAPPED_NAME.exec(message)?.[1] ?? (typeof shape.name === 'string' ? shape.name : 'Error');
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') return { kind: 'credentials', message };
  const code = typeof shape.code === 'string' ? shape.code : [...NETWORK_CODES].find((candidate) => message.includes(` ${candidate} `) || message.endsWith(` ${candidate}`));
  if (code && NETWORK_CODES.has(code)) return { kind: 'network', code, message };
  if (name === 'TimeoutError' || (code && /TIMEOUT/i.test(code))) return { kind: 'network', code: code ?? name, message };
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const retryable = shape.$retryable !== undefined || shape.$fault === 'server' || status === 429 || /Throttl|SlowDown|RequestLimitExceeded/.test(name);
  return { kind: 'service', name, message, ...(status === undefined ? {} : { status }), retryable };
}
