import type { ColumnSpec, JsonMapping, TableSpec, TimeFormat } from '@sparkify/core';
import { MAX_RECORD_BYTES, parseJsonPath, type JsonPathSegment } from '@sparkify/redshift-json';
import { quoteDuckDbIdentifier as id, quoteDuckDbLiteral as literal } from '../dialect/duckdb-dialect.js';
import { castOf, columnSql } from './json-value-sql.js';

/**
 * The SQL of a server-side load: DuckDB's JSON reader over an exact list of files, columns
 * derived from the mapping, values converted by json-value-sql.ts. Pure text; `plan` shows it.
 */

/** How DuckDB frames the records of a file: one a line (fast, parallel), or any JSON layout. */
export type JsonFraming = 'newline_delimited' | 'unstructured';

export interface FileBatch {
  /** Local paths, read as given (no glob characters: see planJsonRead's caller). */
  paths: string[];
  compression: 'gzip' | 'none';
}

export interface JsonReadSql {
  /** `count` (records) and `unsure` (records not certainly loaded as the client path would). */
  check(batch: FileBatch, framing: JsonFraming): string;
  /** SELECT of the table's columns only (for a batch whose check found every record clean). */
  values(batch: FileBatch, framing: JsonFraming): string;
  /**
   * SELECT of the table's columns for a batch not checked record by record: the statement fails
   * (DuckDB's error(), UNSURE_RECORD) on the first record `check` would count unsure. For a
   * statement that may fail: one that undoes only itself.
   */
  tried(batch: FileBatch, framing: JsonFraming): string;
  /**
   * One row about the records of a batch's files, from their raw text: `max_bytes` (the
   * largest record) and `lenient` (records DuckDB accepts but COPY does not: a trailing comma,
   * a NaN/Infinity literal).
   */
  recordCheck(batch: FileBatch, framing: JsonFraming): string;
  /**
   * One row about uncompressed files' whole text: `vertical` (files holding a vertical tab or a
   * form feed: white space to DuckDB between records, text outside an object to COPY),
   * `lenient` (files with a record DuckDB accepts but COPY does not) and `nul`.
   */
  textCheck(paths: readonly string[]): string;
  /**
   * For the staged load (staged-json-load.ts), where the mapping allows it: `read` lists the
   * batch's records one a line (`__file`, `__json`: NULL for a line DuckDB could not read as
   * one JSON value, never an error); `stage` reads such a list (a table's name) into one row
   * per record: `__sparkify_file`, `__sparkify_bytes` (the record's length), `__sparkify_bad`,
   * `__sparkify_unsure` (a record the client path would reject, or load differently), then the
   * table's values. Two statements, because a read of many small files yields tiny vectors, and
   * the conversions cost per vector: over a table they run 2,048 rows at a time.
   */
  staged?: { read(batch: FileBatch): string; stage(records: string): string };
}

/** The columns a staged read adds before the table's, by name (no JSON key may be one of them). */
export const STAGED = { file: '__sparkify_file', bytes: '__sparkify_bytes', bad: '__sparkify_bad', unsure: '__sparkify_unsure' } as const;

export const OK_COLUMN = '__ok';

/** The error a `tried` read stops with. */
export const UNSURE_RECORD = 'sparkify: a record the client path would reject, or whose values cannot be proved the same server-side';

/**
 * Whether a text may hold a NUL character: JSON can only write it `\u0000` (COPY rejects it in
 * any string; anywhere else the text is conservative, e.g. an escaped backslash before "u0000").
 */
const NUL_ESCAPE = (text: string) => `contains(${text}, '\\u0000')`;

/**
 * White space as JSON has it, then a NaN or Infinity literal as yyjson reads them (nan, inf,
 * infinity in any case, maybe negative), ended as any value is: by a comma or a closing bracket.
 * (", Indiana" or ":Nancy" inside a string do not match.)
 */
const NAN_OR_INF = `[ \\t\\r\\n]*-?(?:[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)[ \\t\\r\\n]*[],}]`;

/**
 * Whether a text (a record, or a whole file of them) holds a trailing comma or a NaN/Infinity
 * literal. First three cheap scans of the text as is (each pattern starts with a byte of its
 * own, which RE2 finds with memchr), then, where one matches (a string can hold ",]"), the
 * exact test: outside strings only.
 */
