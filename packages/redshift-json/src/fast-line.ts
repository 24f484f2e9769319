import { type JsonValue, RawNumber } from './json-value.js';

/**
 * The fast path for the common case, one object per line: JSON.parse. JSON.parse turns every
 * number into a double, which loses what COPY sees (it converts the number's *text*: `3.0` is not
 * an INTEGER, `1540991795796.0` into VARCHAR keeps its `.0`, 17-digit BIGINTs stay exact). So
 * before parsing we scan the line's number tokens (skipping strings); those whose text is not
 * exactly `String(Number(text))` are rewritten as marked strings, parsed, and turned back into
 * RawNumber. Returns undefined when the line is not one well-formed JSON value: the careful
 * tokenizer then reports what is wrong, and where.
 */
export function parseLineFast(text: string): JsonValue | undefined {
  const rewrites = findInexactNumbers(text);
  if (rewrites === null) return undefined;
  let source = text;
  if (rewrites.length > 0) {
    // A string that really starts with U+0000 "#" would be mistaken for a marked number.
    if (text.includes('\\u0000')) return undefined;
    source = markNumbers(text, rewrites);
  }
  let value: JsonValue;
  try {
    value = JSON.parse(source) as JsonValue;
  } catch {
    return undefined;
  }
  return rewrites.length > 0 ? restoreNumbers(value) : value;
}

const MARK = '\u0000#';
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Start/end pairs of number tokens whose text does not round-trip through a double, or null
 * when the line cannot be valid JSON (an unterminated string, a malformed number).
 */
function findInexactNumbers(text: string): number[] | null {
  const found: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = endOfString(text, i);
      if (i < 0) return null;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      let plain = true;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 0x30 && d <= 0x39) i++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          plain = false;
          i++;
        } else break;
      }
      // Digits only, fewer than 16, no "-0": always exact, and String(n) gives the same text.
      if (plain && i - start < 16 && !(c === 0x2d && text.charCodeAt(start + 1) === 0x30) && !(c === 0x30 && i - start > 1)) continue;
      const token = text.slice(start, i);
      if (!NUMBER.test(token)) return null;
      if (String(Number(token)) !== token) found.push(start, i);
      continue;
    }
    i++;
  }
  return found;
}

/** Index just past the closing quote of the string starting at `open`, or -1. */
function endOfString(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close > 0) {
    let backslashes = 0;
    for (let k = close - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if ((backslashes & 1) === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

function markNumbers(text: string, ranges: number[]): string {
  let out = '';
  let last = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const start = ranges[r]!;
    const end = ranges[r + 1]!;
    out += `${text.slice(last, start)}"\\u0000#${text.slice(start, end)}"`;
    last = end;
  }
  return out + text.slice(last);
}

/** Turns marked strings back into RawNumber, in place (iteratively: any depth). */
function restoreNumbers(root: JsonValue): JsonValue {
  if (typeof root === 'string') return restoreNumber(root);
  const pending: JsonValue[] = [root];
  while (pending.length > 0) {
    const value = pending.pop()!;
    if (typeof value !== 'object' || value === null || value instanceof RawNumber) continue;
    const container = value as Record<string, JsonValue>;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      const item = container[key]!;
      if (typeof item === 'string') container[key] = restoreNumber(item);
      else if (typeof item === 'object' && item !== null) pending.push(item);
    }
  }
  return root;
}

function restoreNumber(text: string): JsonValue {
  return text.charCodeAt(0) === 0 && text.startsWith(MARK) ? new RawNumber(text.slice(MARK.length)) : text;
}
