import type { ColumnSpec, TimeFormat } from '@sparkify/core';
import type { ColumnBatchBuilder } from './column-batch.js';
import { hexValue, SpanKind, type ValueSpans } from './flat-record-scanner.js';
import { type JsonValue, numberFromText } from './json-value.js';
import { convertAt } from './record-mapping.js';
import { compileValueConverter, type ValueConverter } from './value-conversion.js';

/**
 * Writes the values a FlatRecordScanner found straight from the line's bytes into a batch, for
 * the common cases whose result is plain (a short integer, a string within its column's length,
 * an epoch in range...). Every other value is built as the JsonValue the careful path would
 * build and goes through the same converter, so results and rejections are the careful path's.
 */
export class SpanWriter {
  private readonly fast: FastWrite[];
  private readonly converters: ValueConverter[];
  private readonly names: string[];

  constructor(columns: readonly ColumnSpec[], timeFormat: TimeFormat) {
    this.fast = columns.map((column, index) => fastWrite(column, timeFormat, index));
    this.converters = columns.map((column) => compileValueConverter(column, timeFormat));
    this.names = columns.map((column) => column.name);
  }

  /** Writes one row into `builder` (not committed); throws RecordRejection as the row mapper would. */
  write(builder: ColumnBatchBuilder, b: Buffer, spans: ValueSpans): void {
    const { kinds, starts, ends } = spans;
    for (let column = 0; column < this.fast.length; column++) {
      const kind = kinds[column]! as SpanKind;
      if (this.fast[column]!(builder, b, kind, starts[column]!, ends[column]!)) continue;
      builder.setValue(column, convertAt(this.converters[column]!, jsonValueOf(b, kind, starts[column]!, ends[column]!), this.names[column]!));
    }
  }
}

/** Writes a value the plain way and returns true, or returns false to leave it to the converter. */
type FastWrite = (builder: ColumnBatchBuilder, b: Buffer, kind: SpanKind, start: number, end: number) => boolean;

/** The value the careful path (JSON.parse, or the tokenizer) builds for a span. */
function jsonValueOf(b: Buffer, kind: SpanKind, start: number, end: number): JsonValue | undefined {
  switch (kind) {
    case SpanKind.Missing:
      return undefined;
    case SpanKind.Plain:
      return b.toString('utf8', start, end);
    case SpanKind.Escaped:
      return JSON.parse(b.toString('utf8', start - 1, end + 1)) as string;
    case SpanKind.Number:
      return numberFromText(b.toString('latin1', start, end));
    case SpanKind.True:
      return true;
    case SpanKind.False:
      return false;
    case SpanKind.Null:
      return null;
  }
}

function fastWrite(column: ColumnSpec, timeFormat: TimeFormat, index: number): FastWrite {
  const type = column.type;
  const nullable = column.nullable;
  const orNull = (write: FastWrite): FastWrite => (builder, b, kind, start, end) => {
    if (kind === SpanKind.Missing || kind === SpanKind.Null) {
      if (!nullable) return false;
      builder.setNull(index);
      return true;
    }
    return write(builder, b, kind, start, end);
  };
  switch (type.kind) {
    case 'varchar':
    case 'char':
      return orNull(stringWrite(index, type.length, type.kind === 'char'));
    case 'integer':
      return orNull(integerWrite(index, nullable));
    case 'bigint':
      return orNull(bigintWrite(index));
    case 'double':
      return orNull(doubleWrite(index));
    case 'timestamp':
    case 'timestamptz':
      if (timeFormat === 'auto') return orNull(() => false);
      return orNull(epochWrite(index, timeFormat === 'epochmillisecs' ? 1000 : 1000000));
    default:
      return orNull(() => false);
  }
}

/**
 * Character columns take a string's text, and a number's or boolean's JSON text (which is its
 * span): within the byte length, and ASCII only for CHAR. NUL and unpaired surrogates (only
 * possible through escapes) go to the converter, which rejects them.
 */
function stringWrite(index: number, limit: number, singleByte: boolean): FastWrite {
  return (builder, b, kind, start, end) => {
    if (kind === SpanKind.Escaped) {
      const target = builder.longTarget(index, end - start);
      const length = unescapeInto(b, start, end, target.bytes, target.at);
      if (length < 0 || length > limit || (singleByte && !isAscii(target.bytes, target.at, target.at + length))) return false;
      builder.finishLong(index, target.at, length);
      return true;
    }
    if (end - start > limit || (singleByte && !isAscii(b, start, end))) return false;
    builder.setBytes(index, b, start, end);
    return true;
  };
}

/** An integer's text, or a string of digits ("315"): at most 9 digits always fit INTEGER. */
function integerWrite(index: number, nullable: boolean): FastWrite {
  return (builder, b, kind, start, end) => {
    if (kind !== SpanKind.Number && kind !== SpanKind.Plain) return false;
    if (kind === SpanKind.Plain && start === end) {
      // An empty string loads NULL into a non-character column.
      if (!nullable) return false;
      builder.setNull(index);
      return true;
    }
    const value = smallInteger(b, start, end, 9);
    if (value === undefined) return false;
    builder.setInt32(index, value);
    return true;
  };
}

