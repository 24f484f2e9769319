import { type ColumnSpec, type RejectedRecord, throwIfAborted, type TimeFormat } from '@sparkify/core';
import { type ColumnBatch, ColumnBatchBuilder, type ColumnChunk } from './column-batch.js';
import { decompressed } from './decompress.js';
import { FlatRecordScanner } from './flat-record-scanner.js';
import { RecordReader } from './json-record-reader.js';
import type { JsonRecordEvent } from './json-tokenizer.js';
import { JsonPathIndexError } from './jsonpaths.js';
import { type LinePiece, LineSplitter, type PieceSink, toBuffer } from './line-splitter.js';
import { countBytes, jsonPathFailure, type ObjectToRead, rejection, takeBytes } from './object-reader.js';
import { compileRowMapper, RecordRejection, type RecordMapping, type RowMapper } from './record-mapping.js';
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
 * each to `push` (which may wait: the back-pressure). The last chunk may hold no rows.
 */
export async function readObjectColumns(
  stored: AsyncIterable<Uint8Array>,
  object: ObjectToRead,
  plan: CompiledPlan,
  push: (chunk: ColumnChunk) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const counter = { bytes: 0 };
  const reader = new ColumnReader(object.uri, plan);
  for await (const bytes of decompressed(countBytes(stored, counter), object.uri, object.mode)) {
    throwIfAborted(signal);
    reader.read(toBuffer(bytes));
    // Bytes are counted per input chunk: charge them to the next chunk handed on.
    reader.charge(takeBytes(counter));
    for (const chunk of reader.takeFull()) await push(chunk);
  }
  reader.end();
  reader.charge(takeBytes(counter));
  for (const chunk of reader.takeFull()) await push(chunk);
  await push(reader.takeRest());
}

/** One object's lines into column batches: the flat-record fast path where it applies, else records and the row mapper. */
class ColumnReader implements PieceSink {
  private readonly splitter = new LineSplitter(1024 * 1024);
  private readonly records = new RecordReader();
  private readonly builder: ColumnBatchBuilder;
  private readonly events: JsonRecordEvent[] = [];
  private readonly full: ColumnChunk[] = [];
  private rejected: RejectedRecord[] = [];
  private recordCount = 0;
  private bytes = 0;

  constructor(
    private readonly uri: string,
    private readonly plan: CompiledPlan,
  ) {
    this.builder = new ColumnBatchBuilder(plan.columns, plan.batchRows);
  }

  read(bytes: Buffer): void {
    this.splitter.push(bytes, this);
  }

  end(): void {
    this.splitter.end(this);
    this.records.finish(this.events);
    this.takeEvents();
  }

  charge(bytes: number): void {
    this.bytes += bytes;
  }

  takeFull(): ColumnChunk[] {
    return this.full.splice(0);
  }

  /** The last chunk: what is left. */
  takeRest(): ColumnChunk {
    return this.cut(this.builder.takeLast());
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
        this.rejected.push({ file: this.uri, line: event.line, value: event.excerpt, reason: event.reason });
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
    this.builder.commitRow();
    if (this.builder.full) this.full.push(this.cut(this.builder.take()));
  }

  private reject(error: unknown, line: number): void {
    this.builder.rollbackRow();
    if (error instanceof RecordRejection) this.rejected.push(rejection(this.uri, line, error));
    else if (error instanceof JsonPathIndexError) throw jsonPathFailure(this.uri, line, error);
    else throw error;
  }

  private cut(batch: ColumnBatch): ColumnChunk {
    const chunk: ColumnChunk = { batch, rejected: this.rejected, bytes: this.bytes, records: this.recordCount };
    this.rejected = [];
    this.bytes = 0;
    this.recordCount = 0;
    return chunk;
  }
}

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
