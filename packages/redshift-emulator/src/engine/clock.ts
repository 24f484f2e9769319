/**
 * Time as the engine sees it: wall time for CreatedAt/UpdatedAt, a monotonic counter for
 * Duration, and timers for session expiry, WaitTimeSeconds and injected latency. Tests pass a
 * ManualClock (see testing.ts) so nothing waits on real time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Nanoseconds from an arbitrary origin, for durations. */
  monotonicNs(): bigint;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` after `ms`; the timer does not keep the process alive. */
  setTimer(ms: number, fn: () => void): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNs: () => process.hrtime.bigint(),
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
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
