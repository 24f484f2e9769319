import {
  InputDataError,
  PipelineError,
  formatDateDays,
  formatTimestampMicros,
  type ColumnSpec,
  type ColumnType,
  type LoadRow,
  type LoadValue,
  type TableSpec,
} from '@sparkify/core';
import { quoteRedshiftIdentifier, quoteRedshiftLiteral } from '../dialect/redshift-dialect.js';

/**
 * The largest statement the client-side load sends. The Data API takes at most 100 KB of SQL
 * per statement; the rest is headroom for multi-byte characters and the request around it.
 */
export const MAX_INSERT_BYTES = 90_000;

const NUMERIC_TEXT = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A LoadValue (core's model/values.ts) as a Redshift SQL literal for its column: numbers as
 * numerals, decimals as their exact text, dates and timestamps as quoted text Redshift casts on
 * insert, strings through the dialect's escaper.
 */
export function sqlLiteral(value: LoadValue, column: ColumnSpec): string {
  if (value === null) return 'NULL';
  const type = column.type;
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return integerLiteral(value, column);
    case 'real':
    case 'double':
      return floatLiteral(value, column, type);
    case 'decimal':
      return numericLiteral(value, column);
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(value, column);
      return value ? 'TRUE' : 'FALSE';
    case 'varchar':
    case 'char':
      return quoteRedshiftLiteral(String(value));
    case 'date':
      return typeof value === 'number' ? quoteRedshiftLiteral(formatDateDays(value)) : quoteRedshiftLiteral(String(value));
    case 'timestamp':
      return typeof value === 'string' ? quoteRedshiftLiteral(value) : quoteRedshiftLiteral(formatTimestampMicros(timestampMicros(value, column)));
    case 'timestamptz':
      return typeof value === 'string' ? quoteRedshiftLiteral(value) : quoteRedshiftLiteral(`${formatTimestampMicros(timestampMicros(value, column))}+00`);
  }
}

function integerLiteral(value: LoadValue, column: ColumnSpec): string {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  throw mismatch(value, column);
}

function floatLiteral(value: LoadValue, column: ColumnSpec, type: ColumnType): string {
  if (typeof value !== 'number') return numericLiteral(value, column);
  if (Number.isFinite(value)) return String(value);
  const text = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return `CAST(${quoteRedshiftLiteral(text)} AS ${type.kind === 'real' ? 'REAL' : 'DOUBLE PRECISION'})`;
}

function numericLiteral(value: LoadValue, column: ColumnSpec): string {
  const text = String(value);
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' || (typeof value === 'string' && NUMERIC_TEXT.test(value))) return text;
  throw mismatch(value, column);
}

function timestampMicros(value: LoadValue, column: ColumnSpec): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  throw mismatch(value, column);
}

function mismatch(value: LoadValue, column: ColumnSpec): PipelineError {
  return new PipelineError('internal', `the source gave ${typeof value} ${String(value)} for ${column.name} (${column.type.kind}), not the shape core's LoadValue documents`, {
    hint: 'this is a bug in the source: values must arrive converted to their column type',
  });
}

/**
 * Rows as `INSERT INTO t (cols) VALUES (...), (...)` statements, each at most `maxBytes` of SQL.
 * A single row too large for one statement is an error naming it: that data needs a COPY.
 */
export function* insertStatements(table: TableSpec, rows: readonly LoadRow[], maxBytes = MAX_INSERT_BYTES): Generator<{ sql: string; rows: number }> {
  const head = `INSERT INTO ${quoteRedshiftIdentifier(table.name)} (${table.columns.map((c) => quoteRedshiftIdentifier(c.name)).join(', ')}) VALUES\n`;
  const headBytes = Buffer.byteLength(head, 'utf8');
  let tuples: string[] = [];
  let bytes = headBytes;
  for (const row of rows) {
    const tuple = `(${table.columns.map((column, index) => sqlLiteral(row[index] ?? null, column)).join(', ')})`;
    const size = Buffer.byteLength(tuple, 'utf8') + 2;
    if (headBytes + size > maxBytes) {
      throw new InputDataError(`a row for ${table.name} needs ${size} bytes of SQL, more than one Data API statement carries (${maxBytes})`, {
        hint: 'load data this wide from S3 (a source-s3.json source), so Redshift COPYs it server-side',
      });
    }
    if (bytes + size > maxBytes) {
      yield { sql: head + tuples.join(',\n'), rows: tuples.length };
      tuples = [];
      bytes = headBytes;
    }
    tuples.push(tuple);
    bytes += size;
  }
  if (tuples.length > 0) yield { sql: head + tuples.join(',\n'), rows: tuples.length };
}
