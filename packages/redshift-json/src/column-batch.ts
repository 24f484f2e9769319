import type { ColumnSpec, ColumnType, LoadValue, ReadOptions, RejectedRecord, Source } from '@sparkify/core';

/**
 * Converted rows in columns, laid out the way DuckDB's vectors hold them (the C API's data
 * chunk): a sink copies each column into a vector in one call instead of one call per value.
 * Every buffer is its own ArrayBuffer, so a batch moves between threads without a copy.
 *
 * - fixed-width columns: `data` holds `rows` little-endian values (int16/32/64, float32/64,
 *   uint8 booleans, int32 dates, int64 timestamps, decimals as scaled integers);
 * - character columns: `data` holds a 16-byte duckdb_string_t per row: the byte length, then
 *   strings of up to 12 bytes inline (zero-padded); a longer string's slot is left for the sink
 *   to fill from `long` (its row, and its bytes between `ends[i - 1]` and `ends[i]`);
 * - `validity`: bit r of the little-endian 64-bit words is set when row r is not NULL.
 */
export interface ColumnBatch {
  rows: number;
  columns: ColumnData[];
}

export interface ColumnData {
  data: Uint8Array;
  validity: Uint8Array;
  long?: LongStrings;
}

export interface LongStrings {
  count: number;
  rows: Uint32Array;
  ends: Uint32Array;
  bytes: Uint8Array;
}

/** What a columnar read yields: a batch, and the records of the same stretch that were rejected. */
export interface ColumnarBatch {
  batch: ColumnBatch;
  rejected: RejectedRecord[];
}

/** A batch of one stretch of one object, with what that stretch rejected. */
export interface ColumnChunk {
  batch: ColumnBatch;
  rejected: RejectedRecord[];
  /** Stored bytes read since the previous chunk of the same object. */
  bytes: number;
  /** Records read (loaded or rejected). */
  records: number;
}

/** The most rows a batch holds: DuckDB's vector size, so that one batch is one data chunk. */
export const MAX_BATCH_ROWS = 2048;

/** How a column is stored; `width` is bytes per row in `data`. */
export type ColumnLayout =
  | { kind: 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'bool' | 'date' | 'timestamp'; width: number }
  | { kind: 'string'; width: 16 }
  | { kind: 'decimal'; width: number; scale: number };

export function columnLayout(type: ColumnType): ColumnLayout {
  switch (type.kind) {
    case 'smallint':
      return { kind: 'int16', width: 2 };
    case 'integer':
      return { kind: 'int32', width: 4 };
    case 'bigint':
      return { kind: 'int64', width: 8 };
    case 'real':
      return { kind: 'float32', width: 4 };
    case 'double':
      return { kind: 'float64', width: 8 };
    case 'boolean':
      return { kind: 'bool', width: 1 };
    case 'date':
      return { kind: 'date', width: 4 };
    case 'timestamp':
    case 'timestamptz':
      return { kind: 'timestamp', width: 8 };
    case 'varchar':
    case 'char':
      return { kind: 'string', width: 16 };
    case 'decimal':
      return { kind: 'decimal', width: decimalWidth(type.precision), scale: type.scale };
  }
}

/** DuckDB stores DECIMAL(p, s) as a 16-, 32-, 64- or 128-bit integer by its precision. */
function decimalWidth(precision: number): number {
  if (precision <= 4) return 2;
  if (precision <= 9) return 4;
  if (precision <= 18) return 8;
  return 16;
}

const TWO_32 = 4294967296;
const INITIAL_ROWS = 32;
const INLINE_BYTES = 12;

/**
 * Builds one ColumnBatch a row at a time. Each row sets every column once (a value or NULL),
 * then `commitRow`; `rollbackRow` forgets a row half-written when the record is rejected.
 */
export class ColumnBatchBuilder {
  rows = 0;
  readonly capacity: number;
  private readonly layouts: ColumnLayout[];
  private columns: ColumnBuffers[] = [];
  /** Rows the current buffers have room for. */
  private allocated = 0;
  private readonly initialRows: number;

