import { PGlite } from '@electric-sql/pglite';
import { parseColumnType, type LoadRow } from '@sparkify/core';
import { CopyBuffer } from './copy-buffer.js';
import { binaryEncoding, chooseEncoding, textEncoding, type CopyEncoding } from './copy-encoding.js';
import { COPY_INPUT_FILE, copyFromBytes } from './copy-input.js';

const column = (type: string, hasDefault = false) => ({ type: parseColumnType(type)!, hasDefault });

describe('chooseEncoding', () => {
  it('takes binary for integers, doubles, booleans, character types and timestamps', () => {
    const types = ['smallint', 'integer', 'bigint', 'double precision', 'boolean', 'varchar(8)', 'char(2)', 'timestamp', 'timestamptz'];
    expect(chooseEncoding(types.map((type) => column(type))).format).toBe('binary');
  });

  it.each(['real', 'decimal(10,2)', 'date'])('keeps text for a %s column', (type) => {
    expect(chooseEncoding([column('integer'), column(type)]).format).toBe('text');
  });

  it('keeps text when a column has a DEFAULT (binary COPY has no DEFAULT marker)', () => {
    expect(chooseEncoding([column('integer'), column('varchar(8)', true)]).format).toBe('text');
  });
});

describe('binary COPY loads what text COPY loads', () => {
  const COLUMNS = [
    ['id', 'integer'],
    ['s', 'smallint'],
    ['i', 'integer'],
    ['b', 'bigint'],
    ['f', 'double precision'],
    ['t', 'boolean'],
    ['v', 'varchar(40)'],
    ['c', 'char(5)'],
    ['ts', 'timestamp'],
    ['tz', 'timestamptz'],
  ] as const;
  const DDL = COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
  // Edge values of each type, in core's LoadValue conventions (timestamps in epoch microseconds).
  const ROWS: LoadRow[] = [
    [1, 0, 0, 0, 0, true, '', 'a', 0, 0],
    [2, -32768, -2147483648, -(2 ** 53 - 1), -0, false, 'tab\there\\back\nline\rcr', 'ab', -1, -1],
    [3, 32767, 2147483647, 2 ** 53 - 1, 1e308, true, 'Zoë 東京 🎵 \ud800 lone', 'é', 1541106106796123, 1541106106796123],
    [4, 7, 65536, 9223372036854775807n, 5e-324, false, 'x'.repeat(40), 'abcde', -8_000_000_000_000_000, 8_000_000_000_000_000],
    [5, null, null, -9223372036854775808n, -248.93121, null, null, null, -946_684_800_000_001, -946_684_800_000_000],
    [6, 1, -1, -4294967297, 1534778435622, true, 'NULL', '\\N', null, null],
  ];
  let db: PGlite;

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec(`create table via_text (${DDL}); create table via_binary (${DDL});`);
  });

  afterAll(async () => {
    await db.close();
  });

  async function load(table: string, encoding: CopyEncoding): Promise<void> {
    const out = new CopyBuffer();
    encoding.begin(out);
    for (const row of ROWS) encoding.writeRow(row, out);
    encoding.end(out);
    await copyFromBytes(db, `COPY ${table} FROM '${COPY_INPUT_FILE}' WITH (${encoding.options})`, out.view());
  }

  it('gives the same rows, value for value', async () => {
    const columns = COLUMNS.map(([, type]) => column(type));
    expect(chooseEncoding(columns).format).toBe('binary');
    await load('via_binary', binaryEncoding(columns));
    await load('via_text', textEncoding(columns));
    // The text of every value, as Postgres prints it: equal text is an equal value (-0 included).
    const select = (table: string) => db.query<Record<string, string | null>>(`select ${COLUMNS.map(([name]) => `${name}::text`).join(', ')} from ${table} order by id`);
    const viaBinary = (await select('via_binary')).rows;
    expect(viaBinary).toEqual((await select('via_text')).rows);
    expect(viaBinary).toHaveLength(ROWS.length);
    expect(viaBinary[1]).toMatchObject({ f: '0', v: 'tab\there\\back\nline\rcr', ts: '1969-12-31 23:59:59.999999' });
    expect(viaBinary[2]).toMatchObject({ b: '9007199254740991', v: 'Zoë 東京 🎵 \ufffd lone', c: 'é', ts: '2018-11-01 21:01:46.796123' });
    expect(viaBinary[3]).toMatchObject({ b: '9223372036854775807', ts: '1716-06-28 09:46:40', tz: '2223-07-06 14:13:20+00' });
  });
});
