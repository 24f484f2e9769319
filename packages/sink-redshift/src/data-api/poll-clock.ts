/** Time as the statement poller sees it; tests pass one that never waits on real time. */
export interface PollClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemPollClock: PollClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** How DescribeStatement is polled: fast at first (most statements finish in milliseconds), then less often, never without a deadline. */
export interface PollingOptions {
  /**
   * The wait before the second poll (the first is immediate); doubles after each poll. Default 2:
   * most statements finish in milliseconds, and the doubling keeps long ones to a poll or two a second.
   */
  firstPollIntervalMs: number;
  /** The longest wait between two polls. Default 1000. */
  maxPollIntervalMs: number;
  /** How long a statement may run before it is cancelled and reported. Default 3 hours. */
  statementTimeoutMs: number;
}

export const DEFAULT_POLLING: PollingOptions = {
  firstPollIntervalMs: 2,
  maxPollIntervalMs: 1000,
  statementTimeoutMs: 3 * 60 * 60 * 1000,
};

/** The successive waits between polls: 2, 4, 8, ... up to the maximum. */
export function* pollDelays(options: PollingOptions): Generator<number> {
  let delay = Math.max(1, options.firstPollIntervalMs);
  for (;;) {
    yield delay;
    delay = Math.min(delay * 2, Math.max(delay, options.maxPollIntervalMs));
  }
}
