import { CancelledError } from '@sparkify/core';

/**
 * A bounded single-producer/single-consumer queue: `push` waits while it is full, so a producer
 * that runs ahead of its consumer holds at most `capacity` items.
 */
export class Channel<T> {
  private readonly items: T[] = [];
  private closed = false;
  private failure: { error: unknown } | undefined;
  private cancelled = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly capacity: number) {}

  /** Waits for room, then queues the item. Throws CancelledError once the consumer cancelled. */
  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.cancelled) {
      await new Promise<void>((resolve) => {
        this.wakeProducer = resolve;
      });
    }
    if (this.cancelled) throw new CancelledError('reader stopped');
    this.items.push(item);
    this.wake('consumer');
  }

  close(): void {
    this.closed = true;
    this.wake('consumer');
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.wake('consumer');
  }

  /** The consumer is gone: a waiting or later push throws. */
  cancel(): void {
    this.cancelled = true;
    this.items.length = 0;
    this.wake('producer');
  }

  /** The next item, or undefined once closed and drained. Rethrows the producer's failure. */
  async next(signal?: AbortSignal): Promise<T | undefined> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift()!;
        this.wake('producer');
        return item;
      }
      if (this.failure) throw this.failure.error;
      if (this.closed) return undefined;
      await this.waitForProducer(signal);
    }
  }

  private waitForProducer(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('cancelled', { cause: signal.reason }));
        return;
      }
      const onAbort = (): void => reject(new CancelledError('cancelled', { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wakeConsumer = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  private wake(side: 'consumer' | 'producer'): void {
    const wake = side === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (side === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    wake?.();
  }
}
