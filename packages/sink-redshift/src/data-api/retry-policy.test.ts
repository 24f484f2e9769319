import { CancelledError, InputDataError, WarehouseError } from '@sparkify/core';
import { VirtualPollClock } from '../testing.js';
import { backoffDelay, DEFAULT_RETRY, retrying, type RetryContext, type RetryOptions } from './retry-policy.js';

const options: RetryOptions = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000, totalMs: 60_000 };
const retryable = (): WarehouseError => new WarehouseError('throttled', { details: { retryable: true } });

function context(overrides: Partial<RetryContext> = {}): RetryContext & { clock: VirtualPollClock } {
  return {
    clock: new VirtualPollClock(),
    random: () => 0.5,
    options,
    operation: 'ExecuteStatement',
    retryable: (error) => (error.details as { retryable?: boolean } | undefined)?.retryable === true,
    ...overrides,
  } as RetryContext & { clock: VirtualPollClock };
}

/** Fails `failures` times with `error`, then answers `ok`. */
function flaky(failures: number, error: () => Error = retryable) {
  let calls = 0;
  const attempt = async (): Promise<string> => {
    calls += 1;
    if (calls <= failures) throw error();
    return 'ok';
  };
  return { attempt, calls: () => calls };
}

describe('backoffDelay (full jitter)', () => {
  it('is random below a bound that starts at the base and doubles up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options, () => 0.5))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(1000, options, () => 0.5)).toBe(500);
  });

  it('has sane defaults: 10 attempts, 100 ms doubling to 20 s, 2 minutes in all', () => {
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 20_000, totalMs: 120_000 });
  });
});

describe('retrying', () => {
  it('retries a retryable failure after each backoff and returns the first success', async () => {
    const { attempt, calls } = flaky(3);
    const ctx = context();
    const events: number[] = [];
    expect(await retrying(attempt, { ...ctx, onRetry: (e) => events.push(e.attempt) })).toBe('ok');
    expect(calls()).toBe(4);
    expect(ctx.clock.sleeps).toEqual([50, 100, 200]);
    expect(events).toEqual([1, 2, 3]);
  });

  it('throws an error that is not retryable at once, without waiting', async () => {
    const { attempt, calls } = flaky(3, () => new InputDataError('bad record'));
    const ctx = context();
    await expect(retrying(attempt, ctx)).rejects.toBeInstanceOf(InputDataError);
    const notOurs = flaky(3, () => new TypeError('a bug'));
    await expect(retrying(notOurs.attempt, ctx)).rejects.toBeInstanceOf(TypeError);
    expect(calls() + notOurs.calls()).toBe(2);
    expect(ctx.clock.sleeps).toEqual([]);
  });

  it('stops at maxAttempts and says so', async () => {
    const { attempt, calls } = flaky(100);
    const error = await retrying(attempt, context()).catch((caught: unknown) => caught);
    expect(calls()).toBe(6);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({
      message: expect.stringMatching(/^throttled \(gave up after 6 attempts in \d+\.\d s\)$/),
      hint: expect.stringContaining('maxAttempts 6'),
      details: { retryable: true, attempts: 6 },
    });
  });

  it('starts no attempt after the total time, whatever the attempts left', async () => {
    const { attempt, calls } = flaky(1000);
    const ctx = context({ options: { maxAttempts: 1000, baseDelayMs: 1000, maxDelayMs: 1000, totalMs: 5000 }, random: () => 0.9999 });
    const error = await retrying(attempt, ctx).catch((caught: unknown) => caught);
    expect(ctx.clock.sleeps).toEqual([999, 999, 999, 999, 999]);
    expect(ctx.clock.now()).toBeLessThanOrEqual(5000);
    expect(calls()).toBe(6);
    expect(error).toMatchObject({ hint: expect.stringContaining('retryTotalSeconds 5') });
  });

  it('ends at once with CancelledError when the signal aborts during a backoff', async () => {
    const controller = new AbortController();
    const { attempt, calls } = flaky(100);
    const ctx = context({ signal: controller.signal, onRetry: () => controller.abort(new Error('SIGINT')) });
    const error = await retrying(attempt, ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ message: 'cancelled while waiting to retry ExecuteStatement' });
    expect(calls()).toBe(1);
    expect(ctx.clock.sleeps).toEqual([]);
  });

  it('with maxAttempts 1 never retries, and the error is the call\'s own', async () => {
    const { attempt, calls } = flaky(1);
    const error = await retrying(attempt, context({ options: { ...options, maxAttempts: 1 } })).catch((caught: unknown) => caught);
    expect(calls()).toBe(1);
    expect(error).toMatchObject({ message: 'throttled' });
  });
});
