import { throwIfAborted } from '@sparkify/core';
import type { ColumnarBatch, ColumnChunk } from './column-batch.js';
import { decompressed } from './decompress.js';
import { toBuffer } from './line-splitter.js';
import { BatchAssembler, type ColumnPlan, ColumnReader, type ColumnStretch, type CompiledPlan, compileColumnPlan } from './object-column-reader.js';
import { countBytes, type ObjectToRead, takeBytes } from './object-reader.js';
import { ParsePool } from './parse-pool.js';

/**
 * What the producer of one object hands the consuming side: a chunk parsed on a worker thread,
 * or decompressed bytes for the consuming side to parse (`stored`: the stored bytes read for
 * them). An object's bytes end with an item marked `last` (`rest`: stored bytes read after them).
 */
export type ColumnItem =
  | { kind: 'chunk'; chunk: ColumnChunk }
  | { kind: 'bytes'; bytes: Buffer | undefined; stored: number; last: false }
  | { kind: 'bytes'; bytes: Buffer | undefined; stored: number; last: true; rest: number };

/** Reads one object into ColumnItems, handing each to `push` (which waits while the consumer is behind). */
export type ColumnProducer = (stored: AsyncIterable<Uint8Array>, object: ObjectToRead & { size: number }, push: (item: ColumnItem) => Promise<void>, signal: AbortSignal) => Promise<void>;

/**
 * Objects larger than `workerBytes` are parsed on the process's worker threads (ParsePool); the
 * rest only read and decompressed, for the ColumnConsumer to parse: a worker costs a few messages
 * per object, more than parsing a song file of a few hundred bytes takes. Where workers cannot
 * start, every object is parsed by the consumer.
 */
export function columnProducer(
  plan: ColumnPlan,
  workerBytes: number,
  /** ObjectStore.transferableChunks of the store every object comes from. */
  transferable = false,
): ColumnProducer {
  return async (stored, object, push, signal) => {
    const pool = object.size > workerBytes ? await ParsePool.shared() : undefined;
    if (pool) return pool.parse(stored, object, plan, (chunk) => push({ kind: 'chunk', chunk }), signal, transferable);
    const counter = { bytes: 0 };
    // One piece held back, so that a small object (one piece) is one item.
    let held: { bytes: Buffer; stored: number } | undefined;
    for await (const bytes of decompressed(countBytes(stored, counter), object.uri, object.mode)) {
      throwIfAborted(signal);
      const piece = { bytes: toBuffer(bytes), stored: takeBytes(counter) };
      if (held) await push({ kind: 'bytes', ...held, last: false });
      held = piece;
    }
    await push({ kind: 'bytes', bytes: held?.bytes, stored: held?.stored ?? 0, last: true, rest: takeBytes(counter) });
  };
}

/**
 * The consuming side of a columnar read: takes the items of each object in key order, parses
 * bytes in order into one shared BatchAssembler (no batch per object, no copy), and passes the
 * workers' batches on after what it holds. Gives stretches as readObjectChunks cuts chunks.
 */
export class ColumnConsumer {
  private readonly plan: CompiledPlan;
  private readonly assembler: BatchAssembler;
  private reader: ColumnReader | undefined;

  constructor(plan: ColumnPlan) {
    this.plan = compileColumnPlan(plan);
    // Filled batch after batch: each batch's buffers start full size.
    this.assembler = new BatchAssembler(plan.columns, plan.batchRows, plan.batchRows);
  }

  /** The stretches an item of object `uri` completes, in order (parsing it synchronously). */
  take(item: ColumnItem, uri: string): ColumnStretch[] {
    if (item.kind === 'chunk') {
      const { batch, rejected, bytes, records } = item.chunk;
      return [{ rejected, bytes, records, batches: this.assembler.pass({ batch, rejected }) }];
    }
    const reader = (this.reader ??= new ColumnReader(uri, this.plan, this.assembler));
    if (item.bytes) reader.read(item.bytes);
    reader.charge(item.stored);
    if (!item.last) return reader.takeCut();
    this.reader = undefined;
    const cut = reader.takeCut();
    const rest = reader.end(item.rest);
    return cut.length === 0 ? rest : [...cut, ...rest];
  }

  /** What is pending once every object is taken, if anything. */
  flush(): ColumnarBatch | undefined {
    return this.assembler.flush();
  }
}
