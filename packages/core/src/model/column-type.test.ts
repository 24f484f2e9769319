import { formatColumnType, parseColumnType } from './column-type.js';

describe('parseColumnType', () => {
  it.each([
    ['varchar(256)', { kind: 'varchar', length: 256 }],
    ['VARCHAR (12)', { kind: 'varchar', length: 12 }],
    ['double precision', { kind: 'double' }],
    ['int8', { kind: 'bigint' }],
    ['decimal(10, 2)', { kind: 'decimal', precision: 10, scale: 2 }],
    ['timestamp', { kind: 'timestamp' }],
  ])('parses %s', (text, expected) => {
    expect(parseColumnType(text)).toEqual(expected);
  });

  it.each(['varchar', 'varchar(0)', 'varchar(65536)', 'text', 'decimal(3,4)', 'jsonb'])('rejects %s', (text) => {
    expect(parseColumnType(text)).toBeUndefined();
  });

  it('round-trips through formatColumnType', () => {
    for (const text of ['varchar(10)', 'char(2)', 'decimal(12,3)', 'double precision', 'integer', 'timestamp']) {
      expect(formatColumnType(parseColumnType(text)!)).toBe(text);
    }
  });
});