  /**
   * `initialRows`: rows each batch's buffers start with, grown as rows come (default 32: small
   * objects, a song file holds one record, are common); a builder that fills batch after batch
   * starts at `capacity`.
   */
  constructor(columns: readonly ColumnSpec[], capacity = MAX_BATCH_ROWS, initialRows = INITIAL_ROWS) {
    this.capacity = Math.min(capacity, MAX_BATCH_ROWS);
    this.initialRows = Math.max(1, initialRows);
    this.layouts = columns.map((column) => columnLayout(column.type));
    this.reset();
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  setNull(column: number): void {
    const validity = this.columns[column]!.validity;
    validity[this.rows >> 3]! &= ~(1 << (this.rows & 7));
  }

  setInt32(column: number, value: number): void {
    this.columns[column]!.view.setInt32(this.rows * 4, value, true);
  }

  setFloat64(column: number, value: number): void {
    this.columns[column]!.view.setFloat64(this.rows * 8, value, true);
  }

  /** A safe integer (or bigint) as int64. */
  setInt64(column: number, value: number | bigint): void {
    const view = this.columns[column]!.view;
    const at = this.rows * 8;
    if (typeof value === 'bigint') {
      view.setBigInt64(at, value, true);
      return;
    }
    const high = Math.floor(value / TWO_32);
    view.setUint32(at, value - high * TWO_32, true);
    view.setInt32(at + 4, high, true);
  }

  /** UTF-8 bytes `source[start, end)` as the row's string. */
  setBytes(column: number, source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const target = this.stringSlot(column, length);
    if (target >= 0) {
      const data = this.columns[column]!.data;
      for (let i = 0; i < length; i++) data[target + i] = source[start + i]!;
      return;
    }
    const long = this.columns[column]!.long!;
    const at = long.reserve(length);
    // A loop, not set(subarray()): a view allocated and a native call per string cost more at these lengths.
    const bytes = long.bytes;
    for (let i = 0; i < length; i++) bytes[at + i] = source[start + i]!;
    long.add(this.rows, at + length);
  }

  setString(column: number, text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    const target = this.stringSlot(column, length);
    if (target >= 0) {
      this.columns[column]!.data.write(text, target, length, 'utf8');
      return;
    }
    const long = this.columns[column]!.long!;
    const at = long.reserve(length);
    long.bytes.write(text, at, length, 'utf8');
    long.add(this.rows, at + length);
  }

  /**
   * Room for a long string written in place (unescaped as it is copied): `finishLong` then keeps
   * it, inline when it turned out short. Returns the buffer and where to write.
   */
  longTarget(column: number, maxLength: number): { bytes: Buffer; at: number } {
    const long = this.columns[column]!.long!;
    const at = long.reserve(maxLength); // may grow (replace) the buffer: read it after
    return { bytes: long.bytes, at };
  }

  finishLong(column: number, at: number, length: number): void {
    const long = this.columns[column]!.long!;
    const target = this.stringSlot(column, length);
    if (target < 0) {
      long.add(this.rows, at + length);
      return;
    }
    long.bytes.copy(this.columns[column]!.data, target, at, at + length);
  }

  /** A converted value (core's LoadValue shapes) into its column. */
  setValue(column: number, value: LoadValue): void {
    if (value === null) {
      this.setNull(column);
      return;
    }
    const layout = this.layouts[column]!;
    const view = this.columns[column]!.view;
    const at = this.rows * layout.width;
    switch (layout.kind) {
      case 'int16':
        view.setInt16(at, value as number, true);
        break;
      case 'int32':
      case 'date':
        view.setInt32(at, value as number, true);
        break;
      case 'int64':
      case 'timestamp':
        this.setInt64(column, value as number | bigint);
        break;
      case 'float32':
        view.setFloat32(at, value as number, true);
        break;
      case 'float64':
        view.setFloat64(at, value as number, true);
        break;
      case 'bool':
        view.setUint8(at, value ? 1 : 0);
        break;
      case 'string':
        this.setString(column, value as string);
        break;
      case 'decimal':
        writeScaled(view, at, layout.width, BigInt((value as string).replace('.', '')));
        break;
    }
  }

  commitRow(): void {
    this.rows++;
    this.makeRoom(this.rows + 1);
  }

  /** Forgets what the current row wrote: its NULL bits and its long strings. */
  rollbackRow(): void {
    const row = this.rows;
    for (const column of this.columns) {
      column.validity[row >> 3]! |= 1 << (row & 7);
      column.long?.dropFrom(row);
    }
  }

  /** The rows so far, as a batch; the builder starts an empty one. */
  take(): ColumnBatch {
    const batch = this.takeLast();
    this.reset();
    return batch;
  }

  /** The rows so far, as the builder's last batch: no new one is allocated (an object's last batch, often its only one). */
  takeLast(): ColumnBatch {
    const rows = this.rows;
    const batch: ColumnBatch = { rows, columns: this.columns.map((column, index) => column.finish(rows, this.layouts[index]!.width)) };
    this.columns = [];
    return batch;
  }

  private reset(): void {
    this.rows = 0;
    this.allocated = Math.min(this.capacity, this.initialRows);
    this.columns = this.layouts.map((layout) => new ColumnBuffers(layout.width, this.allocated, layout.kind === 'string' ? new LongStringBuffer() : undefined));
  }

  /** Buffers for `rows` rows (within capacity), grown by at least four times at once. */
  private makeRoom(rows: number): void {
    if (rows <= this.allocated || this.allocated === this.capacity) return;
    this.allocated = Math.min(this.capacity, Math.max(rows, this.allocated * 4));
    for (const [index, column] of this.columns.entries()) this.columns[index] = column.grown(this.allocated, this.layouts[index]!.width);
  }

  /** Writes the length of a string; returns where its inline bytes go, or -1 when it is long. */
  private stringSlot(column: number, length: number): number {
    const buffers = this.columns[column]!;
    const at = this.rows * 16;
    buffers.view.setUint32(at, length, true);
    if (length > INLINE_BYTES) return -1;
    // Zero the inline bytes (a rejected row may have left some): DuckDB compares them whole.
    // Three stores, not Buffer#fill, a native call that cost 3% of a parse worker's time.
    buffers.view.setUint32(at + 4, 0);
    buffers.view.setUint32(at + 8, 0);
    buffers.view.setUint32(at + 12, 0);
    return at + 4;
  }
}

function writeScaled(view: DataView, at: number, width: number, scaled: bigint): void {
  if (width === 2) view.setInt16(at, Number(scaled), true);
  else if (width === 4) view.setInt32(at, Number(scaled), true);
  else if (width === 8) view.setBigInt64(at, scaled, true);
  else {
    view.setBigUint64(at, BigInt.asUintN(64, scaled), true);
    view.setBigInt64(at + 8, scaled >> 64n, true);
  }
}

/** One column's buffers while a batch is built. */
class ColumnBuffers {
  readonly data: Buffer;
  readonly view: DataView;
  readonly validity: Uint8Array;
  readonly long: LongStringBuffer | undefined;

