import type { ColumnSpec, TimeFormat } from '@sparkify/core';
import { quoteDuckDbLiteral, renderDuckDbType } from '../dialect/duckdb-dialect.js';

/**
 * COPY's value conversions (redshift-json's value-conversion.ts is the specification) as DuckDB
 * SQL, for the server-side load. Each column's input is the *text* DuckDB's JSON reader gives
 * for the value when asked for VARCHAR: a string's decoded characters, a number's text as yyjson
 * prints it (`1e3` comes out as `1000.0`, `-0` as `0`, `1.50` as `1.5`), `true`/`false`, an
 * object or array as compact JSON, SQL NULL for null or a missing key.
 *
 * From that text each column gets a value and an `ok` condition. `ok` is false both for a
 * record COPY would reject and for a value whose outcome the text cannot decide (the number
 * text was reprinted, so `1.50` into VARCHAR, `-0` into BOOLEAN or an underflowing `1e-400`
 * into DOUBLE are unknowable). A load with any row not ok is not loaded server-side: the
 * client path loads it and reports each rejected record exactly. So `ok` must never be true
 * where the client path would reject or load a different value; it may be false more often.
 */

/** A column's value and whether it is certainly what the client path would load. */
export interface ColumnSql {
  value: string;
  ok: string;
}

/** A column type or time format this SQL cannot convert exactly; the load goes client-side. */
export interface UnsupportedColumn {
  unsupported: string;
}

/** JavaScript's blank test in isBlank(): only these six characters, any number of them. */
const BLANK = `'[ \\t\\r\\n\\f\\v]*'`;
/** INTEGER_TEXT: an optional minus and ASCII digits (no sign, spaces, exponent or fraction). */
const INTEGER_TEXT = `'-?[0-9]+'`;
/** FLOAT_TEXT. */
const FLOAT_TEXT = `'-?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?'`;
/** A plain decimal, the most common FLOAT_TEXT: digits, a point, digits. */
const PLAIN_DECIMAL = `'-?[0-9]+\\.[0-9]+'`;
/** TRUE_TEXT / FALSE_TEXT in any ASCII case (toLowerCase of non-ASCII never yields these letters). */
const TRUE_TEXT = `'[tT]|[tT][rR][uU][eE]|[yY]|[yY][eE][sS]|1'`;
const FALSE_TEXT = `'[fF]|[fF][aA][lL][sS][eE]|[nN]|[nN][oO]|0'`;
/**
 * Text a *number* may have been reprinted to, so that the original text is unknown: a zero
 * (`-0` prints as `0`), anything with a fraction or an exponent. (NaN/Infinity literals, which
 * DuckDB reads and COPY does not, never get here: the raw-text check declines the load first.)
 */
const REPRINTED_NUMBER = `'0|-?[0-9]+(?:\\.[0-9]+)?[eE][+-]?[0-9]+|-?[0-9]+\\.[0-9]+'`;

/** Largest |epoch value| whose microseconds stay a safe JS integer (checkedMicros: years 1685-2255). */
const EPOCH_LIMIT = { epochmillisecs: 9007199254740n, epochsecs: 9007199254n } as const;
const EPOCH_MICROS = { epochmillisecs: 1000, epochsecs: 1000000 } as const;

const isBlank = (text: string) => `regexp_full_match(${text}, ${BLANK})`;

/**
 * The value and ok condition of a column, from `text` (an SQL expression of the VARCHAR text;
 * reference a column, it appears several times) and `cast` (a name to give the typed value in
 * a layer of its own, see castOf).
 */
export function columnSql(column: ColumnSpec, timeFormat: TimeFormat, text: string, cast: string): ColumnSql | UnsupportedColumn {
  const converted = convert(column, timeFormat, text, cast);
  if ('unsupported' in converted || column.nullable) return converted;
  // A NOT NULL column rejects what converts to NULL ("Missing data for not-null field").
  return { value: converted.value, ok: `(${converted.ok}) AND (${converted.value}) IS NOT NULL` };
}

/**
 * What columnSql needs computed first, in a layer below (so that it is computed once): the
 * TRY_CAST of the text to the type the conversion parses, or undefined when it needs none.
 */
export function castOf(column: ColumnSpec, timeFormat: TimeFormat, text: string): string | undefined {
  switch (column.type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return `TRY_CAST(${text} AS ${renderDuckDbType(column.type)})`;
    case 'real':
    case 'double':
      return `TRY_CAST(${text} AS DOUBLE)`;
    case 'timestamp':
      return timeFormat === 'auto' ? undefined : `TRY_CAST(${text} AS BIGINT)`;
    default:
      return undefined;
  }
}

function convert(column: ColumnSpec, timeFormat: TimeFormat, t: string, x: string): ColumnSql | UnsupportedColumn {
  const type = column.type;
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return integerSql(t, x);
    case 'double':
      return floatSql(t, x, 'DOUBLE', 'true');
    case 'real':
      // Range checks on the double, then one rounding to float, as appendFloat(Number(text)) does.
      return floatSql(t, x, 'REAL', `abs(${x}) <= 3.4028234663852886e38 AND (${x} = 0 OR abs(${x}) >= 1.401298464324817e-45)`);
    case 'boolean':
      return booleanSql(t);
    case 'varchar':
      return characterSql(t, type.length, false);
    case 'char':
      return characterSql(t, type.length, true);
    case 'timestamp':
      if (timeFormat === 'auto') return { unsupported: `TIMEFORMAT 'auto' text timestamps (column ${column.name})` };
      return epochSql(t, x, timeFormat);
    case 'timestamptz':
      return { unsupported: `TIMESTAMPTZ (column ${column.name})` };
    case 'decimal':
      return { unsupported: `DECIMAL (column ${column.name}): exponent and fraction digits of a reprinted number are unknown` };
    case 'date':
      return { unsupported: `DATE (column ${column.name})` };
  }
}

