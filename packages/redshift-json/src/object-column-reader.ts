import { type ColumnSpec, type RejectedRecord, throwIfAborted, type TimeFormat } from '@sparkify/core';
import { type ColumnBatch, ColumnBatchBuilder, type ColumnChunk, type ColumnarBatch } from './column-batch.js';
import { decompressed } from './decompress.js';
import { FlatRecordScanner } from './flat-record-scanner.js';
import { RecordReader } from './json-record-reader.js';
import type { JsonRecordEvent } from './json-tokenizer.js';
import { type LinePiece, LineSplitter, type PieceSink, toBuffer } from './line-splitter.js';
import { countBytes, type ObjectToRead, rejectedOrThrow, takeBytes, unreadRecord } from './object-reader.js';
import { compileRowMapper, type RecordMapping, type RowMapper } from './record-mapping.js';
import { SpanWriter } from './span-conversion.js';

/** What a columnar read needs to know; plain data, so that a worker thread can be sent it. */
export interface ColumnPlan {
  columns: ColumnSpec[];
  mapping: RecordMapping;
  timeFormat: TimeFormat;
  batchRows: number;
}

/**
 * A ColumnPlan made ready to read with: what every object of a read shares (compiled once, not
 * per object: a read of 10,000 song files would compile 10,000 times). Rows are written
 * synchronously, line by line, so objects read at once on one thread can share it.
 */
export interface CompiledPlan {
  columns: ColumnSpec[];
  batchRows: number;
  mapper: RowMapper;
  /** The flat-record fast path, when every column reads one top-level key. */
  fast: { scanner: FlatRecordScanner; writer: SpanWriter } | undefined;
}

export function compileColumnPlan(plan: ColumnPlan): CompiledPlan {
  const keys = flatKeys(plan.mapping, plan.columns);
  return {
    columns: plan.columns,
    batchRows: plan.batchRows,
    mapper: compileRowMapper(plan.mapping, plan.columns, plan.timeFormat),
    fast: keys && { scanner: new FlatRecordScanner(keys), writer: new SpanWriter(plan.columns, plan.timeFormat) },
  };
}

/** Lines longer than this take the careful path (the fast path is for ordinary records). */
const FAST_LINE_BYTES = 64 * 1024;

/**
 * Reads one object's stored bytes into ColumnChunks of at most `batchRows` rows, as
 * readObjectChunks reads it into rows (same records, rows, rejections and line numbers), handing
 * each to `push` (which may wait: the back-pressure). The last chunk may hold no rows. For a
 * parse on a worker thread: the main thread parses in order into one shared BatchAssembler.
 */
export async function readObjectColumns(
  stored: AsyncIterable<Uint8Array>,
  object: ObjectToRead,
  plan: CompiledPlan,
  push: (chunk: ColumnChunk) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const counter = { bytes: 0 };
  const assembler = new BatchAssembler(plan.columns, plan.batchRows);
  const reader = new ColumnReader(object.uri, plan, assembler);
  // This object's own assembler: a stretch is cut exactly when its batch is full.
  const chunk = ({ rejected, bytes, records, batches }: ColumnStretch): ColumnChunk => ({ batch: batches[0]!.batch, rejected, bytes, records });
  for await (const bytes of decompressed(countBytes(stored, counter), object.uri, object.mode)) {
    throwIfAborted(signal);
    reader.read(toBuffer(bytes));
    // Bytes are counted per input chunk: charge them to the next chunk handed on.
    reader.charge(takeBytes(counter));
    for (const stretch of reader.takeCut()) await push(chunk(stretch));
  }
  const stretches = reader.end(takeBytes(counter));
  const last = stretches.pop()!;
  for (const stretch of stretches) await push(chunk(stretch));
  await push({ batch: assembler.takeLast(), rejected: last.rejected, bytes: last.bytes, records: last.records });
}

/**
 * A stretch of one object, as readObjectChunks cuts it (every `batchRows` rows of the object,
 * and its end): what it read, for progress and maxErrors, and the batches its rows completed.
 */
export interface ColumnStretch {
  rejected: RejectedRecord[];
  bytes: number;
  records: number;
  batches: ColumnarBatch[];
}

/**
 * Rows of consecutive objects, in order, into one ColumnBatchBuilder: a batch each time it is
 * full (a song file holds one record; a sink pays as much per batch for one row as for 2,048).
 */
export class BatchAssembler {
  readonly builder: ColumnBatchBuilder;
  private rejected: RejectedRecord[] = [];
  private ready: ColumnarBatch[] = [];

  constructor(columns: readonly ColumnSpec[], batchRows: number, initialRows?: number) {
    this.builder = new ColumnBatchBuilder(columns, batchRows, initialRows);
  }

  commitRow(): void {
    this.builder.commitRow();
    if (this.builder.full) this.ready.push(this.cut(this.builder.take()));
  }

  reject(record: RejectedRecord): void {
    this.rejected.push(record);
  }

