import {
  DuckDBDateValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBAppender,
} from '@duckdb/node-api';
import { PipelineError, type ColumnSpec, type ColumnType, type LoadRow, type LoadValue } from '@sparkify/core';

/**
 * How each column type is appended, as a small code per column: the hot loop switches on a
 * number instead of calling a different closure per column, which keeps it monomorphic.
 */
const enum Kind {
  SmallInt,
  Integer,
  BigInt,
  Real,
  Double,
  Text,
  Boolean,
  Date,
  Timestamp,
  TimestampTz,
}

const KINDS: Record<ColumnType['kind'], Kind> = {
  smallint: Kind.SmallInt,
  integer: Kind.Integer,
  bigint: Kind.BigInt,
  real: Kind.Real,
  double: Kind.Double,
  // Decimals come as exact text; DuckDB's VARCHAR → DECIMAL cast keeps every digit.
  decimal: Kind.Text,
  boolean: Kind.Boolean,
  varchar: Kind.Text,
  char: Kind.Text,
  date: Kind.Date,
  timestamp: Kind.Timestamp,
  timestamptz: Kind.TimestampTz,
};

const toBigInt = (value: LoadValue): bigint => (typeof value === 'bigint' ? value : BigInt(value as number));

/**
 * Appends converted rows (core's LoadValue shapes: timestamps as epoch microseconds, dates as
 * epoch days, decimals as text) through DuckDB's appender, one typed call per value.
 */
export class RowAppender {
  private readonly kinds: Uint8Array;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly ColumnSpec[],
  ) {
    this.kinds = Uint8Array.from(columns, (column) => KINDS[column.type.kind]);
  }

  /** Appends every row; a row the source got wrong throws an internal error naming its column. */
  appendRows(rows: readonly LoadRow[]): void {
    const { appender, kinds } = this;
    const width = kinds.length;
    let column = 0;
    let row: LoadRow | undefined;
    try {
      for (row of rows) {
        if (row.length !== width) throw new Error(`a row has ${row.length} values, the table ${width} columns`);
        for (column = 0; column < width; column++) {
          const value = row[column]!;
          if (value === null) {
            appender.appendNull();
            continue;
          }
          switch (kinds[column]) {
            case Kind.Text:
              appender.appendVarchar(value as string);
              break;
            case Kind.Integer:
              appender.appendInteger(value as number);
              break;
            case Kind.Double:
              appender.appendDouble(value as number);
              break;
            case Kind.Timestamp:
              appender.appendTimestamp(new DuckDBTimestampValue(toBigInt(value)));
              break;
            case Kind.SmallInt:
              appender.appendSmallInt(value as number);
              break;
            case Kind.BigInt:
              appender.appendBigInt(toBigInt(value));
              break;
            case Kind.Real:
              appender.appendFloat(value as number);
              break;
            case Kind.Boolean:
              appender.appendBoolean(value as boolean);
              break;
            case Kind.Date:
              appender.appendDate(new DuckDBDateValue(value as number));
              break;
            case Kind.TimestampTz:
              appender.appendTimestampTZ(new DuckDBTimestampTZValue(toBigInt(value)));
              break;
          }
        }
        appender.endRow();
      }
    } catch (error) {
      throw this.valueError(error, row, column);
    }
  }

  private valueError(error: unknown, row: LoadRow | undefined, index: number): PipelineError {
    const spec = this.columns[index];
    const value = row?.[index];
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : String(value);
    const where = spec ? ` for column ${spec.name} (${spec.type.kind}, got ${typeof value} ${shown})` : '';
    const reason = error instanceof Error ? error.message : String(error);
    return new PipelineError('internal', `the source gave a value the DuckDB appender cannot take${where}: ${reason}`, {
      cause: error,
      ...(spec ? { location: { field: spec.name } } : {}),
      hint: 'sources must convert values to the column types (see @sparkify/core model/values.ts); this is a bug in the source',
    });
  }
}
