import type { QueryValue } from '@sparkify/core';

/** RFC 4180 ends every record, the last one included, with CRLF. */
export const CSV_RECORD_END = '\r\n';

/** Characters that cannot separate fields: quoting and record ends give them their meaning. */
export const FORBIDDEN_DELIMITERS: readonly string[] = ['"', '\r', '\n'];

/**
 * One field, RFC 4180: a field holding the delimiter, a double quote, CR or LF is quoted and its
 * quotes doubled. NULL is an empty field and an empty string is `""`, so readers that tell them
 * apart (PostgreSQL's and Redshift's COPY … CSV, DuckDB's read_csv) read back what was written.
 * Numbers and booleans are written as the sink returned them; timestamps are already text.
 */
export function csvField(value: QueryValue, delimiter: string): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (text === '') return '""';
  const quote = text.includes(delimiter) || text.includes('"') || text.includes('\r') || text.includes('\n');
  return quote ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record: the fields joined by the delimiter, ended by CRLF. */
export function csvRecord(values: readonly QueryValue[], delimiter: string): string {
  return values.map((value) => csvField(value, delimiter)).join(delimiter) + CSV_RECORD_END;
}
