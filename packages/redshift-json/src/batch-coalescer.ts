import type { ColumnSpec, RejectedRecord } from '@sparkify/core';
import { ColumnBatchBuilder, type ColumnarBatch } from './column-batch.js';

/**
 * Joins the small batches of small objects into full ones, in order: a song file holds one
 * record, and a sink pays as much per batch for one row as for 2,048 (10,000 one-row appends
 * took seconds). Batches of at least half the size pass as they are; smaller ones are copied.
 */
export class BatchCoalescer {
  private readonly pending: ColumnBatchBuilder;
  private rejected: RejectedRecord[] = [];

  constructor(columns: readonly ColumnSpec[], batchRows: number) {
    this.pending = new ColumnBatchBuilder(columns, batchRows);
  }

  /** The batches ready to hand on after this one, in order (none while it only joined the pending batch). */
  add({ batch, rejected }: ColumnarBatch): ColumnarBatch[] {
    const ready: ColumnarBatch[] = [];
    if (this.pending.rows + batch.rows > this.pending.capacity) ready.push(this.take());
    if (this.pending.rows === 0 && batch.rows * 2 >= this.pending.capacity) {
      ready.push({ batch, rejected: [...this.rejected.splice(0), ...rejected] });
      return ready;
    }
    this.pending.appendBatch(batch);
    this.rejected.push(...rejected);
    return ready;
  }

  /** What is pending, if anything. */
  flush(): ColumnarBatch | undefined {
    return this.pending.rows > 0 || this.rejected.length > 0 ? this.take() : undefined;
  }

  private take(): ColumnarBatch {
    const taken = { batch: this.pending.take(), rejected: this.rejected };
    this.rejected = [];
    return taken;
  }
}
