import { formatDateDays, formatTimestampMicros, type ColumnType, type LoadRow, type LoadValue } from '@sparkify/core';

/** Postgres COPY text-format markers: NULL, and DEFAULT (Postgres 16+) for "use the column default". */
export const NULL_MARKER = '\\N';
export const DEFAULT_MARKER = '\\D';

type Encoder = (value: Exclude<LoadValue, null>) => string;

/**
 * Encodes converted rows (core's LoadValue conventions) as Postgres COPY text: tab-separated,
 * backslash escapes, `\N` for NULL. A NULL in a column with a DEFAULT is sent as `\D`, so the
 * default applies as it does when Redshift's COPY finds no value for the column.
 */
export function compileRowEncoder(columns: readonly { type: ColumnType; hasDefault: boolean }[]): (rows: readonly LoadRow[]) => string {
  const encoders = columns.map((column) => encoderFor(column.type));
  const nulls = columns.map((column) => (column.hasDefault ? DEFAULT_MARKER : NULL_MARKER));
  const width = columns.length;
  return (rows) => {
    const lines: string[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const fields: string[] = new Array(width);
      for (let i = 0; i < width; i++) {
        const value = row[i];
        fields[i] = value === null || value === undefined ? nulls[i]! : encoders[i]!(value);
      }
      lines[r] = fields.join('\t');
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  };
}

function encoderFor(type: ColumnType): Encoder {
  switch (type.kind) {
    case 'varchar':
    case 'char':
      return (value) => escapeText(String(value));
    case 'boolean':
      return (value) => (value === true || value === 'true' ? 't' : value === false || value === 'false' ? 'f' : String(value));
    case 'date':
      return (value) => (typeof value === 'number' ? formatDateDays(value) : String(value));
    case 'timestamp':
      return (value) => (typeof value === 'string' ? value : formatTimestampMicros(value as number | bigint));
    case 'timestamptz':
      return (value) => (typeof value === 'string' ? value : `${formatTimestampMicros(value as number | bigint)}+00`);
    default:
      return (value) => String(value);
  }
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;

function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}
