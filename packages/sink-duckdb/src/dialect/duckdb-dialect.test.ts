import { defineTable, parseColumnType } from '@sparkify/core';
import { duckdbDialect } from './duckdb-dialect.js';

describe('duckdbDialect', () => {
  it('double-quotes identifiers and doubles embedded quotes', () => {
    expect(duckdbDialect.quoteIdentifier('staging_events')).toBe('"staging_events"');
    expect(duckdbDialect.quoteIdentifier('we"ird')).toBe('"we""ird"');
  });

  it('single-quotes literals, doubles embedded quotes and leaves backslashes alone', () => {
    expect(duckdbDialect.quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(duckdbDialect.quoteLiteral('a\\b')).toBe("'a\\b'");
    expect(duckdbDialect.quoteLiteral('')).toBe("''");
  });

  it.each([
    ['smallint', 'SMALLINT'],
    ['integer', 'INTEGER'],
    ['bigint', 'BIGINT'],
    ['real', 'REAL'],
    ['double precision', 'DOUBLE'],
    ['decimal(12,3)', 'DECIMAL(12,3)'],
    ['boolean', 'BOOLEAN'],
    ['varchar(256)', 'VARCHAR'],
    ['char(2)', 'VARCHAR'],
    ['date', 'DATE'],
    ['timestamp', 'TIMESTAMP'],
    ['timestamptz', 'TIMESTAMPTZ'],
  ])('renders %s as %s', (spec, rendered) => {
    expect(duckdbDialect.renderType(parseColumnType(spec)!)).toBe(rendered);
  });

  it('renders CREATE TABLE with NOT NULL, the key as a comment, and no Redshift hints', () => {
    const table = defineTable({
      name: 'songplays',
      columns: [
        { name: 'songplay_id', type: 'bigint', nullable: false },
        { name: 'start_time', type: 'timestamp', nullable: false },
        { name: 'level', type: 'varchar(16)' },
        { name: 'duration', type: 'double precision' },
      ],
      primaryKey: ['songplay_id'],
      distribution: { style: 'key', key: 'songplay_id' },
      sortKey: ['start_time'],
    });
    expect(duckdbDialect.renderCreateTable(table)).toBe(
      [
        'CREATE TABLE IF NOT EXISTS "songplays" (',
        '  "songplay_id" BIGINT NOT NULL,',
        '  "start_time" TIMESTAMP NOT NULL,',
        '  "level" VARCHAR,',
        '  "duration" DOUBLE',
        '  -- primary key ("songplay_id"): declared, not enforced (as in Redshift)',
        ')',
      ].join('\n'),
    );
  });

  it('renders CREATE TABLE without a key comment when there is no key', () => {
    const table = defineTable({ name: 'staging_songs', columns: [{ name: 'num_songs', type: 'integer' }], distribution: { style: 'even' } });
    expect(duckdbDialect.renderCreateTable(table)).toBe('CREATE TABLE IF NOT EXISTS "staging_songs" (\n  "num_songs" INTEGER\n)');
  });

  it('renders DROP TABLE IF EXISTS', () => {
    expect(duckdbDialect.renderDropTable('time')).toBe('DROP TABLE IF EXISTS "time"');
  });
});
