/**
 * JSON text in the two styles of the original data, byte for byte:
 * - song files were written by Python's `json.dumps` (`", "` and `": "` separators, non-ASCII as
 *   `\u00e8`, `/` left alone);
 * - log files by a tool that also escapes `/` as `\/` and uses no spaces.
 * Both are pure ASCII. Numbers are written in the shortest form that reads back to the same
 * double (what Python's `repr` and JavaScript's `String` both do), so `267.7024`, not `267.70240`.
 */

export type JsonStyle = 'song' | 'log';

const SAFE_SONG = /^[\x20-\x21\x23-\x5b\x5d-\x7f]*$/;
const SAFE_LOG = /^[\x20-\x21\x23-\x2e\x30-\x5b\x5d-\x7f]*$/;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** A JSON string literal (with quotes) in the given style. */
export function jsonString(value: string, style: JsonStyle): string {
  if ((style === 'song' ? SAFE_SONG : SAFE_LOG).test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[code];
    if (short !== undefined) out += short;
    else if (code === 0x2f && style === 'log') out += '\\/';
    else if (code < 0x20 || code > 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += value[i];
  }
  return `${out}"`;
}

/** A JSON string literal, or `null`. */
export function jsonStringOrNull(value: string | null, style: JsonStyle): string {
  return value === null ? 'null' : jsonString(value, style);
}

/**
 * A float rounded to `decimals` places, written like Python's `repr`: shortest round-trip
 * digits and `.0` on integral values (`-8.0`, `200.0`). Generated values stay within
 * [1e-4, 1e16) in magnitude, where Python and JavaScript agree on plain (non-exponent) notation.
 */
export function jsonFloat(value: number, decimals: number): string {
  const rounded = roundTo(value, decimals);
  const magnitude = Math.abs(rounded);
  if (!Number.isFinite(rounded) || (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16))) {
    throw new RangeError(`float out of the plain-notation range: ${value}`);
  }
  const text = String(rounded);
  return Number.isInteger(rounded) ? `${text}.0` : text;
}

/** Rounds to `decimals` places, the value `jsonDecimal` writes. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** An integral float the way the logs write it: `1540919166796.0`. */
export function jsonIntegralFloat(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return `${value}.0`;
}