  /** The batches completed since the last call. */
  takeReady(): ColumnarBatch[] {
    if (this.ready.length === 0) return NONE;
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /**
   * A batch made elsewhere (a worker's), after what is pending: the batches to hand on. A batch
   * without rows hands on nothing; its rejections join the pending ones.
   */
  pass({ batch, rejected }: ColumnarBatch): ColumnarBatch[] {
    if (batch.rows === 0) {
      for (const record of rejected) this.rejected.push(record);
      return NONE;
    }
    const passed = this.builder.rows > 0 ? [this.cut(this.builder.take())] : [];
    const pending = this.rejected;
    this.rejected = [];
    passed.push({ batch, rejected: pending.length > 0 ? [...pending, ...rejected] : rejected });
    return passed;
  }

  /** What is pending (rows or rejections), if anything; the builder is done with. */
  flush(): ColumnarBatch | undefined {
    return this.builder.rows > 0 || this.rejected.length > 0 ? this.cut(this.builder.takeLast()) : undefined;
  }

  /** The pending rows as the builder's last batch (an object's last batch, on a worker). */
  takeLast(): ColumnBatch {
    return this.builder.takeLast();
  }

  private cut(batch: ColumnBatch): ColumnarBatch {
    const rejected = this.rejected;
    this.rejected = [];
    return { batch, rejected };
  }
}

const NONE: ColumnarBatch[] = [];

/**
 * One object's lines into a BatchAssembler (its own, or one shared by consecutive objects): the
 * flat-record fast path where it applies, else records and the row mapper. Cuts a stretch every
 * `capacity` rows of the object, and at its end.
 */
export class ColumnReader implements PieceSink {
  private readonly splitter = new LineSplitter(1024 * 1024);
  private readonly records = new RecordReader();
  private readonly builder: ColumnBatchBuilder;
  private readonly events: JsonRecordEvent[] = [];
  private cutStretches: ColumnStretch[] = [];
  private rejected: RejectedRecord[] = [];
  private recordCount = 0;
  private rows = 0;
  private bytes = 0;

  constructor(
    private readonly uri: string,
    private readonly plan: CompiledPlan,
    private readonly assembler: BatchAssembler,
  ) {
    this.builder = assembler.builder;
  }

  read(bytes: Buffer): void {
    this.splitter.push(bytes, this);
  }

  /** The object's end (`bytes` stored bytes not charged yet): the stretches left, its last one last. */
  end(bytes: number): ColumnStretch[] {
    this.splitter.end(this);
    this.records.finish(this.events);
    this.takeEvents();
    this.bytes += bytes;
    this.cut();
    return this.takeCut();
  }

  charge(bytes: number): void {
    this.bytes += bytes;
  }

  /** The stretches cut since the last call. */
  takeCut(): ColumnStretch[] {
    if (this.cutStretches.length === 0) return NO_STRETCHES;
    const cut = this.cutStretches;
    this.cutStretches = [];
    return cut;
  }

  /** PieceSink: a piece of a line for the careful path. */
  push(piece: LinePiece): void {
    this.records.piece(piece, this.events);
    this.takeEvents();
  }

  /** PieceSink: a whole line offered to the fast path. */
  wholeLine(block: Buffer, start: number, end: number, line: number): boolean {
    const fast = this.plan.fast;
    if (!fast || end - start > FAST_LINE_BYTES || !this.records.betweenRecords || !fast.scanner.scan(block, start, end)) return false;
    this.records.recordRead();
    this.recordCount++;
    try {
      fast.writer.write(this.builder, block, fast.scanner);
      this.commitRow();
    } catch (error) {
      this.reject(error, line);
    }
    return true;
  }

  private takeEvents(): void {
    for (const event of this.events) {
      this.recordCount++;
      if (event.kind === 'error') {
        this.rejectRecord(unreadRecord(this.uri, event));
        continue;
      }
      try {
        const row = this.plan.mapper(event.value);
        for (let column = 0; column < row.length; column++) this.builder.setValue(column, row[column]!);
        this.commitRow();
      } catch (error) {
        this.reject(error, event.line);
      }
    }
    this.events.length = 0;
  }

  private commitRow(): void {
    this.assembler.commitRow();
    if (++this.rows === this.builder.capacity) this.cut();
  }

  private reject(error: unknown, line: number): void {
    this.builder.rollbackRow();
    this.rejectRecord(rejectedOrThrow(this.uri, line, error));
  }

  private rejectRecord(record: RejectedRecord): void {
    this.rejected.push(record);
    this.assembler.reject(record);
  }

  private cut(): void {
    this.cutStretches.push({ rejected: this.rejected, bytes: this.bytes, records: this.recordCount, batches: this.assembler.takeReady() });
    this.rejected = [];
    this.bytes = 0;
    this.recordCount = 0;
    this.rows = 0;
  }
}

const NO_STRETCHES: ColumnStretch[] = [];

/** The top-level key each column reads, when every column reads one ('auto', or JSONPaths like $['a'] / $.a); else undefined. */
function flatKeys(mapping: RecordMapping, columns: readonly ColumnSpec[]): string[] | undefined {
  if (mapping.mode === 'auto') return columns.map((column) => column.name);
  if (mapping.mode !== 'jsonpaths' || mapping.file.expressions.length !== columns.length) return undefined;
  const keys: string[] = [];
  for (const expression of mapping.file.expressions) {
    const [first, ...rest] = expression.segments;
    if (first?.kind !== 'key' || rest.length > 0) return undefined;
    keys.push(first.name);
  }
  return keys;
}