/**
 * integerConverter: `-?digits` in range, blank → NULL. The common case is decided by the cast
 * printing back the same text; leading zeros and `-0` take the regular expression.
 */
function integerSql(t: string, x: string): ColumnSql {
  return {
    value: x,
    ok:
      `CASE WHEN ${t} IS NULL THEN true WHEN ${x} IS NULL THEN ${isBlank(t)} ` +
      `WHEN CAST(${x} AS VARCHAR) = ${t} THEN true ELSE regexp_full_match(${t}, ${INTEGER_TEXT}) END`,
  };
}

/**
 * floatConverter: decimal/exponent text, finite, in range, no underflow; a zero loads as +0.
 * The text `0.0`/`-0.0` is what a JSON number that underflowed (`1e-400`, rejected) prints as,
 * so it is never certain. The common case, a nonzero plain decimal (`233.21506`), is decided by
 * a simple pattern: it is FLOAT_TEXT, and not an underflow (30 ms less per 1M values than
 * printing the double back and comparing).
 */
function floatSql(t: string, x: string, target: 'DOUBLE' | 'REAL', range: string): ColumnSql {
  const zeroed = `CASE WHEN ${x} = 0 THEN CAST(0 AS DOUBLE) ELSE ${x} END`;
  const underflow = `(${x} = 0 AND regexp_matches(regexp_replace(${t}, '[eE].*$', ''), '[1-9]'))`;
  return {
    value: target === 'DOUBLE' ? zeroed : `CAST(${zeroed} AS REAL)`,
    ok:
      `CASE WHEN ${t} IS NULL THEN true WHEN ${x} IS NULL THEN ${isBlank(t)} WHEN NOT isfinite(${x}) THEN false ` +
      `WHEN ${x} <> 0 AND regexp_full_match(${t}, ${PLAIN_DECIMAL}) THEN ${range} ` +
      `WHEN ${t} IN ('0.0', '-0.0') THEN false ` +
      `ELSE regexp_full_match(${t}, ${FLOAT_TEXT}) AND NOT ${underflow} AND ${range} END`,
  };
}

/** booleanConverter; the text `0` may be a reprinted `-0` (rejected), so it is never certain. */
function booleanSql(t: string): ColumnSql {
  const isTrue = `regexp_full_match(${t}, ${TRUE_TEXT})`;
  const isFalse = `regexp_full_match(${t}, ${FALSE_TEXT})`;
  return {
    value: `CASE WHEN ${isTrue} THEN true WHEN ${isFalse} THEN false END`,
    ok: `${t} IS NULL OR ${isBlank(t)} OR ${isTrue} OR (${isFalse} AND ${t} <> '0')`,
  };
}

/**
 * characterConverter: the text as is, at most `length` UTF-8 bytes, CHAR single-byte only. (A
 * NUL can only come from a `\u0000` escape, which the raw-text check declines.) A string's text
 * is exact; a number's or an object's may have been reprinted, so text that looks like one is
 * never certain (a title "1.5" sends the load client-side, which is slower but exact). Only
 * values starting with a digit, a minus or a bracket are looked at closer.
 */
function characterSql(t: string, length: number, singleByte: boolean): ColumnSql {
  // String comparisons on the first byte (cheap; DuckDB plans a long IN list as a join). `< ':'`
  // takes in some punctuation besides '-' and the digits; the regular expression then says no.
  const bracket = `((${t} >= '[' AND ${t} < '\\') OR (${t} >= '{' AND ${t} < '|'))`;
  const suspicious = `(${t} < ':' OR ${bracket})`;
  const reprinted = `regexp_full_match(${t}, ${REPRINTED_NUMBER}) OR (${bracket} AND json_valid(${t}))`;
  return {
    value: t,
    ok:
      `CASE WHEN ${t} IS NULL THEN true WHEN strlen(${t}) > ${length} THEN false ` +
      (singleByte ? `WHEN strlen(${t}) <> length(${t}) THEN false ` : '') +
      `WHEN ${suspicious} THEN NOT (${reprinted}) ELSE true END`,
  };
}

/** timestampConverter with an epoch TIMEFORMAT: integer text, microseconds within the safe range. */
function epochSql(t: string, x: string, timeFormat: 'epochmillisecs' | 'epochsecs'): ColumnSql {
  const limit = EPOCH_LIMIT[timeFormat];
  const inRange = `${x} BETWEEN -${limit} AND ${limit}`;
  return {
    value: `CASE WHEN ${inRange} THEN make_timestamp(${x} * ${EPOCH_MICROS[timeFormat]}) END`,
    ok:
      `CASE WHEN ${t} IS NULL THEN true WHEN ${x} IS NULL THEN ${isBlank(t)} WHEN NOT (${inRange}) THEN false ` +
      `WHEN CAST(${x} AS VARCHAR) = ${t} THEN true ELSE regexp_full_match(${t}, ${INTEGER_TEXT}) END`,
  };
}

/** A SQL string literal (re-exported for the read SQL builder's JSON paths). */
export const literal = quoteDuckDbLiteral;
