import { defineTable, type LoadRow } from '@sparkify/core';
import { insertStatements, sqlLiteral } from './insert-statements.js';

const table = defineTable({
  name: 'every',
  columns: [
    { name: 'i', type: 'bigint' },
    { name: 'f', type: 'double precision' },
    { name: 'r', type: 'real' },
    { name: 'd', type: 'decimal(12,3)' },
    { name: 'b', type: 'boolean' },
    { name: 's', type: 'varchar(64)' },
    { name: 'day', type: 'date' },
    { name: 'at', type: 'timestamp' },
    { name: 'tz', type: 'timestamptz' },
  ],
});

const column = (name: string) => table.columns.find((c) => c.name === name)!;

describe('sqlLiteral', () => {
  it.each<[string, LoadRow[number], string]>([
    ['i', 9007199254740993n, '9007199254740993'],
    ['i', -3, '-3'],
    ['f', 0.1, '0.1'],
    ['f', 1e21, '1e+21'],
    ['f', Number.NaN, "CAST('NaN' AS DOUBLE PRECISION)"],
    ['r', Number.NEGATIVE_INFINITY, "CAST('-Infinity' AS REAL)"],
    ['d', '-0.500', '-0.500'],
    ['b', true, 'TRUE'],
    ['s', "O'Brien \\ said\nhi", "'O''Brien \\\\ said\nhi'"],
    ['day', 17836, "'2018-11-01'"],
    ['at', 1541106106796000, "'2018-11-01 21:01:46.796'"],
    ['tz', 1, "'1970-01-01 00:00:00.000001+00'"],
    ['s', null, 'NULL'],
  ])('renders %s %p as %s', (name, value, sql) => {
    expect(sqlLiteral(value, column(name))).toBe(sql);
  });

  it('refuses a value of the wrong shape instead of pasting it', () => {
    expect(() => sqlLiteral('1); DROP TABLE x; --', column('i'))).toThrow(/not the shape/);
    expect(() => sqlLiteral('1 OR 1=1', column('d'))).toThrow(/not the shape/);
  });
});

describe('insertStatements', () => {
  const people = defineTable({ name: 'people', columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'varchar(64)' }] });

  it('writes one INSERT for rows that fit, several when they do not', () => {
    const rows: LoadRow[] = Array.from({ length: 10 }, (_, i) => [i, `person ${i}`]);
    expect([...insertStatements(people, rows.slice(0, 2))]).toEqual([
      { sql: 'INSERT INTO "people" ("id", "name") VALUES\n(0, \'person 0\'),\n(1, \'person 1\')', rows: 2 },
    ]);
    const small = [...insertStatements(people, rows, 100)];
    expect(small.map((s) => s.rows)).toEqual([3, 3, 3, 1]);
    for (const statement of small) expect(Buffer.byteLength(statement.sql)).toBeLessThanOrEqual(100);
    expect([...insertStatements(people, [])]).toEqual([]);
  });

  it('names a row too wide for one statement', () => {
    expect(() => [...insertStatements(people, [[1, 'x'.repeat(200)]], 100)]).toThrow(expect.objectContaining({ kind: 'input', message: expect.stringContaining('a row for people needs') }));
  });
});
