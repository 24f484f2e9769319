import type { ColumnSpec, ColumnType, LoadValue, TimeFormat } from '@sparkify/core';
import { formatColumnType } from '@sparkify/core';
import { isJsonObject, type JsonValue, numberText, RawNumber, toJsonText } from './json-value.js';

/**
 * JSON values to column values, the way COPY converts them (redshift-reference.md §1;
 * developer guide: copy-parameters-data-conversion, copy-usage_notes-copy-from-json).
 *
 * COPY converts the *text* of each JSON value to the column type. What the docs state:
 * - JSON null, or a missing key, loads NULL; NULL into a NOT NULL column fails the record.
 * - An empty (or blank) string loads NULL into non-character columns and '' into VARCHAR/CHAR.
 * - An object or array loads into a character column as its JSON text.
 * - VARCHAR(n)/CHAR(n) count UTF-8 bytes; a longer value fails the record (no TRUNCATECOLUMNS).
 *   CHAR holds single-byte characters only.
 * - DECIMAL: digits past the scale are truncated (COPY without ROUNDEC); too many integer digits
 *   overflow.
 * - TIMEFORMAT 'epochsecs'/'epochmillisecs' read epoch numbers (UTC); 'auto' recognises text formats
 *   and not epoch numbers.
 * Where the docs are silent we chose the strict reading, so a load that passes here does not fail
 * on Redshift for the same reason:
 * - integers accept only `-?digits` text: `3.0`, `3e0`, `+3`, ` 3` and `true` are errors
 *   (Redshift reports "Invalid digit"); fractions are never rounded or truncated;
 * - floats accept decimal/exponent text only: `NaN`, `Infinity`, booleans and objects are errors;
 *   a value beyond the type's range is an overflow error;
 * - DECIMAL accepts no exponent;
 * - BOOLEAN accepts true/false, the numbers 1/0 and the strings t/true/y/yes/1, f/false/n/no/0
 *   (any case);
 * - a JSON boolean into VARCHAR loads its JSON text `true`/`false`, like objects and numbers;
 * - a string holding NUL (`\u0000`) is rejected (COPY treats NUL as an end of record);
 * - epoch TIMEFORMATs accept integers only (`1543537327796.0` is an error);
 * - DATE accepts `YYYY-MM-DD` (a time part after it is ignored);
 * - a timestamp must fit in the JS-safe range of epoch microseconds (years 1685-2255).
 */

/** A value that cannot load into its column: the record is rejected (counts toward maxErrors). */
export class ValueConversionError extends Error {
  override readonly name = 'ValueConversionError';
  constructor(
    readonly reason: string,
    /** The raw value, as text (an excerpt for long values). */
    readonly rawValue: string | undefined,
  ) {
    super(reason);
  }
}

export type ValueConverter = (value: JsonValue | undefined) => LoadValue;

export function compileValueConverter(column: ColumnSpec, timeFormat: TimeFormat): ValueConverter {
  const convert = converterFor(column.type, timeFormat);
  if (column.nullable) return convert;
  return (value) => {
    const converted = convert(value);
    if (converted === null) throw new ValueConversionError('Missing data for not-null field', value === undefined ? undefined : excerptOf(value));
    return converted;
  };
}

function converterFor(type: ColumnType, timeFormat: TimeFormat): ValueConverter {
  switch (type.kind) {
    case 'smallint':
      return integerConverter(type, -32768, 32767);
    case 'integer':
      return integerConverter(type, -2147483648, 2147483647);
    case 'bigint':
      return bigintConverter(type);
    case 'real':
      return floatConverter(type, 3.4028234663852886e38, 1.401298464324817e-45);
    case 'double':
      return floatConverter(type, Number.MAX_VALUE, Number.MIN_VALUE);
    case 'decimal':
      return decimalConverter(type);
    case 'boolean':
      return booleanConverter(type);
    case 'varchar':
    case 'char':
      return characterConverter(type);
    case 'date':
      return dateConverter(type);
    case 'timestamp':
    case 'timestamptz':
      return timestampConverter(type, timeFormat);
  }
}

const EXCERPT_CHARS = 200;

/** The text COPY would see for a value, cut to an excerpt for error reports. */
export function excerptOf(value: JsonValue): string {
  const text = scalarText(value);
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function scalarText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof RawNumber) return value.text;
  return toJsonText(value);
}

function typeName(type: ColumnType): string {
  return formatColumnType(type);
}

function jsonKind(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  if (isJsonObject(value)) return 'a JSON object';
  if (value instanceof RawNumber || typeof value === 'number') return 'a number';
  return typeof value === 'boolean' ? 'a boolean' : 'a string';
}

function reject(type: ColumnType, value: JsonValue, why: string): ValueConversionError {
  return new ValueConversionError(`invalid ${typeName(type)} value: ${why}`, excerptOf(value));
}

