import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { CancelledError, isAbortError, throwIfAborted } from '@sparkify/core';

/** Bytes handed to the stream at a time. */
export const CHUNK_BYTES = 1 << 20;

/**
 * A file written in large chunks through a stream, waiting for 'drain' when the stream's
 * buffer is full (backpressure), so memory stays at a few chunks whatever the file's size.
 * Callers write bytes straight into the current chunk (`reserve`, `commit`), which is several times faster
 * than building and encoding strings.
 */
export class ChunkedFileWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private bytes = 0;
  private readonly stream: WriteStream;

  constructor(
    readonly path: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.stream = createWriteStream(path, { highWaterMark: 4 * CHUNK_BYTES });
    // Errors surface from flush/close; this keeps an early one from being unhandled.
    this.stream.on('error', () => undefined);
  }

  /** Bytes handed to the stream so far. */
  get bytesWritten(): number {
    return this.bytes;
  }

  /**
   * The current chunk, with room for at least `maxBytes` from `position`. Write into it, then
   * `commit` the position after the last byte written; call `flush` when `full` says so.
   */
  reserve(maxBytes: number): Buffer {
    if (maxBytes > this.chunk.length - this.used) {
      if (this.used > 0) this.ready.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, maxBytes));
      this.used = 0;
    }
    return this.chunk;
  }

  get position(): number {
    return this.used;
  }

  commit(position: number): void {
    if (position < this.used || position > this.chunk.length) throw new RangeError(`bad commit position ${position}`);
    this.used = position;
  }

  get full(): boolean {
    return this.ready.length > 0;
  }

  async flush(): Promise<void> {
    throwIfAborted(this.signal);
    if (this.used > 0) {
      this.ready.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      this.used = 0;
    }
    for (const chunk of this.ready.splice(0)) {
      this.bytes += chunk.length;
      if (!this.stream.write(chunk)) await this.waitFor('drain');
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.guard(finished(this.stream));
  }

  /** Stops writing and closes the file (after an error or a cancel). */
  destroy(): void {
    this.stream.destroy();
  }

  private async waitFor(event: string): Promise<void> {
    await this.guard(once(this.stream, event, this.signal ? { signal: this.signal } : {}));
  }

  private async guard<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      if (isAbortError(error) || this.signal?.aborted) throw new CancelledError('cancelled', { cause: error });
      throw error;
    }
  }
}

/**
 * Runs `task` over `items` with at most `concurrency` in flight; stops at the first failure
 * or when the signal aborts. Results are not collected: tasks write files.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let nextIndex = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && nextIndex < items.length) {
      throwIfAborted(signal);
      const index = nextIndex++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, worker);
  const outcomes = await Promise.allSettled(workers);
  const rejection = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (rejection) throw rejection.reason;
}
