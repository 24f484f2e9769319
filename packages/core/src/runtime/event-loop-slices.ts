/**
 * Work done with synchronous system calls (listing 100,000 files, a few bytes of each) keeps
 * the event loop from everything else while it runs: another load's next statement, the reads
 * of a scan, progress. Such work calls `pause()` between its pieces, and gives the event loop a
 * turn once the current slice has run its time: the work stays fast (no round trip through
 * libuv's thread pool per piece), and the rest of the process keeps moving beside it.
 */
export class EventLoopSlices {
  private sliceStarted = performance.now();

  /**
   * 1 ms by default: each step of the other work (a DuckDB call, a read) waits for the slice
   * to end, and a load's first few statements over a fresh table took 15 ms each, not 1, beside
   * a listing in 4 ms slices. Turns are cheap (a setImmediate).
   */
  constructor(private readonly sliceMs = 1) {}

  /** A turn of the event loop when the slice is over (the next slice starts after it); otherwise nothing to wait for. */
  pause(): Promise<void> | undefined {
    if (performance.now() - this.sliceStarted < this.sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.sliceStarted = performance.now();
        resolve();
      }),
    );
  }
}