function isBlank(text: string): boolean {
  return /^[ \t\r\n\f\v]*$/.test(text);
}

/** Text of a scalar for a non-character column; null for a blank string; throws for objects/arrays/booleans. */
function numericText(type: ColumnType, value: JsonValue): string | null {
  if (typeof value === 'string') return isBlank(value) ? null : value;
  if (typeof value === 'number' || value instanceof RawNumber) return numberText(value);
  throw reject(type, value, `${jsonKind(value)} cannot load into ${typeName(type)}`);
}

const INTEGER_TEXT = /^-?\d+$/;

function integerConverter(type: ColumnType, min: number, max: number): ValueConverter {
  return (value) => {
    if (value === undefined || value === null) return null;
    // Fast path: a plain number is exact and String(value) is its text.
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max && !Object.is(value, -0)) return value;
    const text = numericText(type, value);
    if (text === null) return null;
    if (!INTEGER_TEXT.test(text)) throw reject(type, value, `${JSON.stringify(text)} is not an integer (Invalid digit)`);
    const big = BigInt(text);
    if (big < BigInt(min) || big > BigInt(max)) throw reject(type, value, `${text} is out of range (Overflow)`);
    return Number(big);
  };
}

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

function bigintConverter(type: ColumnType): ValueConverter {
  return (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return value;
    const text = numericText(type, value);
    if (text === null) return null;
    if (!INTEGER_TEXT.test(text)) throw reject(type, value, `${JSON.stringify(text)} is not an integer (Invalid digit)`);
    const big = BigInt(text);
    if (big < BIGINT_MIN || big > BIGINT_MAX) throw reject(type, value, `${text} is out of range (Overflow)`);
    const asNumber = Number(big);
    return Number.isSafeInteger(asNumber) ? asNumber : big;
  };
}

const FLOAT_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function floatConverter(type: ColumnType, maxMagnitude: number, minMagnitude: number): ValueConverter {
  return (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Math.abs(value) <= maxMagnitude && (value === 0 || Math.abs(value) >= minMagnitude)) return value;
    const text = numericText(type, value);
    if (text === null) return null;
    if (!FLOAT_TEXT.test(text)) throw reject(type, value, `${JSON.stringify(text)} is not a number`);
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || Math.abs(parsed) > maxMagnitude) throw reject(type, value, `${text} is out of range (Overflow)`);
    if (parsed !== 0 && Math.abs(parsed) < minMagnitude) throw reject(type, value, `${text} is out of range (Underflow)`);
    if (parsed === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) throw reject(type, value, `${text} is out of range (Underflow)`);
    return parsed === 0 ? 0 : parsed;
  };
}

const DECIMAL_TEXT = /^(-)?(\d*)(?:\.(\d*))?$/;

function decimalConverter(type: Extract<ColumnType, { kind: 'decimal' }>): ValueConverter {
  const { precision, scale } = type;
  return (value) => {
    if (value === undefined || value === null) return null;
    const text = numericText(type, value);
    if (text === null) return null;
    const match = DECIMAL_TEXT.exec(text);
    const intPart = (match?.[2] ?? '').replace(/^0+/, '');
    const fracPart = match?.[3] ?? '';
    if (!match || (match[2] === '' && fracPart === '')) throw reject(type, value, `${JSON.stringify(text)} is not a decimal number`);
    if (intPart.length > precision - scale) {
      throw reject(type, value, `${text} needs ${intPart.length} integer digit(s), more than ${precision - scale} (Numeric data overflow)`);
    }
    // COPY truncates extra fraction digits unless ROUNDEC is given (copy-parameters-data-conversion).
    const fraction = fracPart.slice(0, scale).padEnd(scale, '0');
    const digits = `${intPart || '0'}${scale > 0 ? `.${fraction}` : ''}`;
    const isZero = !/[1-9]/.test(intPart + fraction);
    return match[1] === '-' && !isZero ? `-${digits}` : digits;
  };
}

const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0']);

function booleanConverter(type: ColumnType): ValueConverter {
  return (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value;
    const text = numericText(type, value);
    if (text === null) return null;
    const lower = text.toLowerCase();
    if (TRUE_TEXT.has(lower)) return true;
    if (FALSE_TEXT.has(lower)) return false;
    throw reject(type, value, `${JSON.stringify(text)} is not a boolean`);
  };
}

type WellFormed = { isWellFormed(): boolean };

