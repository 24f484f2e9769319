import { formatDateDays, formatTimestampMicros, type ColumnType, type LoadRow, type LoadValue } from '@sparkify/core';
import type { CopyBuffer } from './copy-buffer.js';

/** Postgres COPY text-format markers: NULL, and DEFAULT (Postgres 16+) for "use the column default". */
export const NULL_MARKER = '\\N';
export const DEFAULT_MARKER = '\\D';

/** Writes one row of a COPY: its fields in target column order. */
export type RowWriter = (row: LoadRow, out: CopyBuffer) => void;

/**
 * Compiles the writer of converted rows (core's LoadValue conventions) as Postgres COPY text:
 * tab-separated, backslash escapes, `\N` for NULL. A NULL in a column with a DEFAULT is sent as
 * `\D`, so the default applies as it does when Redshift's COPY finds no value for the column.
 */
export function compileRowEncoder(columns: readonly { type: ColumnType; hasDefault: boolean }[]): RowWriter {
  const formats = columns.map((column) => formatterFor(column.type));
  const nulls = columns.map((column) => (column.hasDefault ? DEFAULT_MARKER : NULL_MARKER));
  const last = columns.length - 1;
  return (row, out) => {
    for (let i = 0; i <= last; i++) {
      const value = row[i];
      if (value === null || value === undefined) out.writeAscii(nulls[i]!);
      else out.writeString(formats[i]!(value), true);
      out.writeByte(i === last ? NEWLINE : TAB);
    }
    out.rows += 1;
  };
}

const TAB = 9;
const NEWLINE = 10;

/** The text of a value, in the form the column's input function reads. */
function formatterFor(type: ColumnType): (value: Exclude<LoadValue, null>) => string {
  switch (type.kind) {
    case 'varchar':
    case 'char':
      return (value) => (typeof value === 'string' ? value : String(value));
    case 'boolean':
      return (value) => (value === true || value === 'true' ? 't' : value === false || value === 'false' ? 'f' : String(value));
    case 'date':
      return (value) => (typeof value === 'number' ? formatDateDays(value) : String(value));
    case 'timestamp':
      return (value) => (typeof value === 'string' ? value : timestampText(value as number | bigint));
    case 'timestamptz':
      return (value) => (typeof value === 'string' ? value : `${timestampText(value as number | bigint)}+00`);
    default:
      return (value) => String(value);
  }
}

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Epoch microseconds as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), without Date objects: COPY formats
 * one per row, so this is on the load's hot path. Falls back to core's formatter out of range.
 */
export function timestampText(micros: number | bigint): string {
  if (typeof micros !== 'number' || !Number.isSafeInteger(micros)) return formatTimestampMicros(micros);
  const days = Math.floor(micros / MICROS_PER_DAY);
  let rest = micros - days * MICROS_PER_DAY;
  const hour = Math.floor(rest / 3_600_000_000);
  rest -= hour * 3_600_000_000;
  const minute = Math.floor(rest / 60_000_000);
  rest -= minute * 60_000_000;
  const second = Math.floor(rest / 1_000_000);
  const fraction = rest - second * 1_000_000;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1 || year > 9999) return formatTimestampMicros(micros);
  const base = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  return fraction === 0 ? base : `${base}.${pad(fraction, 6)}`;
}

function pad(value: number, width: number): string {
  const text = String(value);
  return text.length >= width ? text : '000000'.slice(0, width - text.length) + text;
}
