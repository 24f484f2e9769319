/**
 * A value on its way into a table, already converted to the column's type:
 * - smallint/integer: number; bigint: number when safe, else bigint;
 * - real/double: number; decimal: string (exact text);
 * - boolean: boolean; varchar/char: string;
 * - date: number of days since 1970-01-01;
 * - timestamp/timestamptz: number of microseconds since 1970-01-01T00:00:00Z.
 */
export type LoadValue = string | number | bigint | boolean | null;

/** A row in target column order. */
export type LoadRow = LoadValue[];

/**
 * A value read back from a warehouse, the same shape on every sink:
 * integers as number (bigint beyond 2^53), floats as number, decimals as string,
 * timestamps as `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC, trailing zeros trimmed, as Redshift prints
 * them), dates as `YYYY-MM-DD`, booleans as boolean.
 */
export type QueryValue = string | number | bigint | boolean | null;

export interface QueryColumn {
  name: string;
  /** The sink's own type name, informative only. */
  type: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  rows: Record<string, QueryValue>[];
}

/** Formats epoch microseconds the way QueryValue documents timestamps. */
export function formatTimestampMicros(micros: number | bigint): string {
  const big = BigInt(micros);
  const MICROS = 1_000_000n;
  let seconds = big / MICROS;
  let fraction = big % MICROS;
  if (fraction < 0n) {
    fraction += MICROS;
    seconds -= 1n;
  }
  const iso = new Date(Number(seconds) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (fraction === 0n) return base;
  return `${base}.${fraction.toString().padStart(6, '0').replace(/0+$/, '')}`;
}

/** Formats days since epoch as `YYYY-MM-DD`. */
export function formatDateDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
