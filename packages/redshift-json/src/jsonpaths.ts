import { InputDataError } from '@sparkify/core';
import { isJsonObject, type JsonValue } from './json-value.js';

/**
 * JSONPaths files, as COPY ... FORMAT AS JSON 's3://.../file' reads them
 * (../shared/docs/redshift-reference.md §1; developer guide: copy-parameters-data-format,
 * copy-usage_notes-copy-from-json).
 */

export type JsonPathSegment = { kind: 'key'; name: string } | { kind: 'index'; index: number };

/** `bracket` for `$['a'][0]`, `dot` for `$.a[0]`, `index` for `$[0]` (fits either notation). */
export type JsonPathNotation = 'bracket' | 'dot' | 'index';

export interface JsonPathExpression {
  text: string;
  notation: JsonPathNotation;
  segments: JsonPathSegment[];
}

/** A valid JSONPaths file: one expression per target column, in column order. */
export interface JsonPathsFile {
  uri: string;
  paths: string[];
  expressions: JsonPathExpression[];
}

/**
 * What COPY does with a JSONPaths file: use it, or (when its one key is not exactly "jsonpaths")
 * silently fall back to 'auto'. We do not stay silent: `reason` becomes a preflight warning.
 */
export type JsonPathsResolution = { kind: 'jsonpaths'; file: JsonPathsFile } | { kind: 'auto'; uri: string; reason: string };

/** A JSONPath expression that COPY would refuse; the message says why. */
export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

/**
 * A JSONPath index that does not resolve: COPY fails (it is not a per-record error that
 * MAXERROR can skip) with "Invalid JSONPath format: Not an array or index out of range."
 */
export class JsonPathIndexError extends Error {
  override readonly name = 'JsonPathIndexError';
  constructor(
    readonly expression: string,
    readonly detail: string,
  ) {
    super(`Invalid JSONPath format: Not an array or index out of range (${expression}: ${detail})`);
  }
}

/** The largest JSONPaths file we read; real ones are a few kilobytes. */
export const MAX_JSONPATHS_FILE_BYTES = 1024 * 1024;

/** Parses one expression; throws JsonPathSyntaxError. */
export function parseJsonPath(text: string): JsonPathExpression {
  if (!text.startsWith('$')) throw new JsonPathSyntaxError('must start with "$" (the record root)');
  const segments: JsonPathSegment[] = [];
  let bracketKeys = false;
  let dotKeys = false;
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '[') {
      const segment = parseBracket(text, i);
      if (segment.segment.kind === 'key') bracketKeys = true;
      segments.push(segment.segment);
      i = segment.end;
    } else if (c === '.') {
      const segment = parseDot(text, i);
      dotKeys = true;
      segments.push(segment.segment);
      i = segment.end;
    } else {
      throw new JsonPathSyntaxError(`unexpected "${c}" at position ${i + 1}; expected "['name']", ".name" or "[index]"`);
    }
  }
  if (segments.length === 0) throw new JsonPathSyntaxError('"$" alone names no element; name one, e.g. "$[\'artist\']"');
  if (bracketKeys && dotKeys) throw new JsonPathSyntaxError('mixes bracket and dot notation');
  return { text, notation: bracketKeys ? 'bracket' : dotKeys ? 'dot' : 'index', segments };
}

function parseBracket(text: string, start: number): { segment: JsonPathSegment; end: number } {
  const next = text[start + 1];
  if (next === "'") {
    const close = text.indexOf("'", start + 2);
    if (close < 0) throw new JsonPathSyntaxError(`unterminated quoted name at position ${start + 1}`);
    if (text[close + 1] !== ']') throw new JsonPathSyntaxError(`expected "]" after the quoted name at position ${close + 2}`);
    const name = text.slice(start + 2, close);
    if (name === '') throw new JsonPathSyntaxError(`empty name at position ${start + 1}`);
    return { segment: { kind: 'key', name }, end: close + 2 };
  }
  const close = text.indexOf(']', start + 1);
  if (close < 0) throw new JsonPathSyntaxError(`unterminated "[" at position ${start + 1}`);
  const inner = text.slice(start + 1, close);
  if (/^\d+$/.test(inner)) {
    const index = Number(inner);
    if (!Number.isSafeInteger(index)) throw new JsonPathSyntaxError(`array index ${inner} is too large`);
    return { segment: { kind: 'index', index }, end: close + 1 };
  }
  throw new JsonPathSyntaxError(describeUnsupported(inner, start));
}

function describeUnsupported(inner: string, start: number): string {
  const at = `"[${inner}]" at position ${start + 1}`;
  if (inner === '*' || inner.includes('*')) return `${at}: wildcards are not supported`;
  if (inner.startsWith('?') || inner.startsWith('(')) return `${at}: filter and script expressions are not supported`;
  if (inner.includes(':')) return `${at}: array slices are not supported`;
  if (inner.includes(',')) return `${at}: unions are not supported`;
  if (/^-\d+$/.test(inner)) return `${at}: array indexes must be zero or positive`;
  if (inner.startsWith('"')) return `${at}: quote names with single quotes, e.g. ['name']`;
  return `${at}: expected ['name'] or a zero-based [index]`;
}