function lenientSql(text: string): string {
  const cheap = [`':${NAN_OR_INF}'`, `',(?:${NAN_OR_INF}|[ \\t\\r\\n]*[]}])'`, `'\\[${NAN_OR_INF}'`];
  const outsideStrings = `'^(?:[^"]|"(?:[^"\\\\]|\\\\.)*")*(?:,[ \\t\\r\\n]*[]}]|[:,[]${NAN_OR_INF})'`;
  const found = cheap.map((pattern) => `regexp_matches(${text}, ${pattern})`).join(' OR ');
  return `CASE WHEN ${found} THEN regexp_matches(${text}, ${outsideStrings}) ELSE false END`;
}

/** Either the SQL, or why this table and mapping cannot be loaded server-side. */
export function planJsonRead(table: TableSpec, mapping: JsonMapping, timeFormat: TimeFormat): JsonReadSql | { unsupported: string } {
  const texts = mapping.mode === 'auto ignorecase' ? ignoreCaseTexts(table.columns) : keyTexts(table.columns, mapping);
  if ('unsupported' in texts) return texts;
  const converted = convertColumns(table.columns, timeFormat, texts.flagged);
  if ('unsupported' in converted) return converted;
  const staged = texts.objects;
  const values = converted.valueList.map(({ sql, name }) => `${sql} AS ${name}`).join(', ');
  return {
    ...(staged ? { staged: { read: stagedRead, stage: (records: string) => stageSql(records, staged, converted) } } : {}),
    check: (batch, framing) =>
      `SELECT count(*) AS records, count_if(NOT ${OK_COLUMN}) AS unsure\nFROM (SELECT ${converted.ok}\nFROM (SELECT ${converted.casts}\nFROM (${texts.select(batch, framing)})))`,
    values: (batch, framing) => `SELECT ${values}\nFROM (SELECT ${converted.casts}\nFROM (${texts.select(batch, framing)}))`,
    tried: (batch, framing) =>
      `SELECT ${values}\nFROM (SELECT *, ${converted.ok}\nFROM (SELECT ${converted.casts}\nFROM (${texts.select(batch, framing)})))\n` +
      `WHERE CASE WHEN ${OK_COLUMN} THEN true ELSE error(${literal(UNSURE_RECORD)}) END`,
    recordCheck: (batch, framing) =>
      `SELECT coalesce(max(strlen(json)), 0) AS max_bytes, count_if(${lenientSql('json')}) AS lenient, count_if(${NUL_ESCAPE('json')}) AS nul\n` +
      `FROM ${readObjects(batch, framing)}`,
    textCheck: (paths) =>
      `SELECT count_if(contains(content, chr(11)) OR contains(content, chr(12))) AS vertical, ` +
      `count_if(${lenientSql('content')}) AS lenient, count_if(${NUL_ESCAPE('content')}) AS nul\n` +
      `FROM read_text(${fileList({ paths: [...paths], compression: 'none' })})`,
  };
}

/** The inner query: `__t<i>` (text of column i) and `__u<i>` (its path could not be followed exactly). */
interface Texts {
  select(batch: FileBatch, framing: JsonFraming): string;
  /** Whether column i has an `__u<i>` flag (a plain key never needs one). */
  flagged: boolean[];
  /** The same texts from a table of records (stagedRead), carrying the STAGED columns (absent where unsupported). */
  objects?: (records: string) => string;
}

const text = (i: number) => `__t${i}`;
const unsure = (i: number) => `__u${i}`;
const cast = (i: number) => `__x${i}`;

function readOptions(batch: FileBatch, framing: JsonFraming): string {
  // hive_partitioning: off, or a folder named year=2018 would add (and override) a column.
  return `format = ${literal(framing)}, compression = ${literal(batch.compression === 'gzip' ? 'gzip' : 'uncompressed')}, hive_partitioning = false`;
}

function fileList(batch: FileBatch): string {
  return `[${batch.paths.map(literal).join(', ')}]`;
}

