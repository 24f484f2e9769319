import type { ColumnType, LoadValue } from '@sparkify/core';
import type { CopyBuffer } from './copy-buffer.js';
import type { RowWriter } from './copy-text-encoder.js';

/**
 * Column types whose Postgres binary form holds exactly what their COPY text holds. Binary spares
 * Postgres its input functions: float8in alone (strtod on 128-bit soft floats in WASM) took a
 * third of PGlite's time on the event log. Left to text: REAL (rounding a double to float4 in JS
 * can differ from strtof of its text), DECIMAL (exact text), DATE (year 0000 loads in binary but
 * fails in text).
 */
const BINARY_KINDS: ReadonlySet<ColumnType['kind']> = new Set(['smallint', 'integer', 'bigint', 'double', 'boolean', 'varchar', 'char', 'timestamp', 'timestamptz']);

/** Whether a COPY into these columns can use the binary format: no DEFAULT (text's `\D` has no binary form) and binary-exact types. */
export function binaryEncodable(columns: readonly { type: ColumnType; hasDefault: boolean }[]): boolean {
  return columns.every((column) => !column.hasDefault && BINARY_KINDS.has(column.type.kind));
}

/** The binary COPY header: signature, flags, header extension length. */
export function writeBinaryHeader(out: CopyBuffer): void {
  for (const byte of SIGNATURE) out.writeByte(byte);
  out.writeInt32(0);
  out.writeInt32(0);
}

/** The binary COPY trailer: a field count of -1. */
export function writeBinaryTrailer(out: CopyBuffer): void {
  out.writeInt16(-1);
}

/** Compiles the writer of converted rows (core's LoadValue conventions) as binary COPY tuples. */
export function compileBinaryRowEncoder(columns: readonly { type: ColumnType }[]): RowWriter {
  const writers = columns.map((column) => fieldWriter(column.type));
  const count = columns.length;
  return (row, out) => {
    out.writeInt16(count);
    for (let i = 0; i < count; i++) {
      const value = row[i];
      if (value === null || value === undefined) out.writeInt32(-1);
      else writers[i]!(value, out);
    }
    out.rows += 1;
  };
}

const SIGNATURE = [...Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
/** Microseconds from 1970-01-01 to 2000-01-01, Postgres' timestamp epoch. */
const PG_EPOCH_MICROS = 946_684_800_000_000;

type FieldWriter = (value: Exclude<LoadValue, null>, out: CopyBuffer) => void;

function fieldWriter(type: ColumnType): FieldWriter {
  switch (type.kind) {
    case 'smallint':
      return (value, out) => fixed(out, 2).writeInt16(number(value, type));
    case 'integer':
      return (value, out) => fixed(out, 4).writeInt32(number(value, type));
    case 'bigint':
      return (value, out) => fixed(out, 8).writeInt64(typeof value === 'bigint' ? value : number(value, type));
    case 'double':
      // -0 as 0: the text form, String(-0), is "0".
      return (value, out) => fixed(out, 8).writeFloat64(number(value, type) + 0);
    case 'boolean':
      return (value, out) => fixed(out, 1).writeByte(boolean(value, type) ? 1 : 0);
    case 'timestamp':
    case 'timestamptz':
      return (value, out) => fixed(out, 8).writeInt64(typeof value === 'bigint' ? value - BigInt(PG_EPOCH_MICROS) : number(value, type) - PG_EPOCH_MICROS);
    default:
      return (value, out) => {
        const at = out.length;
        out.writeInt32(0);
        out.patchInt32(at, out.writeString(typeof value === 'string' ? value : String(value), false));
      };
  }
}

/** Writes a field's length, for the field that follows it. */
function fixed(out: CopyBuffer, bytes: number): CopyBuffer {
  out.writeInt32(bytes);
  return out;
}

function number(value: Exclude<LoadValue, null>, type: ColumnType): number {
  if (typeof value === 'number') return value;
  throw new TypeError(`a ${type.kind} value must be a number to COPY, not ${typeof value}`);
}

function boolean(value: Exclude<LoadValue, null>, type: ColumnType): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TypeError(`a ${type.kind} value must be a boolean to COPY, not ${typeof value}`);
}
