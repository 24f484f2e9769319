import { type ColumnSpec, InputDataError, type LoadRow, type TimeFormat } from '@sparkify/core';
import { compileJsonPath, type JsonPathAccessor, type JsonPathsFile } from './jsonpaths.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';
import { compileValueConverter, ValueConversionError, type ValueConverter } from './value-conversion.js';

/**
 * How records map to columns (COPY ... FORMAT AS JSON 'auto' | 'auto ignorecase' | 'jsonpaths
 * file'); see redshift-reference.md §1. Keys with no column are ignored; columns with no key
 * load NULL.
 */
export type RecordMapping = { mode: 'auto' } | { mode: 'auto ignorecase' } | { mode: 'jsonpaths'; file: JsonPathsFile };

/** Why one record cannot load: it is rejected and counts toward maxErrors. */
export class RecordRejection extends Error {
  override readonly name = 'RecordRejection';
  constructor(
    readonly reason: string,
    readonly column?: string,
    readonly rawValue?: string,
  ) {
    super(reason);
  }
}

/**
 * Maps one record to a row in column order. Throws RecordRejection for a bad record, and
 * JsonPathIndexError (which fails the whole load, as COPY does) for an array index that does not
 * resolve.
 */
export type RowMapper = (record: JsonObject | JsonValue[]) => LoadRow;

export function compileRowMapper(mapping: RecordMapping, columns: readonly ColumnSpec[], timeFormat: TimeFormat): RowMapper {
  const converters = columns.map((column) => compileValueConverter(column, timeFormat));
  const names = columns.map((column) => column.name);
  switch (mapping.mode) {
    case 'auto':
      return (record) => {
        const object = objectRecord(record);
        const row: LoadRow = new Array(names.length);
        for (let i = 0; i < names.length; i++) {
          const name = names[i]!;
          row[i] = convertAt(converters[i]!, Object.hasOwn(object, name) ? object[name] : undefined, name);
        }
        return row;
      };
    case 'auto ignorecase': {
      const index = new Map(names.map((name, i) => [name.toLowerCase(), i]));
      return (record) => {
        const object = objectRecord(record);
        const found: (JsonValue | undefined)[] = new Array(names.length);
        // Several keys may fold to one column ("userId", "userid"): the last in the object wins,
        // as for duplicate keys.
        for (const key of Object.keys(object)) {
          const at = index.get(key.toLowerCase());
          if (at !== undefined) found[at] = object[key];
        }
        const row: LoadRow = new Array(names.length);
        for (let i = 0; i < names.length; i++) row[i] = convertAt(converters[i]!, found[i], names[i]!);
        return row;
      };
    }
    case 'jsonpaths': {
      checkArity(mapping.file, columns.length);
      const accessors: JsonPathAccessor[] = mapping.file.expressions.map(compileJsonPath);
      return (record) => {
        const row: LoadRow = new Array(names.length);
        for (let i = 0; i < names.length; i++) row[i] = convertAt(converters[i]!, accessors[i]!(record), names[i]!);
        return row;
      };
    }
  }
}

/** COPY fails when the JSONPaths file has more or fewer expressions than target columns. */
export function checkArity(file: JsonPathsFile, columnCount: number): void {
  if (file.paths.length === columnCount) return;
  throw new InputDataError(
    `JSONPaths file ${file.uri} has ${file.paths.length} expression(s) but the target table has ${columnCount} column(s): the numbers must match (one expression per column, in column order)`,
    { location: { file: file.uri }, hint: 'Add or remove expressions so that each target column has exactly one, in the order of the columns.' },
  );
}

function objectRecord(record: JsonObject | JsonValue[]): JsonObject {
  if (isJsonObject(record)) return record;
  throw new RecordRejection("a JSON array record needs a JSONPaths file to map its elements to columns ('auto' matches object keys)");
}

/** A converted value, or the RecordRejection (naming the column) its conversion failed with. */
export function convertAt(converter: ValueConverter, value: JsonValue | undefined, column: string): ReturnType<ValueConverter> {
  try {
    return converter(value);
  } catch (error) {
    if (error instanceof ValueConversionError) throw new RecordRejection(error.reason, column, error.rawValue);
    throw error;
  }
}