function characterConverter(type: Extract<ColumnType, { kind: 'varchar' | 'char' }>): ValueConverter {
  const limit = type.length;
  const singleByte = type.kind === 'char';
  return (value) => {
    if (value === undefined || value === null) return null;
    const text = scalarText(value);
    if (!(text as unknown as WellFormed).isWellFormed()) {
      throw new ValueConversionError('Invalid UTF-8: the string holds an unpaired surrogate (\\uD800-\\uDFFF escape)', excerptOf(value));
    }
    // COPY treats NUL as an end of record, and Postgres-based warehouses cannot store it.
    if (text.includes('\u0000')) throw new ValueConversionError('Invalid character: NUL (\\u0000) in a string', excerptOf(value));
    // UTF-16 length ≤ UTF-8 bytes ≤ 3 × UTF-16 length: count bytes only when it could matter.
    if (text.length * 3 > limit) {
      if (singleByte && /[^\x00-\x7f]/.test(text)) {
        throw new ValueConversionError(`Multibyte character not supported for CHAR (Hint: try using VARCHAR)`, excerptOf(value));
      }
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > limit) {
        throw new ValueConversionError(`String length exceeds DDL length: ${bytes} bytes into ${typeName(type)}`, excerptOf(value));
      }
    } else if (singleByte && /[^\x00-\x7f]/.test(text)) {
      throw new ValueConversionError(`Multibyte character not supported for CHAR (Hint: try using VARCHAR)`, excerptOf(value));
    }
    return text;
  };
}

const DATE_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/;

function dateConverter(type: ColumnType): ValueConverter {
  return (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw reject(type, value, `${jsonKind(value)} is not a date; write dates as "YYYY-MM-DD"`);
    if (isBlank(value)) return null;
    const match = DATE_TEXT.exec(value);
    const days = match ? civilDays(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
    if (days === undefined) throw reject(type, value, `${JSON.stringify(value)} is not a valid date in the format YYYY-MM-DD`);
    return days;
  };
}

function timestampConverter(type: Extract<ColumnType, { kind: 'timestamp' | 'timestamptz' }>, timeFormat: TimeFormat): ValueConverter {
  if (timeFormat === 'auto') {
    const withZone = type.kind === 'timestamptz';
    return (value) => {
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string') {
        const hint = typeof value === 'number' || value instanceof RawNumber ? " (TIMEFORMAT 'auto' does not read epoch numbers: use 'epochmillisecs' or 'epochsecs')" : '';
        throw reject(type, value, `${jsonKind(value)} is not a timestamp${hint}`);
      }
      if (isBlank(value)) return null;
      const micros = parseTimestampText(value, withZone);
      if (micros === undefined) throw reject(type, value, `${JSON.stringify(value)} is not a timestamp format TIMEFORMAT 'auto' recognises`);
      return checkedMicros(type, value, micros);
    };
  }
  const scale = timeFormat === 'epochmillisecs' ? 1000n : 1000000n;
  return (value) => {
    if (value === undefined || value === null) return null;
    const text = numericText(type, value);
    if (text === null) return null;
    if (!INTEGER_TEXT.test(text)) throw reject(type, value, `${JSON.stringify(text)} is not an integer number of ${timeFormat === 'epochmillisecs' ? 'milliseconds' : 'seconds'} since the epoch (TIMEFORMAT '${timeFormat}')`);
    return checkedMicros(type, value, BigInt(text) * scale);
  };
}

function checkedMicros(type: ColumnType, value: JsonValue, micros: bigint): number {
  const asNumber = Number(micros);
  if (!Number.isSafeInteger(asNumber)) throw reject(type, value, 'timestamp out of the supported range (years 1685-2255)');
  return asNumber;
}

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;
const COMPACT_TIMESTAMP_TEXT = /^(\d{4})(\d{2})(\d{2})[ T]?(\d{2})(\d{2})(\d{2})$/;

/**
 * The text formats we recognise under TIMEFORMAT 'auto' (a subset of Redshift's list in
 * automatic-recognition.md): `YYYY-MM-DD[ HH:MI[:SS[.fraction]]][offset]`, ISO 8601 with `T` and
 * `Z`/`±HH[:MM]`, and `YYYYMMDD HHMISS`. A TIMESTAMP column ignores an offset (as Redshift and
 * Postgres do); TIMESTAMPTZ converts to UTC. Fractions beyond microseconds are rounded.
 */
export function parseTimestampText(text: string, withZone: boolean): bigint | undefined {
  const trimmed = text.trim();
  const match = TIMESTAMP_TEXT.exec(trimmed) ?? COMPACT_TIMESTAMP_TEXT.exec(trimmed);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const days = civilDays(Number(y), Number(mo), Number(d));
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (days === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  let micros = (BigInt(days) * 86400n + BigInt(hour * 3600 + minute * 60 + second)) * 1000000n;
  micros += BigInt(Math.round(Number(`0.${fraction || '0'}`) * 1e6));
  if (withZone && zone) micros -= BigInt(zoneOffsetSeconds(zone)) * 1000000n;
  return micros;
}

function zoneOffsetSeconds(zone: string): number {
  if (/^(z|utc)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || '0') * 60);
}

/** Days since 1970-01-01 of a proleptic Gregorian date, or undefined when it does not exist. */
export function civilDays(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (day > lengths[month - 1]!) return undefined;
  // Howard Hinnant's days_from_civil.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
