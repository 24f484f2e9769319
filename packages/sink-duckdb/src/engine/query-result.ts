import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';
import { formatDateDays, formatTimestampMicros, type QueryResult, type QueryValue } from '@sparkify/core';

type Convert = (value: DuckDBValue) => QueryValue;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers of any width: a number when it is exact, a bigint beyond 2^53. */
function integer(value: DuckDBValue): QueryValue {
  if (typeof value !== 'bigint') return value as number;
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/**
 * A REAL as the shortest decimal that reads back as the same float32, so 0.1 stays 0.1 (as
 * Redshift and Postgres print it) instead of the float64 widening 0.10000000149011612.
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

const MAX_JS_DATE_MICROS = 8_640_000_000_000_000_000n;

/** Epoch microseconds as core formats them; infinities and years beyond JS dates as DuckDB prints them. */
function timestamp(micros: bigint, finite: boolean, fallback: () => string): string {
  if (!finite || micros > MAX_JS_DATE_MICROS || micros < -MAX_JS_DATE_MICROS) return fallback();
  return formatTimestampMicros(micros);
}

function converterFor(typeId: DuckDBTypeId): Convert {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (value) => value as boolean;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return integer;
    case DuckDBTypeId.FLOAT:
      return (value) => shortestFloat32(value as number);
    case DuckDBTypeId.DOUBLE:
      return (value) => value as number;
    case DuckDBTypeId.DECIMAL:
      // Exact text with the column's scale ('12.50'), as Redshift prints NUMERIC.
      return (value) => (value as DuckDBDecimalValue).toString();
    case DuckDBTypeId.VARCHAR:
      return (value) => value as string;
    case DuckDBTypeId.DATE:
      return (value) => {
        const date = value as DuckDBDateValue;
        return date.isFinite && Math.abs(date.days) < 100_000_000 ? formatDateDays(date.days) : date.toString();
      };
    case DuckDBTypeId.TIMESTAMP:
      return (value) => {
        const ts = value as DuckDBTimestampValue;
        return timestamp(ts.micros, ts.isFinite, () => ts.toString());
      };
    case DuckDBTypeId.TIMESTAMP_TZ:
      // Always UTC, without an offset: the same text as TIMESTAMP on every sink.
      return (value) => {
        const ts = value as DuckDBTimestampTZValue;
        return timestamp(ts.micros, ts.isFinite, () => ts.toString());
      };
    case DuckDBTypeId.TIMESTAMP_S:
      return (value) => {
        const ts = value as DuckDBTimestampSecondsValue;
        return timestamp(ts.seconds * 1_000_000n, ts.isFinite, () => ts.toString());
      };
    case DuckDBTypeId.TIMESTAMP_MS:
      return (value) => {
        const ts = value as DuckDBTimestampMillisecondsValue;
        return timestamp(ts.millis * 1_000n, ts.isFinite, () => ts.toString());
      };
    case DuckDBTypeId.TIMESTAMP_NS:
      return (value) => {
        const ts = value as DuckDBTimestampNanosecondsValue;
        return timestamp(ts.nanos / 1_000n, ts.isFinite, () => ts.toString());
      };
    default:
      // TIME, INTERVAL, UUID, lists, structs...: DuckDB's own text, which is what SQL casts give.
      return (value) => String(value);
  }
}

/**
 * A materialized DuckDB result in core's QueryResult shape, values normalised as
 * core's model/values.ts documents. Repeated column names get DuckDB's `name:1` suffixes so no
 * value is lost in the row objects.
 */
export function toQueryResult(reader: DuckDBResultReader): QueryResult {
  const names = reader.deduplicatedColumnNames();
  const types = reader.columnTypes();
  const columns = reader.getColumns();
  const converters = types.map((type) => converterFor(type.typeId));
  const rows: Record<string, QueryValue>[] = [];
  for (let rowIndex = 0; rowIndex < reader.currentRowCount; rowIndex++) {
    const row: Record<string, QueryValue> = {};
    for (let columnIndex = 0; columnIndex < names.length; columnIndex++) {
      const value = columns[columnIndex]![rowIndex];
      row[names[columnIndex]!] = value === null || value === undefined ? null : converters[columnIndex]!(value);
    }
    rows.push(row);
  }
  return { columns: names.map((name, index) => ({ name, type: types[index]!.toString() })), rows };
}
