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
 * indentation, so we print it compact (no spaces), which is what JSON_SERIALIZE would print too.
 */
export function toJsonText(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
  }
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value)) parts.push(`${JSON.stringify(key)}:${toJsonText(value[key] as JsonValue)}`);
  return `{${parts.join(',')}}`;
}

/** Sets a key on a parsed object without ever touching the prototype (`__proto__` is data here). */
export function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
