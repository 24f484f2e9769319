import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import { formatTimestampMicros, type QueryValue } from '@sparkify/core';

/**
 * Data API result values as core's QueryValue shapes (drizzle's aws-data-api does the same
 * conversion in one module): integers as numbers (bigint beyond 2^53), floats as numbers,
 * decimals as their exact text, timestamps as `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC.
 *
 * The Data API sends BIGINT as a JSON number (`longValue`), which the SDK parses into a double:
 * above 2^53 the digits are already lost when they arrive. Such a value comes back as a bigint
 * of what arrived; cast the column to VARCHAR in the query to read it exactly.
 */
export function decodeField(field: Field, column: ColumnMetadata | undefined): QueryValue {
  if (field.isNull) return null;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.longValue !== undefined) return Number.isSafeInteger(field.longValue) ? field.longValue : BigInt(Math.trunc(field.longValue));
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('hex');
  if (field.stringValue !== undefined) return decodeText(field.stringValue, (column?.typeName ?? '').toLowerCase());
  return null;
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'smallint', 'integer', 'bigint']);

function decodeText(text: string, typeName: string): QueryValue {
  switch (typeName) {
    case 'timestamp':
    case 'timestamp without time zone':
      return normaliseTimestamp(text, false);
    case 'timestamptz':
    case 'timestamp with time zone':
      return normaliseTimestamp(text, true);
    default:
      if (INTEGER_TYPES.has(typeName) && /^-?\d+$/.test(text)) {
        const big = BigInt(text);
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
      return text;
  }
}

const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*(?:([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Redshift prints `2018-11-01 21:01:46.796` for TIMESTAMP and `2018-11-01 21:01:46.796+00` for
 * TIMESTAMPTZ (in the session's time zone, UTC unless changed): the offset is applied and
 * dropped, the fraction keeps its significant digits. Text that is not a timestamp (BC dates,
 * infinity) is returned as it came.
 */
function normaliseTimestamp(text: string, withZone: boolean): string {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return text;
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = match;
  const fractionText = fraction.replace(/0+$/, '');
  const base = `${year}-${month}-${day} ${hour}:${minute}:${second}`;
  const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * (sign === '-' ? -1 : 1);
  if (!withZone || !sign || offset === 0) return fractionText ? `${base}.${fractionText}` : base;
  const millis = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offset * 60_000;
  return formatTimestampMicros(BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, '0')));
}
