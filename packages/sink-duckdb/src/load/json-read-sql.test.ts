import { defineTable, type JsonMapping } from '@sparkify/core';
import { planJsonRead, type JsonReadSql } from './json-read-sql.js';

const table = (...types: string[]) => defineTable({ name: 't', columns: types.map((type, i) => ({ name: `c${i}`, type })) });
const jsonpaths = (...paths: string[]): JsonMapping => ({ mode: 'jsonpaths', uri: 'file:///paths.json', paths });
const batch = { paths: ["/data/it's.json"], compression: 'none' as const };

function sql(plan: ReturnType<typeof planJsonRead>): JsonReadSql {
  if ('unsupported' in plan) throw new Error(plan.unsupported);
  return plan;
}

describe('planJsonRead', () => {
  it('reads each key as VARCHAR from the exact file list, with hive partitioning off', () => {
    const values = sql(planJsonRead(table('varchar(8)', 'integer'), { mode: 'auto' }, 'auto')).values(batch, 'newline_delimited');
    expect(values).toContain(
      "FROM read_json(['/data/it''s.json'], format = 'newline_delimited', compression = 'uncompressed', hive_partitioning = false, records = 'true', columns = {'c0': 'VARCHAR', 'c1': 'VARCHAR'})",
    );
    expect(values.startsWith('SELECT __t0 AS "c0", __x1 AS "c1"\nFROM (SELECT __t0, __t1, TRY_CAST(__t1 AS INTEGER) AS __x1')).toBe(true);
  });

  it('reads a key that paths go deeper into as JSON, and follows each segment in a layer of its own', () => {
    const check = sql(planJsonRead(table('varchar(8)', 'varchar(8)', 'integer'), jsonpaths("$['a']", "$['a']['b']", "$.n[2]"), 'auto')).check(
      { paths: ['/x.json.gz'], compression: 'gzip' },
      'unstructured',
    );
    expect(check).toContain("columns = {'a': 'JSON', 'n': 'JSON'}");
    expect(check).toContain("format = 'unstructured', compression = 'gzip'");
    expect(check).toContain(`json_extract(__c1, '$."b"')`);
    expect(check).toContain(`json_array_length(__c2) <= 2`);
    expect(check).toContain(`json_extract_string(__c0, '$') AS __t0`);
  });

  it('auto ignorecase reads whole records and matches keys by their lower case', () => {
    const values = sql(planJsonRead(table('varchar(8)'), { mode: 'auto ignorecase' }, 'auto')).values(batch, 'newline_delimited');
    expect(values).toContain("FROM read_json_objects(['/data/it''s.json']");
    expect(values).toContain("lower(replace(k, chr(8490), 'k')) = 'c0'");
  });

  it.each([
    ['DECIMAL', table('decimal(10,2)'), { mode: 'auto' }, 'auto', /DECIMAL/],
    ['DATE', table('date'), { mode: 'auto' }, 'auto', /DATE/],
    ['TIMESTAMPTZ', table('timestamptz'), { mode: 'auto' }, 'epochmillisecs', /TIMESTAMPTZ/],
    ["TIMESTAMP with TIMEFORMAT 'auto'", table('timestamp'), { mode: 'auto' }, 'auto', /TIMEFORMAT 'auto'/],
    ['a path indexing the record itself', table('integer'), jsonpaths('$[0]'), 'auto', /indexes the record itself/],
    ['keys differing only in case', table('integer', 'integer'), jsonpaths("$['userId']", "$['userid']"), 'auto', /differ only in case/],
    ['a nested name with a quote', table('integer'), jsonpaths(`$['a']['b"c']`), 'auto', /quote or backslash/],
    ['fewer paths than columns', table('integer', 'integer'), jsonpaths("$['a']"), 'auto', /one expression per column/],
  ] as const)('declines %s', (_, spec, mapping, timeFormat, reason) => {
    const plan = planJsonRead(spec, mapping as JsonMapping, timeFormat);
    expect(plan).toEqual({ unsupported: expect.stringMatching(reason) });
  });
});