function bigintWrite(index: number): FastWrite {
  return (builder, b, kind, start, end) => {
    if (kind !== SpanKind.Number) return false;
    const value = smallInteger(b, start, end, 15);
    if (value === undefined) return false;
    builder.setInt64(index, value);
    return true;
  };
}

const MAX_DOUBLE = Number.MAX_VALUE;
const MIN_DOUBLE = Number.MIN_VALUE;

/** A number token read as a double: the converter's result whenever it is finite, non-zero and in range. */
function doubleWrite(index: number): FastWrite {
  return (builder, b, kind, start, end) => {
    if (kind !== SpanKind.Number) return false;
    const plain = plainDecimal(b, start, end);
    const value = plain === plain ? plain : Number(b.toString('latin1', start, end));
    const magnitude = Math.abs(value);
    if (!(magnitude >= MIN_DOUBLE && magnitude <= MAX_DOUBLE)) return false;
    builder.setFloat64(index, value);
    return true;
  };
}

/** An epoch integer (TIMEFORMAT 'epochmillisecs' / 'epochsecs') as microseconds, when they are a safe integer. */
function epochWrite(index: number, scale: number): FastWrite {
  return (builder, b, kind, start, end) => {
    if (kind !== SpanKind.Number) return false;
    const value = smallInteger(b, start, end, 15);
    if (value === undefined) return false;
    const micros = value * scale;
    if (!Number.isSafeInteger(micros)) return false;
    builder.setInt64(index, micros);
    return true;
  };
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * A number token of at most 15 digits and no exponent (`233.21506`, `1541016707796.0`), read
 * without making a string of it; NaN for any other. Its digits make an exact integer (below
 * 2^53) and 10^k is exact, so one division rounds once, as Number() rounds the decimal: the same
 * double (Clinger's fast path; tested against Number() on generated decimals).
 */
export function plainDecimal(b: Uint8Array, start: number, end: number): number {
  const negative = b[start] === 0x2d;
  let i = negative ? start + 1 : start;
  if (end - i > 16) return NaN;
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 0x2e && point < 0) {
      point = digits;
      continue;
    }
    const digit = c - 0x30;
    if (digit < 0 || digit > 9) return NaN;
    mantissa = mantissa * 10 + digit;
    digits++;
  }
  if (digits > 15) return NaN;
  const value = point < 0 ? mantissa : mantissa / POWERS_OF_TEN[digits - point]!;
  return negative ? -value : value;
}

/** `-?digits` of at most `maxDigits` digits as a number (-0 as 0), else undefined. */
function smallInteger(b: Uint8Array, start: number, end: number, maxDigits: number): number | undefined {
  const negative = b[start] === 0x2d;
  let i = negative ? start + 1 : start;
  if (i === end || end - i > maxDigits) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const digit = b[i]! - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return negative ? 0 - value : value;
}

function isAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) return false;
  return true;
}

const SIMPLE_ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };

/**
 * Unescapes a validated string body `b[start, end)` into `out` at `at` as UTF-8; returns its
 * length, or -1 for NUL or an unpaired surrogate (the converter's to reject).
 */
export function unescapeInto(b: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  let o = at;
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c !== 0x5c) {
      out[o++] = c;
      i++;
      continue;
    }
    if (b[i + 1] !== 0x75) {
      out[o++] = SIMPLE_ESCAPES[b[i + 1]!]!;
      i += 2;
      continue;
    }
    let code = hex4(b, i + 2);
    i += 6;
    if (code >= 0xd800 && code <= 0xdfff) {
      const low = code <= 0xdbff && b[i] === 0x5c && b[i + 1] === 0x75 ? hex4(b, i + 2) : -1;
      if (low < 0xdc00 || low > 0xdfff) return -1;
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      i += 6;
    }
    if (code === 0) return -1;
    o = writeUtf8(out, o, code);
  }
  return o - at;
}

function hex4(b: Uint8Array, i: number): number {
  return (hexValue(b[i]!) << 12) | (hexValue(b[i + 1]!) << 8) | (hexValue(b[i + 2]!) << 4) | hexValue(b[i + 3]!);
}

function writeUtf8(out: Uint8Array, o: number, code: number): number {
  if (code < 0x80) {
    out[o++] = code;
  } else if (code < 0x800) {
    out[o++] = 0xc0 | (code >> 6);
    out[o++] = 0x80 | (code & 0x3f);
  } else if (code < 0x10000) {
    out[o++] = 0xe0 | (code >> 12);
    out[o++] = 0x80 | ((code >> 6) & 0x3f);
    out[o++] = 0x80 | (code & 0x3f);
  } else {
    out[o++] = 0xf0 | (code >> 18);
    out[o++] = 0x80 | ((code >> 12) & 0x3f);
    out[o++] = 0x80 | ((code >> 6) & 0x3f);
    out[o++] = 0x80 | (code & 0x3f);
  }
  return o;
}
