import { defineTable } from '@sparkify/core';
import { duckdbDialect } from '@sparkify/sink-duckdb';
import { redshiftDialect } from '@sparkify/sink-redshift';
import { queryColumnsSql, queryPageSql, tablePageSql } from './page-sql.js';

const songs = defineTable({
  name: 'songs',
  columns: [
    { name: 'title', type: 'varchar(64)' },
    { name: 'song_id', type: 'varchar(18)', nullable: false },
    { name: 'year', type: 'integer' },
  ],
  primaryKey: ['song_id'],
});
const keyless = defineTable({ name: 'time', columns: [{ name: 'start_time', type: 'timestamp' }, { name: 'hour', type: 'integer' }] });

// The SQL is portable: the expected text per dialect, side by side (it happens to be the same).
const DIALECTS = [
  { dialect: duckdbDialect, name: 'duckdb' },
  { dialect: redshiftDialect, name: 'redshift' },
] as const;

describe.each(DIALECTS)('page SQL on $name', ({ dialect }) => {
  it('pages a table in key order, then every other column', () => {
    expect(tablePageSql(dialect, songs, { limit: 50000, offset: 100000 })).toBe(
      'SELECT "title", "song_id", "year" FROM "songs" ORDER BY "song_id", "title", "year" LIMIT 50000 OFFSET 100000',
    );
  });

  it('pages a table without a key by every column', () => {
    expect(tablePageSql(dialect, keyless, { limit: 2, offset: 0 })).toBe('SELECT "start_time", "hour" FROM "time" ORDER BY "start_time", "hour" LIMIT 2 OFFSET 0');
  });

  it('reads a query’s columns with LIMIT 0, the query on lines of its own, trailing semicolons dropped', () => {
    expect(queryColumnsSql(dialect, ' SELECT level, COUNT(*) AS n FROM users GROUP BY level -- per level\n ;; ')).toBe(
      'SELECT * FROM (\nSELECT level, COUNT(*) AS n FROM users GROUP BY level -- per level\n) AS "export_query" LIMIT 0',
    );
  });

  it('pages a query ordered by every column by position', () => {
    expect(queryPageSql(dialect, 'SELECT a, b, c FROM t;', 3, { limit: 10, offset: 20 })).toBe(
      'SELECT * FROM (\nSELECT a, b, c FROM t\n) AS "export_query" ORDER BY 1, 2, 3 LIMIT 10 OFFSET 20',
    );
  });
});
