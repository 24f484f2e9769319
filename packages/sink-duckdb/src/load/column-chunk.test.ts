import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError, defineTable } from '@sparkify/core';
import { createFsJsonSource, sourceFsConfigSchema } from '@sparkify/source-fs';
import { writeFiles } from '@sparkify/source-fs/testing';
import { DuckDbSink } from '../sink/duckdb-sink.js';

// The client-side path's column batches into DuckDB (a table function, INSERT rounds): strings
// of every length (inline up to 12 bytes, out of line above, their pointers set in one pass per
// column), NULLs among them, land as they were, in order; a cancelled load leaves nothing.

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

describe('column batches into DuckDB', () => {
  let root: string;
  let sink: DuckDbSink;
  const source = () => createFsJsonSource(sourceFsConfigSchema.parse({ path: 'data', format: 'auto' }), (p) => path.resolve(root, p));
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
    const result = await sink.load({ source: source(), table: notes, maxErrors: 0 });
    expect(result).toMatchObject({ path: 'client', rowsLoaded: 5000 });
    const loaded = (await sink.query('SELECT id, a, b FROM notes ORDER BY id')).rows;
    expect(loaded).toEqual(rows);
    // Compared in DuckDB too: equality looks at a string's prefix and pointer, not just its bytes read back.
    const values = rows.map((row) => `(${row.id}, ${sql(row.a)}, ${sql(row.b)})`).join(', ');
    const differing = await sink.query(`SELECT count(*)::INTEGER AS n FROM notes JOIN (VALUES ${values}) AS v(id, a, b) USING (id) WHERE notes.a IS DISTINCT FROM v.a OR notes.b IS DISTINCT FROM v.b`);
    expect(differing.rows).toEqual([{ n: 0 }]);
  });

  it('keeps the source order over many batches (several INSERT rounds), then the connection as it was', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 6; f++) files[`f${f}.json`] = Array.from({ length: 7000 }, (_, i) => JSON.stringify({ id: f * 7000 + i, a: text(i, 20), b: null })).join('\n');
    await writeFiles(path.join(root, 'data'), files);
    const result = await sink.load({ source: source(), table: notes, maxErrors: 0 });
    expect(result).toMatchObject({ rowsRead: 42_000, rowsLoaded: 42_000 });
    const order = await sink.query('SELECT count(*)::INTEGER AS n FROM (SELECT id, row_number() OVER (ORDER BY rowid) - 1 AS position FROM notes) WHERE id <> position');
    expect(order.rows).toEqual([{ n: 0 }]);
    expect((await sink.query("SELECT current_setting('preserve_insertion_order') AS kept")).rows).toEqual([{ kept: false }]);
  });

  it('a load cancelled between batches is a CancelledError, leaves nothing, and the next load runs', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': Array.from({ length: 30_000 }, (_, id) => JSON.stringify({ id, a: text(id, 30) })).join('\n') });
    await sink.begin();
    const controller = new AbortController();
    const loading = sink.load({ source: source(), table: notes, maxErrors: 0, signal: controller.signal, onProgress: (p) => p.rowsRead > 0 && controller.abort() });
    await expect(loading).rejects.toBeInstanceOf(CancelledError);
    await sink.rollback();
    expect((await sink.query('SELECT count(*)::INTEGER AS n FROM notes')).rows).toEqual([{ n: 0 }]);
    expect(await sink.load({ source: source(), table: notes, maxErrors: 0 })).toMatchObject({ rowsLoaded: 30_000 });
  });
});

function sql(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}
