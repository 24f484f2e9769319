import { PGlite } from '@electric-sql/pglite';
import { COPY_INPUT_FILE, copyFromBytes } from './copy-input.js';

describe('copyFromBytes', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec('create table t (n integer, s varchar(8))');
  });

  afterAll(async () => {
    await db.close();
  });

  const inputFile = async () => (await db.query<{ size: number | null }>(`select (pg_stat_file('${COPY_INPUT_FILE}', true)).size`)).rows[0]?.size ?? null;
  const copy = (text: string) => copyFromBytes(db, `COPY t FROM '${COPY_INPUT_FILE}' WITH (FORMAT text)`, Buffer.from(text));

  it('loads the bytes as the COPY input, and removes the file afterwards', async () => {
    await copy('1\tone\n2\t\\N\n');
    expect((await db.query('select n, s from t order by n')).rows).toEqual([
      { n: 1, s: 'one' },
      { n: 2, s: null },
    ]);
    expect(await inputFile()).toBeNull();
  });

  it('removes the file when the COPY fails too', async () => {
    await expect(copy('x\ty\n')).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await inputFile()).toBeNull();
    await copy('3\tthree\n');
    expect((await db.query('select count(*)::int as n from t')).rows).toEqual([{ n: 3 }]);
  });
});