function parseDot(text: string, start: number): { segment: JsonPathSegment; end: number } {
  let end = start + 1;
  while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
  const name = text.slice(start + 1, end);
  if (name === '') {
    if (text[start + 1] === '.') throw new JsonPathSyntaxError(`recursive descent ".." at position ${start + 1} is not supported`);
    throw new JsonPathSyntaxError(`empty name after "." at position ${start + 1}`);
  }
  if (name === '*') throw new JsonPathSyntaxError(`wildcard ".*" at position ${start + 1} is not supported`);
  // Dot notation cannot carry quotes or brackets in a name (developer guide, copy-usage_notes-copy-from-json).
  const bad = /['\]]/.exec(name);
  if (bad) throw new JsonPathSyntaxError(`"${bad[0]}" is not allowed in a dot-notation name ("${name}"); use bracket notation`);
  return { segment: { kind: 'key', name }, end };
}

/**
 * Parses the text of a JSONPaths file. Throws InputDataError naming the file (and the
 * expression) for every case where COPY fails; MAXERROR never applies to this file.
 */
export function parseJsonPathsFile(text: string, uri: string): JsonPathsResolution {
  const fail = (message: string, hint?: string, cause?: unknown): InputDataError =>
    new InputDataError(`JSONPaths file ${uri}: ${message}`, {
      location: { file: uri },
      hint: hint ?? 'A JSONPaths file is one JSON object: {"jsonpaths": ["$[\'a\']", "$[\'b\']", ...]}, one expression per column.',
      cause,
    });
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const detail = text.trim() === '' ? 'the file is empty' : `not a single well-formed JSON object (${(error as Error).message})`;
    throw fail(detail, undefined, error);
  }
  if (!isJsonObject(root as JsonValue)) throw fail(`must contain a single JSON object, found ${describeJsonType(root)}`);
  const keys = Object.keys(root as object);
  if (keys.length > 1) {
    throw fail(`the object must hold exactly one name/value pair, "jsonpaths"; found ${keys.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  if (keys[0] !== 'jsonpaths') {
    const found = keys[0] === undefined ? 'no key at all' : `the key ${JSON.stringify(keys[0])}`;
    return {
      kind: 'auto',
      uri,
      reason: `JSONPaths file ${uri} has ${found} instead of "jsonpaths": Redshift silently ignores such a file and loads with 'auto' (keys matched to column names), so this load does too`,
    };
  }
  const list = (root as Record<string, unknown>)['jsonpaths'];
  if (!Array.isArray(list)) throw fail(`"jsonpaths" must be an array of strings, found ${describeJsonType(list)}`);
  if (list.length === 0) throw fail('"jsonpaths" is empty: give one expression per target column');
  const expressions: JsonPathExpression[] = [];
  list.forEach((item, index) => {
    if (typeof item !== 'string' || item === '') {
      throw fail(`expression ${index + 1} must be a non-empty string, found ${item === '' ? 'an empty string' : describeJsonType(item)}`);
    }
    try {
      expressions.push(parseJsonPath(item));
    } catch (error) {
      if (!(error instanceof JsonPathSyntaxError)) throw error;
      throw fail(`expression ${index + 1} ${JSON.stringify(item)}: ${error.message}`, 'Use "$[\'name\']..." or "$.name..." with zero-based [index]; no wildcards, filters or slices.', error);
    }
  });
  checkOneNotation(expressions, fail);
  return { kind: 'jsonpaths', file: { uri, paths: expressions.map((e) => e.text), expressions } };
}

function checkOneNotation(expressions: JsonPathExpression[], fail: (message: string) => InputDataError): void {
  const bracket = expressions.findIndex((e) => e.notation === 'bracket');
  const dot = expressions.findIndex((e) => e.notation === 'dot');
  if (bracket >= 0 && dot >= 0) {
    const [b, d] = [expressions[bracket]!, expressions[dot]!];
    throw fail(
      `bracket and dot notation cannot be mixed in one file: expression ${bracket + 1} ${JSON.stringify(b.text)} uses brackets, expression ${dot + 1} ${JSON.stringify(d.text)} uses dots`,
    );
  }
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return `a ${typeof value}`;
}

/** Reads the value an expression names; undefined when an object element is missing (loads NULL). */
export type JsonPathAccessor = (record: JsonValue) => JsonValue | undefined;

/**
 * Compiles an expression to an accessor. A missing key (or a key under a non-object) gives
 * undefined → NULL. An index into something that is not an array, or past its end, throws
 * JsonPathIndexError (COPY fails). A missing or null parent of an index gives NULL: the element
 * is simply absent, as for keys (the docs are silent; this is the reading that loads least).
 */
export function compileJsonPath(expression: JsonPathExpression): JsonPathAccessor {
  const segments = expression.segments;
  const first = segments[0];
  if (segments.length === 1 && first?.kind === 'key') {
    const name = first.name;
    return (record) => (isJsonObject(record) && Object.hasOwn(record, name) ? record[name] : undefined);
  }
  return (record) => {
    let current: JsonValue | undefined = record;
    for (const segment of segments) {
      if (current === undefined || current === null) return undefined;
      if (segment.kind === 'key') {
        current = isJsonObject(current) && Object.hasOwn(current, segment.name) ? current[segment.name] : undefined;
      } else {
        if (!Array.isArray(current)) throw new JsonPathIndexError(expression.text, `[${segment.index}] applied to a non-array value`);
        if (segment.index >= current.length) {
          throw new JsonPathIndexError(expression.text, `index ${segment.index} but the array has ${current.length} element(s)`);
        }
        current = current[segment.index];
      }
    }
    return current;
  };
}
