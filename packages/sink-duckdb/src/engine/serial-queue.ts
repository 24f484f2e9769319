/**
 * Runs tasks one at a time, in call order. A DuckDB connection runs one statement at a time and
 * holds one transaction, so every use of the sink's connection goes through one of these: steps
 * that run concurrently take turns instead of interleaving inside each other's work.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