function readObjects(batch: FileBatch, framing: JsonFraming): string {
  return `read_json_objects(${fileList(batch)}, ${readOptions(batch, framing)})`;
}

interface ColumnPath {
  key: string;
  rest: JsonPathSegment[];
}

/** auto: the key equal to the column name; jsonpaths: each column's expression. */
function columnPaths(columns: readonly ColumnSpec[], mapping: JsonMapping): ColumnPath[] | { unsupported: string } {
  if (mapping.mode === 'auto') return columns.map((column) => ({ key: column.name, rest: [] }));
  if (mapping.mode !== 'jsonpaths') return { unsupported: `mapping ${mapping.mode}` };
  if (mapping.paths.length !== columns.length) return { unsupported: 'the JSONPaths file does not have one expression per column' };
  const paths: ColumnPath[] = [];
  for (const text of mapping.paths) {
    const [first, ...rest] = parseJsonPath(text).segments;
    if (first?.kind !== 'key') return { unsupported: `JSONPath ${text} indexes the record itself (array records)` };
    const quoted = rest.find((segment) => segment.kind === 'key' && /["\\]/.test(segment.name));
    if (quoted) return { unsupported: `JSONPath ${text} has a name with a quote or backslash` };
    paths.push({ key: first.name, rest });
  }
  return paths;
}

/**
 * read_json with one column per first key: VARCHAR (the text the conversions read) when every
 * path using the key ends there, JSON when some path goes deeper. Deeper segments are followed
 * one layer per level, as compileJsonPath does: missing or null → NULL, a key under a
 * non-object → NULL; an index into a non-array or past the end fails COPY, and a key present
 * twice in a nested object takes the last value in JavaScript but the first in DuckDB: both
 * mark the row unsure.
 */
function keyTexts(columns: readonly ColumnSpec[], mapping: JsonMapping): Texts | { unsupported: string } {
  const paths = columnPaths(columns, mapping);
  if ('unsupported' in paths) return paths;
  const keys = [...new Set(paths.map((path) => path.key))];
  const lower = new Set(keys.map((key) => key.toLowerCase()));
  if (lower.size !== keys.length) return { unsupported: 'two JSON keys differ only in case (DuckDB column names ignore case)' };
  const deep = new Set(paths.filter((path) => path.rest.length > 0).map((path) => path.key));
  const readColumns = `{${keys.map((key) => `${literal(key)}: ${literal(deep.has(key) ? 'JSON' : 'VARCHAR')}`).join(', ')}}`;
  const depth = Math.max(0, ...paths.map((path) => path.rest.length));
  // Layer 0 names each path's current value `__c<i>` and unsure flag; each further layer follows one segment.
  const current = (i: number) => `__c${i}`;
  const flagged = paths.map((path) => path.rest.length > 0);
  const carry = (i: number) => (flagged[i] ? `${current(i)}, ${unsure(i)}` : current(i));
  const layers: string[] = [paths.map((path, i) => `${id(path.key)} AS ${current(i)}${flagged[i] ? `, false AS ${unsure(i)}` : ''}`).join(', ')];
  for (let level = 0; level < depth; level++) {
    layers.push(
      paths
        .map((path, i) => {
          const segment = path.rest[level];
          if (!segment) return carry(i);
          const step = followSegment(current(i), segment);
          return `${step.next} AS ${current(i)}, ${unsure(i)} OR ${step.unsure} AS ${unsure(i)}`;
        })
        .join(', '),
    );
  }
  const texts = paths.map((path, i) => {
    const value = deep.has(path.key) ? `json_extract_string(${current(i)}, '$')` : current(i);
    return `${value} AS ${text(i)}${flagged[i] ? `, ${unsure(i)}` : ''}`;
  });
  /** The layers over `from`, each also passing `carried` through. */
  const select = (from: string, carried: string) => {
    for (const layer of layers) from = `SELECT ${carried}${layer}\nFROM ${from.startsWith('SELECT') ? `(${from})` : from}`;
    return `SELECT ${carried}${texts.join(', ')}\nFROM (${from})`;
  };
  const stagedNames = new Set<string>(Object.values(STAGED));
  const clash = keys.some((key) => stagedNames.has(key.toLowerCase()));
  // json_transform reads each record as read_json does (same conversions to VARCHAR and JSON).
  const structure = literal(JSON.stringify(Object.fromEntries(keys.map((key) => [key, deep.has(key) ? 'JSON' : 'VARCHAR']))));
  return {
    flagged,
    select: (batch, framing) => select(`read_json(${fileList(batch)}, ${readOptions(batch, framing)}, records = 'true', columns = ${readColumns})`, ''),
    ...(clash ? {} : { objects: (records: string) => select(stagedRecords(records, structure, keys), `${stagedColumns}, `) }),
  };
}

const stagedColumns = Object.values(STAGED).join(', ');

/**
 * Each line of the batch as one record: its text measured and checked as recordCheck does, its
 * keys read by json_transform. ignore_errors turns a line DuckDB cannot read (malformed JSON,
 * invalid UTF-8, several values a line) into a row whose json is NULL, never a failed
 * statement; an array or a scalar record is kept, and unsure.
 *
 * read_json fails on a repeated key among its columns (JavaScript keeps the last value,
 * json_transform the first): the strict transform does too, and TRY turns that into NULL. Only
 * for such rows (a repeated key, or a key missing) the lenient transform reads the values, and
 * the keys are listed to tell the two apart.
 */
function stagedRecords(records: string, structure: string, keys: readonly string[]): string {
  // Valid JSON text that starts with "{" is an object (read_json_objects keeps no white space before it).
  const object = `left(__text, 1) = '{'`;
  const raw = `coalesce(NOT ${object} OR strlen(__text) > ${MAX_RECORD_BYTES} OR ${lenientSql('__text')} OR ${NUL_ESCAPE('__text')}, false)`;
  const columnKeys = `[${keys.map(literal).join(', ')}]`;
  const repeated = `len(list_filter(json_keys(__json), lambda k: list_contains(${columnKeys}, k))) <> len(list_distinct(list_filter(json_keys(__json), lambda k: list_contains(${columnKeys}, k))))`;
  const lenient = `${object} AND __strict IS NULL`;
  return (
    `(SELECT __file AS ${STAGED.file}, strlen(__text) AS ${STAGED.bytes}, __json IS NULL AS ${STAGED.bad}, ` +
    `${raw} OR CASE WHEN ${lenient} THEN ${repeated} ELSE false END AS ${STAGED.unsure}, ` +
    `unnest(CASE WHEN ${lenient} THEN json_transform(__json, ${structure}) ELSE __strict END)\n` +
    `FROM (SELECT *, CASE WHEN ${object} THEN TRY(json_transform_strict(__json, ${structure})) END AS __strict\n` +
    `FROM (SELECT __file, __json, __json::VARCHAR AS __text FROM ${records})))`
  );
}

/** The batch's records, one a line, each with its file (see JsonReadSql.staged). */
function stagedRead(batch: FileBatch): string {
  return `SELECT filename AS __file, json AS __json\nFROM read_json_objects(${fileList(batch)}, ${readOptions(batch, 'newline_delimited')}, filename = true, ignore_errors = true)`;
}

/**
 * The staged read: the STAGED columns (a row is unsure also when a value is), then the table's
 * values, computed only for rows whose values are sure: for the others a conversion could fail
 * (a REAL overflowing, say), and here a failed statement would abort the run's transaction.
 */
function stageSql(records: string, objects: (records: string) => string, converted: Converted): string {
  const values = converted.valueList.map(({ sql, name }) => `CASE WHEN ${OK_COLUMN} THEN ${sql} END AS ${name}`).join(', ');
  return (
    `SELECT ${STAGED.file}, ${STAGED.bytes}, ${STAGED.bad}, ${STAGED.unsure} OR NOT ${OK_COLUMN} AS ${STAGED.unsure}, ${values}\n` +
    `FROM (SELECT *, ${converted.ok}\nFROM (SELECT ${stagedColumns}, ${converted.casts}\nFROM (${objects(records)})))`
  );
}

function followSegment(current: string, segment: JsonPathSegment): { next: string; unsure: string } {
  const isNull = (json: string) => `NULLIF(${json}, CAST('null' AS JSON))`;
  if (segment.kind === 'key') {
    const name = literal(segment.name);
    return {
      next: isNull(`CASE WHEN json_type(${current}) = 'OBJECT' THEN json_extract(${current}, ${literal(`$."${segment.name}"`)}) END`),
      unsure: `coalesce(json_type(${current}) = 'OBJECT' AND len(list_filter(json_keys(${current}), lambda k: k = ${name})) > 1, false)`,
    };
  }
  return {
    next: isNull(`CASE WHEN json_type(${current}) = 'ARRAY' THEN json_extract(${current}, '$[${segment.index}]') END`),
    unsure: `coalesce(${current} IS NOT NULL AND (json_type(${current}) <> 'ARRAY' OR json_array_length(${current}) <= ${segment.index}), false)`,
  };
}

/**
 * auto ignorecase: each record whole (read_json_objects), its keys listed, the one key whose
 * lower case is the column name taken. JavaScript's toLowerCase turns only ASCII letters and
 * the Kelvin sign (U+212A) into ASCII, so a key matches when it is ASCII after replacing that
 * sign and its lower case equals the name. Several matching keys (the last wins in JavaScript,
 * by an order DuckDB does not keep for repeated keys) mark the row unsure; so does a key with a
 * quote or backslash (it cannot be written in a DuckDB JSON path).
 */
function ignoreCaseTexts(columns: readonly ColumnSpec[]): Texts {
  const matches = (i: number) => `__m${i}`;
  const flagged = columns.map(() => true);
  const folded = `replace(k, chr(8490), 'k')`;
  const keyMatches = (name: string) => `list_filter(__keys, lambda k: NOT regexp_matches(${folded}, '[^\\x00-\\x7F]') AND lower(${folded}) = ${literal(name)})`;
  return {
    flagged,
    select: (batch, framing) => {
      const layer1 = `SELECT json AS __record, json_type(json) = 'OBJECT' AS __object, CASE WHEN json_type(json) = 'OBJECT' THEN json_keys(json) END AS __keys\nFROM ${readObjects(batch, framing)}`;
      const layer2 = `SELECT __record, __object, ${columns.map((column, i) => `${keyMatches(column.name)} AS ${matches(i)}`).join(', ')}\nFROM (${layer1})`;
      const texts = columns.map((_, i) => {
        const key = `${matches(i)}[1]`;
        return (
          `CASE WHEN len(${matches(i)}) = 1 THEN json_extract_string(__record, '$."' || ${key} || '"') END AS ${text(i)}, ` +
          `NOT __object OR len(${matches(i)}) > 1 OR (len(${matches(i)}) = 1 AND regexp_matches(${key}, '["\\\\]')) AS ${unsure(i)}`
        );
      });
      return `SELECT ${texts.join(', ')}\nFROM (${layer2})`;
    },
  };
}

interface Converted {
  casts: string;
  /** Each column's value expression and quoted name. */
  valueList: { sql: string; name: string }[];
  /** `… AS __ok`. */
  ok: string;
}

/** The two outer layers: typed casts once, then each column's value and the row's ok. */
function convertColumns(
  columns: readonly ColumnSpec[],
  timeFormat: TimeFormat,
  flagged: boolean[],
): Converted | { unsupported: string } {
  const casts: string[] = [];
  const valueList: Converted['valueList'] = [];
  const oks: string[] = [];
  for (const [i, column] of columns.entries()) {
    const typed = castOf(column, timeFormat, text(i));
    casts.push(`${text(i)}${flagged[i] ? `, ${unsure(i)}` : ''}${typed ? `, ${typed} AS ${cast(i)}` : ''}`);
    const sql = columnSql(column, timeFormat, text(i), cast(i));
    if ('unsupported' in sql) return sql;
    valueList.push({ sql: sql.value, name: id(column.name) });
    oks.push(flagged[i] ? `NOT ${unsure(i)} AND (${sql.ok})` : sql.ok);
  }
  // Never NULL: a NULL would count as neither ok nor bad.
  return { casts: casts.join(', '), valueList, ok: `coalesce(${oks.map((ok) => `(${ok})`).join(' AND ')}, false) AS ${OK_COLUMN}` };
}