  constructor(width: number, rows: number, long: LongStringBuffer | undefined) {
    this.data = Buffer.alloc(rows * width);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    this.validity = new Uint8Array(Math.ceil(rows / 64) * 8).fill(0xff);
    this.long = long;
  }

  /** The same column with room for `rows` rows. */
  grown(rows: number, width: number): ColumnBuffers {
    const grown = new ColumnBuffers(width, rows, this.long);
    this.data.copy(grown.data);
    grown.validity.set(this.validity);
    return grown;
  }

  finish(rows: number, width: number): ColumnData {
    const column: ColumnData = { data: ownBuffer(this.data, rows * width), validity: ownBuffer(this.validity, Math.ceil(rows / 64) * 8) };
    if (this.long && this.long.count > 0) column.long = this.long.finish();
    return column;
  }
}

/** Strings too long to inline: their rows, end offsets and bytes, growing as needed. */
class LongStringBuffer {
  count = 0;
  bytes = Buffer.alloc(1024);
  private rows: Uint32Array = new Uint32Array(16);
  private ends: Uint32Array = new Uint32Array(16);
  private used = 0;

  /** Makes room for `length` more bytes; returns where they go. */
  reserve(length: number): number {
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    return this.used;
  }

  add(row: number, end: number): void {
    if (this.count === this.rows.length) {
      this.rows = grow(this.rows);
      this.ends = grow(this.ends);
    }
    this.rows[this.count] = row;
    this.ends[this.count++] = end;
    this.used = end;
  }

  dropFrom(row: number): void {
    while (this.count > 0 && this.rows[this.count - 1]! >= row) this.count--;
    this.used = this.count > 0 ? this.ends[this.count - 1]! : 0;
  }

  finish(): LongStrings {
    return { count: this.count, rows: this.rows.slice(0, this.count), ends: this.ends.slice(0, this.count), bytes: ownBuffer(this.bytes, this.used) };
  }
}

function grow(array: Uint32Array): Uint32Array {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/**
 * The first `length` bytes, still in the source's ArrayBuffer: the builder's buffers are its own
 * (Buffer.alloc never pools) and replaced after each batch, so a batch can be transferred.
 */
function ownBuffer(source: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(source.buffer, source.byteOffset, length);
}

/** A source that can also read converted rows as column batches (JsonObjectSource does). */
export interface ColumnarSource extends Source {
  readColumns(options: ReadOptions): AsyncIterable<ColumnarBatch>;
}

export function isColumnarSource(source: Source): source is ColumnarSource {
  return typeof (source as Partial<ColumnarSource>).readColumns === 'function';
}
