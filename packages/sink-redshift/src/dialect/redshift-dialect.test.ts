import { defineTable, parseColumnType } from '@sparkify/core';
import { redshiftDialect } from './redshift-dialect.js';

describe('redshiftDialect', () => {
  it('double-quotes identifiers and doubles embedded quotes', () => {
    expect(redshiftDialect.quoteIdentifier('staging_events')).toBe('"staging_events"');
    expect(redshiftDialect.quoteIdentifier('we"ird')).toBe('"we""ird"');
  });

  it('single-quotes literals, doubling quotes and backslashes (Redshift reads backslash escapes)', () => {
    expect(redshiftDialect.quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(redshiftDialect.quoteLiteral('a\\b')).toBe("'a\\\\b'");
    expect(redshiftDialect.quoteLiteral("\\'; DROP TABLE x; --")).toBe("'\\\\''; DROP TABLE x; --'");
    expect(redshiftDialect.quoteLiteral('two\nlines')).toBe("'two\nlines'");
    expect(redshiftDialect.quoteLiteral('')).toBe("''");
  });

  it.each([
    ['smallint', 'SMALLINT'],
    ['integer', 'INTEGER'],
    ['bigint', 'BIGINT'],
    ['real', 'REAL'],
    ['double precision', 'DOUBLE PRECISION'],
    ['decimal(12,3)', 'DECIMAL(12,3)'],
    ['boolean', 'BOOLEAN'],
    ['varchar(256)', 'VARCHAR(256)'],
    ['varchar(65535)', 'VARCHAR(65535)'],
    ['char(2)', 'CHAR(2)'],
    ['date', 'DATE'],
    ['timestamp', 'TIMESTAMP'],
    ['timestamptz', 'TIMESTAMPTZ'],
  ])('renders %s as %s', (spec, rendered) => {
    expect(redshiftDialect.renderType(parseColumnType(spec)!)).toBe(rendered);
  });

  it('renders CREATE TABLE with NOT NULL, the declared key, DISTSTYLE KEY, DISTKEY and COMPOUND SORTKEY', () => {
    const table = defineTable({
      name: 'songplays',
      columns: [
        { name: 'songplay_id', type: 'bigint', nullable: false },
        { name: 'start_time', type: 'timestamp', nullable: false },
        { name: 'song_id', type: 'varchar(64)' },
        { name: 'duration', type: 'double precision' },
      ],
      primaryKey: ['songplay_id'],
      distribution: { style: 'key', key: 'song_id' },
      sortKey: ['start_time', 'song_id'],
    });
    expect(redshiftDialect.renderCreateTable(table)).toBe(
      [
        'CREATE TABLE IF NOT EXISTS "songplays" (',
        '  "songplay_id" BIGINT NOT NULL,',
        '  "start_time" TIMESTAMP NOT NULL,',
        '  "song_id" VARCHAR(64),',
        '  "duration" DOUBLE PRECISION,',
        '  PRIMARY KEY ("songplay_id")',
        ')',
        'DISTSTYLE KEY',
        'DISTKEY ("song_id")',
        'COMPOUND SORTKEY ("start_time", "song_id")',
      ].join('\n'),
    );
  });

  it.each([
    [{ style: 'all' as const }, 'DISTSTYLE ALL'],
    [{ style: 'even' as const }, 'DISTSTYLE EVEN'],
    [{ style: 'auto' as const }, 'DISTSTYLE AUTO'],
  ])('renders %j', (distribution, rendered) => {
    const table = defineTable({ name: 'users', columns: [{ name: 'user_id', type: 'integer', nullable: false }], distribution });
    expect(redshiftDialect.renderCreateTable(table)).toBe(`CREATE TABLE IF NOT EXISTS "users" (\n  "user_id" INTEGER NOT NULL\n)\n${rendered}`);
  });

  it('renders a table without hints as columns only (Redshift chooses the distribution)', () => {
    const table = defineTable({ name: 'staging_songs', columns: [{ name: 'num_songs', type: 'integer' }] });
    expect(redshiftDialect.renderCreateTable(table)).toBe('CREATE TABLE IF NOT EXISTS "staging_songs" (\n  "num_songs" INTEGER\n)');
  });

  it('renders DROP TABLE IF EXISTS', () => {
    expect(redshiftDialect.renderDropTable('time')).toBe('DROP TABLE IF EXISTS "time"');
  });
});
