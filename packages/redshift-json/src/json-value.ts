/**
 * A JSON number whose text must be kept as written: `3.0`, `1e3`, `-0`, or an integer too long
 * for a double. COPY converts the *text* of a value to the column type, so `3.0` into INTEGER is
 * an error while `3` is not, and `1540991795796.0` into VARCHAR keeps its `.0`.
 * Numbers whose text is exactly `String(n)` stay plain JS numbers (the fast, common case).
 */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value, numbers exact (see RawNumber). Objects are plain; read keys with Object.hasOwn. */
export type JsonValue = null | boolean | number | string | RawNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A number token as JS value: a plain number when its text round-trips, else a RawNumber. */
export function numberFromText(text: string): number | RawNumber {
  const value = Number(text);
  return String(value) === text ? value : new RawNumber(text);
}

/** The text of a number value exactly as the file wrote it. */
export function numberText(value: number | RawNumber): string {
  return typeof value === 'number' ? String(value) : value.text;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawNumber);
}

/**
 * Compact JSON text of a value, numbers as written. COPY loads an object or array value into a
 * character column as its JSON text; Redshift's docs show it without the file's line breaks and
 * indentation, so we print it compact (no spaces). Iterative: any nesting depth is fine.
 */
export function toJsonText(root: JsonValue): string {
  let out = '';
  const work: (JsonValue | Literal)[] = [root];
  while (work.length > 0) {
    const item = work.pop()!;
    if (item instanceof Literal) {
      out += item.text;
    } else if (item === null || typeof item !== 'object') {
      out += typeof item === 'string' ? JSON.stringify(item) : String(item);
    } else if (item instanceof RawNumber) {
      out += item.text;
    } else if (Array.isArray(item)) {
      out += '[';
      work.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        work.push(item[i]!);
        if (i > 0) work.push(COMMA);
      }
    } else {
      out += '{';
      work.push(CLOSE_OBJECT);
      const keys = Object.keys(item);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        work.push(item[key]!, new Literal(`${JSON.stringify(key)}:`));
        if (i > 0) work.push(COMMA);
      }
    }
  }
  return out;
}

class Literal {
  constructor(readonly text: string) {}
}
const COMMA = new Literal(',');
const CLOSE_ARRAY = new Literal(']');
const CLOSE_OBJECT = new Literal('}');

/** Sets a key on a parsed object without ever touching the prototype (`__proto__` is data here). */
export function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
