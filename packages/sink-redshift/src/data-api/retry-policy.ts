import { CancelledError, PipelineError, WarehouseError } from '@sparkify/core';
import type { PollClock } from './poll-clock.js';

/**
 * How a failed Data API call is tried again: exponential backoff with full jitter, bounded in
 * attempts and in time. The sink is the only retry layer (the SDK client's own retries are
 * off), so these bounds are the whole story.
 */
export interface RetryOptions {
  /** Attempts per call, the first included; 1 turns retries off. Default 10. */
  maxAttempts: number;
  /** The longest first backoff; the bound doubles after each failed attempt. Default 100. */
  baseDelayMs: number;
  /** The bound never grows past this. Default 20 000. */
  maxDelayMs: number;
  /** No attempt starts later than this after the first one. Default 120 000. */
  totalMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 10,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
  totalMs: 120_000,
};

/** A retry about to happen, for observers (tests, figures). */
export interface RetryEvent {
  /** The Data API operation, e.g. `DescribeStatement`, or `statement` for a whole statement run again. */
  operation: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  /** The backoff before the next attempt. */
  delayMs: number;
  error: PipelineError;
}

/** What the retry loop needs besides the work: time, chance, limits, the run's signal. */
export interface RetryContext {
  clock: PollClock;
  /** Uniform in [0, 1); Math.random outside tests. */
  random: () => number;
  options: RetryOptions;
  operation: string;
  /** Whether another attempt may get past this error. */
  retryable: (error: PipelineError) => boolean;
  /** Aborts a backoff at once (CancelledError); absent for work that must finish, such as cancelling. */
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * The backoff after `failures` failed attempts, "full jitter": uniform in
 * [0, min(maxDelayMs, baseDelayMs · 2^(failures-1))). Spreads the retries of many clients that
 * were throttled together (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function backoffDelay(failures: number, options: RetryOptions, random: () => number): number {
  const bound = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(failures - 1, 40));
  return Math.floor(random() * bound);
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable, or the bounds
 * are reached: then the last error is thrown, saying how many attempts were made. An abort of
 * the context's signal during a backoff ends the call at once with CancelledError.
 */
export async function retrying<T>(attempt: (n: number) => Promise<T>, context: RetryContext): Promise<T> {
  const { clock, options } = context;
  const started = clock.now();
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof PipelineError) || !context.retryable(error)) throw error;
      const delayMs = backoffDelay(n, options, context.random);
      const elapsed = clock.now() - started;
      if (n >= options.maxAttempts || elapsed + delayMs > options.totalMs) throw gaveUp(error, n, elapsed, options);
      context.onRetry?.({ operation: context.operation, attempt: n, delayMs, error });
      try {
        await clock.sleep(delayMs, context.signal);
      } catch (reason) {
        throw new CancelledError(`cancelled while waiting to retry ${context.operation}`, { cause: reason, location: error.location });
      }
      if (context.signal?.aborted) throw new CancelledError(`cancelled while waiting to retry ${context.operation}`, { cause: context.signal.reason, location: error.location });
    }
  }
}

/** The last error of a call whose retries ran out, with the count and the settings that bound them. */
function gaveUp(error: PipelineError, attempts: number, elapsedMs: number, options: RetryOptions): PipelineError {
  if (attempts === 1) return error;
  const bound = attempts >= options.maxAttempts ? `maxAttempts ${options.maxAttempts}` : `retryTotalSeconds ${options.totalMs / 1000}`;
  return new WarehouseError(`${error.message} (gave up after ${attempts} attempts in ${(elapsedMs / 1000).toFixed(1)} s)`, {
    cause: error,
    location: error.location,
    hint: `${error.hint ? `${error.hint}. ` : ''}The retries stopped at ${bound}; raise it in the sink's config if the service needs longer to recover.`,
    details: { ...(isRecord(error.details) ? error.details : {}), attempts },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
