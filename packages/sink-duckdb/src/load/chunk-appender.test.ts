import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineTable } from '@sparkify/core';
import { createFsJsonSource, sourceFsConfigSchema } from '@sparkify/source-fs';
import { writeFiles } from '@sparkify/source-fs/testing';
import { DuckDbSink } from '../sink/duckdb-sink.js';

// The client-side path's data chunks: strings of every length (inline up to 12 bytes, out of
// line above, their pointers set in one pass per column), NULLs among them, land as they were.

const notes = defineTable({
  name: 'notes',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'a', type: 'varchar(1024)' },
    { name: 'b', type: 'varchar(1024)' },
  ],
});

/** A seeded string of `length` characters, some of them multibyte, some escaped in JSON. */
function text(seed: number, length: number): string {
  const alphabet = Array.from('abcdefghijklmnopqrstuvwxyz0123456789 "\\/é€😀\t');
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(seed * 31 + i * 17 + ((seed * i) % 7)) % alphabet.length];
  return out;
}

function value(id: number, column: number): string | null {
  const pick = (id * 7 + column * 3) % 11;
  if (pick === 0) return null;
  return text(id + column, [0, 1, 4, 11, 12, 13, 14, 40, 120, 300][pick - 1]!);
}

describe('the DuckDB appender of column batches', () => {
  let root: string;
  let sink: DuckDbSink;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'chunk-appender-'));
    sink = new DuckDbSink({ path: ':memory:', serverLoad: false });
    await sink.execute(sink.dialect.renderCreateTable(notes));
  });
  afterEach(async () => {
    await sink.close();
    await rm(root, { recursive: true, force: true });
  });

  it('loads strings of every length, with NULLs, over several chunks, as they were', async () => {
    const rows = Array.from({ length: 5000 }, (_, id) => ({ id, a: value(id, 0), b: value(id, 1) }));
    const lines = (from: number, to: number) => rows.slice(from, to).map((row) => JSON.stringify(row)).join('\n') + '\n';
    await writeFiles(path.join(root, 'data'), { 'one.json': lines(0, 3100), 'two.json': lines(3100, 5000) });
    const source = createFsJsonSource(sourceFsConfigSchema.parse({ path: 'data', format: 'auto' }), (p) => path.resolve(root, p));
    const result = await sink.load({ source, table: notes, maxErrors: 0 });
    expect(result).toMatchObject({ path: 'client', rowsLoaded: 5000 });
    const loaded = (await sink.query('SELECT id, a, b FROM notes ORDER BY id')).rows;
    expect(loaded).toEqual(rows);
    // Compared in DuckDB too: equality looks at a string's prefix and pointer, not just its bytes read back.
    const values = rows.map((row) => `(${row.id}, ${sql(row.a)}, ${sql(row.b)})`).join(', ');
    const differing = await sink.query(`SELECT count(*)::INTEGER AS n FROM notes JOIN (VALUES ${values}) AS v(id, a, b) USING (id) WHERE notes.a IS DISTINCT FROM v.a OR notes.b IS DISTINCT FROM v.b`);
    expect(differing.rows).toEqual([{ n: 0 }]);
  });
});

function sql(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}
