import { defineTable, InputDataError } from '@sparkify/core';
import { JsonPathIndexError, parseJsonPathsFile, type JsonPathsFile } from './jsonpaths.js';
import type { JsonObject, JsonValue } from './json-value.js';
import { compileRowMapper, RecordRejection, type RecordMapping } from './record-mapping.js';

const table = defineTable({
  name: 't',
  columns: [
    { name: 'userid', type: 'integer' },
    { name: 'name', type: 'varchar(8)' },
    { name: 'ts', type: 'timestamp' },
  ],
});

function jsonPaths(paths: string[]): RecordMapping {
  const parsed = parseJsonPathsFile(JSON.stringify({ jsonpaths: paths }), 's3://b/paths.json');
  if (parsed.kind !== 'jsonpaths') throw new Error('expected a JSONPaths file');
  return { mode: 'jsonpaths', file: parsed.file as JsonPathsFile };
}

const map = (mapping: RecordMapping, record: JsonObject | JsonValue[]) => compileRowMapper(mapping, table.columns, 'epochmillisecs')(record);

function rejection(mapping: RecordMapping, record: JsonObject | JsonValue[]): RecordRejection {
  try {
    map(mapping, record);
  } catch (error) {
    if (error instanceof RecordRejection) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe("mapping 'auto'", () => {
  const auto: RecordMapping = { mode: 'auto' };

  it('matches first-level keys to column names case-sensitively; others are ignored, missing ones NULL', () => {
    expect(map(auto, { userid: '7', name: 'a', ts: 1000, extra: 1 })).toEqual([7, 'a', 1000000]);
    // userId never matches column userid under 'auto': NULL, silently (redshift-reference.md §1).
    expect(map(auto, { userId: 7, name: 'a' })).toEqual([null, 'a', null]);
    expect(map(auto, { nested: { userid: 1 } })).toEqual([null, null, null]);
  });

  it('does not see inherited properties', () => {
    const columns = defineTable({ name: 'x', columns: [{ name: 'constructor', type: 'varchar(64)' }] }).columns;
    expect(compileRowMapper(auto, columns, 'auto')({})).toEqual([null]);
  });

  it('rejects an array record, and names the column of a bad value', () => {
    expect(rejection(auto, [1, 'a']).reason).toMatch(/needs a JSONPaths file/);
    expect(rejection(auto, { userid: 'x' })).toMatchObject({ column: 'userid', rawValue: 'x', reason: expect.stringMatching(/Invalid digit/) });
    expect(rejection(auto, { name: 'far too long' })).toMatchObject({ column: 'name', reason: expect.stringMatching(/String length exceeds DDL length/) });
  });
});

describe("mapping 'auto ignorecase'", () => {
  const ignorecase: RecordMapping = { mode: 'auto ignorecase' };

  it('matches keys regardless of case; of two keys folding to one column the last wins', () => {
    expect(map(ignorecase, { UserId: 7, NAME: 'a', Ts: 1000 })).toEqual([7, 'a', 1000000]);
    expect(map(ignorecase, { userid: 1, USERID: 2 })).toEqual([2, null, null]);
    expect(map(ignorecase, {})).toEqual([null, null, null]);
  });
});

describe('mapping by JSONPaths', () => {
  it('maps one expression per column, in column order', () => {
    const mapping = jsonPaths(["$['userId']", "$['who']['name']", "$['when'][1]"]);
    expect(map(mapping, { userId: '91', who: { name: 'x' }, when: [0, 5] })).toEqual([91, 'x', 5000]);
    expect(map(mapping, { who: null })).toEqual([null, null, null]);
  });

  it('maps arrays', () => {
    expect(map(jsonPaths(['$[0]', '$[1]', '$[2]']), [1, 'Sports', 2])).toEqual([1, 'Sports', 2000]);
  });

  it('fails the whole load (not one record) on an index out of range', () => {
    expect(() => map(jsonPaths(['$[0]', '$[1]', '$[5]']), [1, 'a'])).toThrow(JsonPathIndexError);
  });

  it('needs exactly one expression per column', () => {
    const build = () => compileRowMapper(jsonPaths(["$['a']", "$['b']"]), table.columns, 'auto');
    expect(build).toThrow(InputDataError);
    expect(build).toThrow('JSONPaths file s3://b/paths.json has 2 expression(s) but the target table has 3 column(s)');
  });
});
