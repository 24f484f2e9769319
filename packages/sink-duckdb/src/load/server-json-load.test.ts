import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineTable, type ReadProgress, type Source } from '@sparkify/core';
import { memorySource } from '@sparkify/core/testing';
import { createFsJsonSource, sourceFsConfigSchema } from '@sparkify/source-fs';
import { writeFiles } from '@sparkify/source-fs/testing';
import { DuckDbSink } from '../sink/duckdb-sink.js';

const people = defineTable({
  name: 'people',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'name', type: 'varchar(32)' },
  ],
});

describe('the server-side JSON load in the DuckDB sink', () => {
  let root: string;
  const declined: string[] = [];
  let sink: DuckDbSink;

  const source = (prefix = 'data', config: Record<string, unknown> = {}): Source =>
    createFsJsonSource(sourceFsConfigSchema.parse({ path: prefix, format: 'auto', ...config }), (written) => path.resolve(root, written));
  const names = async () => (await sink.query('SELECT name FROM people ORDER BY id')).rows.map((row) => row['name']);

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sink-duckdb-server-load-'));
    declined.length = 0;
    sink = new DuckDbSink({ path: path.join(root, 'warehouse.duckdb'), threads: 1, serverLoad: { batchFiles: 2 }, onLoadDeclined: (_, __, reason) => declined.push(reason) });
    await sink.execute(sink.dialect.renderCreateTable(people));
  });
  afterEach(async () => {
    await sink.close();
    await rm(root, { recursive: true, force: true });
  });

  it('loads server-side in batches, reporting progress per batch', async () => {
    await writeFiles(path.join(root, 'data'), {
      'a.json': '{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n',
      'b.json': '{"id":3,"name":"c"}\n',
      'c.json': '{"id":4,"name":"d"}',
    });
    const progress: ReadProgress[] = [];
    const result = await sink.load({ source: source(), table: people, maxErrors: 0, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ table: 'people', rowsRead: 4, rowsLoaded: 4, rowsRejected: 0, rejected: [], path: 'server', warnings: [] });
    expect(progress.map((p) => [p.objectsDone, p.rowsRead])).toEqual([
      [2, 3],
      [3, 4],
    ]);
    expect(progress.at(-1)).toMatchObject({ objectsTotal: 3, rowsRejected: 0 });
    expect(await names()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a declined load leaves the unit of work usable: the client path loads, and the commit keeps everything', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n{"id":"x","name":"bad"}\n{"id":3,"name":"c"}\n' });
    await sink.begin();
    await sink.execute("INSERT INTO people VALUES (0, 'before')");
    const result = await sink.load({ source: source(), table: people, maxErrors: 1 });
    expect(result).toMatchObject({ path: 'client', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1, rejected: [{ line: 2, column: 'id' }] });
    expect(declined).toEqual([expect.stringMatching(/1 record\(s\) the client path would reject/)]);
    await sink.execute("INSERT INTO people VALUES (9, 'after')");
    await sink.commit();
    expect(await names()).toEqual(['before', 'a', 'c', 'after']);
  });

  it('a malformed file declines without aborting the open transaction (DuckDB aborts it on any failed statement)', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n{"id": nope}\n' });
    await sink.begin();
    await expect(sink.load({ source: source(), table: people, maxErrors: 0 })).rejects.toMatchObject({ kind: 'input', location: { line: 2 } });
    // The staged read turns the line into a NULL row; the checked read fails on it; the client path reports it.
    expect(declined).toEqual([expect.stringMatching(/1 line\(s\) DuckDB could not read as one JSON value/), expect.stringMatching(/Malformed JSON/)]);
    await sink.rollback();
  });

  it('a staged load that declines in a later batch deletes what it inserted from the earlier ones', async () => {
    await writeFiles(path.join(root, 'data'), {
      'a.json': '{"id":1,"name":"a"}\n',
      'b.json': '{"id":2,"name":"b"}\n',
      'c.json': '{"id":"x","name":"bad"}\n{"id":3,"name":"c"}\n',
    });
    await sink.begin();
    await sink.execute("INSERT INTO people VALUES (0, 'before')");
    const result = await sink.load({ source: source(), table: people, maxErrors: 1 });
    expect(result).toMatchObject({ path: 'client', rowsRead: 4, rowsLoaded: 3, rowsRejected: 1 });
    expect(declined).toEqual([expect.stringMatching(/1 record\(s\) the client path would reject/)]);
    await sink.commit();
    expect(await names()).toEqual(['before', 'a', 'b', 'c']);
  });

  it('a server-side load inside a unit of work rolls back with it', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n' });
    await sink.begin();
    expect((await sink.load({ source: source(), table: people, maxErrors: 0 })).path).toBe('server');
    expect(await names()).toEqual(['a']);
    await sink.rollback();
    expect(await names()).toEqual([]);
  });

  it('two loads at once: each checks on its own side connection, then they insert in turn', async () => {
    await writeFiles(path.join(root, 'one'), { 'a.json': '{"id":1,"name":"a"}\n' });
    await writeFiles(path.join(root, 'two'), { 'b.json': '{"id":2,"name":"b"}\n' });
    const results = await Promise.all([sink.load({ source: source('one'), table: people, maxErrors: 0 }), sink.load({ source: source('two'), table: people, maxErrors: 0 })]);
    expect(results.map((result) => result.path)).toEqual(['server', 'server']);
    expect(await names()).toEqual(['a', 'b']);
  });

  it('a cancelled load is a CancelledError and loads nothing', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n' });
    const controller = new AbortController();
    controller.abort();
    await expect(sink.load({ source: source(), table: people, maxErrors: 0, signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await names()).toEqual([]);
  });

  it('a source that is not local files goes client-side without a decline', async () => {
    const result = await sink.load({ source: memorySource([{ rows: [[1, 'm']], rejected: [] }]), table: people, maxErrors: 0 });
    expect(result.path).toBe('client');
    expect(declined).toEqual([]);
  });

  it('a source that cannot be described goes client-side, which reports why', async () => {
    await expect(sink.load({ source: source('missing/data'), table: people, maxErrors: 0 })).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/no such folder/) });
  });

  it('plan shows the staged read and the insert, with the file list shortened', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{}', 'b.json': '{}', 'c.json': '{}', 'd.json': '{}' });
    const statements = await new DuckDbSink({ path: ':memory:', serverLoad: { batchFiles: 10 } }).planLoad({ source: source(), table: people, maxErrors: 0 });
    expect(statements).toHaveLength(5);
    expect(statements[0]).toMatch(/^-- staged server-side load: 4 file\(s\) in 1 batch\(es\), each read once by DuckDB into a temporary table/);
    expect(statements[1]).toMatch(/^CREATE OR REPLACE TEMPORARY TABLE __sparkify_records AS SELECT filename AS __file, json AS __json\nFROM read_json_objects\(\['.*a\.json', '.*b\.json', '.*c\.json'\], format = 'newline_delimited', .*ignore_errors = true\)$/);
    expect(statements[1]).not.toContain('d.json');
    expect(statements[2]).toMatch(/^CREATE OR REPLACE TEMPORARY TABLE __sparkify_staged AS SELECT __sparkify_file, __sparkify_bytes, __sparkify_bad, [\s\S]*FROM __sparkify_records\)+$/);
    expect(statements[3]).toMatch(/^SELECT count\(\*\) AS records, coalesce\(sum\(__sparkify_bytes\), 0\) AS bytes, … FROM __sparkify_staged$/);
    expect(statements[4]).toBe('INSERT INTO "people" ("id", "name") SELECT "id", "name" FROM __sparkify_staged');
  });

  it('plan shows the checks and the insert of the checked path where the staged one does not read the files (gzip)', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json.gz': gzipSync('{}'), 'b.json.gz': gzipSync('{}'), 'c.json.gz': gzipSync('{}') });
    const statements = await new DuckDbSink({ path: ':memory:', serverLoad: { batchFiles: 10 } }).planLoad({ source: source(), table: people, maxErrors: 0 });
    expect(statements).toHaveLength(4);
    expect(statements[0]).toMatch(/^-- server-side load: 3 file\(s\) in 1 batch\(es\) read by DuckDB's JSON reader/);
    expect(statements[2]).toMatch(/^SELECT count\(\*\) AS records, count_if\(NOT __ok\) AS unsure/);
    expect(statements[3]).toMatch(/^INSERT INTO "people" \("id", "name"\) SELECT __x0 AS "id", __t1 AS "name"\n[\s\S]*FROM read_json\(\[.*\], format = 'newline_delimited', compression = 'gzip'/);
  });

  describe('on a working copy (a failed statement undoes only itself)', () => {
    let copySink: DuckDbSink;
    const copyNames = async () => (await copySink.query('SELECT name FROM people ORDER BY id')).rows.map((row) => row['name']);
    beforeEach(async () => {
      const options = { path: path.join(root, 'copy.duckdb'), threads: 1, serverLoad: { batchFiles: 1, staged: false } };
      copySink = new DuckDbSink({ ...options, onLoadDeclined: (_, __, reason) => declined.push(reason) });
      await copySink.execute(copySink.dialect.renderCreateTable(people));
      await copySink.begin();
    });
    afterEach(() => copySink.close());

    it('plan shows the raw-text check and one read into the table, no values check', async () => {
      await writeFiles(path.join(root, 'data'), { 'a.json': '{}' });
      const statements = await copySink.planLoad({ source: source(), table: people, maxErrors: 0 });
      expect(statements).toHaveLength(3);
      expect(statements[0]).toMatch(/^-- server-side load: 1 file\(s\) in 1 batch\(es\) .* the read failing on the first record not certainly clean/);
      expect(statements[1]).toMatch(/^SELECT count_if\(contains\(content, chr\(11\)\)/);
      expect(statements[2]).toMatch(/^INSERT INTO "people" \("id", "name"\) SELECT __x0 AS "id", __t1 AS "name"\n[\s\S]*\nWHERE CASE WHEN __ok THEN true ELSE error\('sparkify: a record/);
    });

    it('loads clean files with one read each, and commits them', async () => {
      await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n', 'b.json': '{"id":2,"name":"b"}\n' });
      const progress: ReadProgress[] = [];
      const result = await copySink.load({ source: source(), table: people, maxErrors: 0, onProgress: (p) => progress.push(p) });
      expect(result).toEqual({ table: 'people', rowsRead: 2, rowsLoaded: 2, rowsRejected: 0, rejected: [], path: 'server', warnings: [] });
      expect(progress.at(-1)).toMatchObject({ objectsDone: 2, objectsTotal: 2, rowsRead: 2 });
      expect(declined).toEqual([]);
      await copySink.commit();
      expect(await copyNames()).toEqual(['a', 'b']);
    });

    it('a read failing in a later batch deletes what the earlier ones inserted; the values check then says why, and the client path loads', async () => {
      await writeFiles(path.join(root, 'data'), {
        'a.json': '{"id":1,"name":"a"}\n',
        'b.json': '{"id":"x","name":"bad"}\n{"id":3,"name":"c"}\n',
      });
      await copySink.execute("INSERT INTO people VALUES (0, 'before')");
      const result = await copySink.load({ source: source(), table: people, maxErrors: 1 });
      expect(result).toMatchObject({ path: 'client', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1, rejected: [{ line: 1, column: 'id' }] });
      expect(declined).toEqual([expect.stringMatching(/1 record\(s\) the client path would reject/)]);
      await copySink.commit();
      expect(await copyNames()).toEqual(['before', 'a', 'c']);
    });

    it('a raw-text problem found while the tried read ran deletes what the read inserted; the client path loads', async () => {
      // The NaN is in a key the table does not read: the tried read loads both files, the raw check then declines.
      await writeFiles(path.join(root, 'data'), {
        'a.json': '{"id":1,"name":"a"}\n',
        'b.json': '{"id":2,"name":"b","extra":NaN}\n{"id":3,"name":"c"}\n',
      });
      await copySink.execute("INSERT INTO people VALUES (0, 'before')");
      const result = await copySink.load({ source: source(), table: people, maxErrors: 1 });
      expect(result).toMatchObject({ path: 'client', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1, rejected: [{ line: 1 }] });
      expect(declined).toEqual([expect.stringMatching(/a trailing comma or a NaN\/Infinity literal/)]);
      await copySink.commit();
      expect(await copyNames()).toEqual(['before', 'a', 'c']);
    });

    it('a layout the tried read does not take (pretty-printed) is checked, then loaded server-side', async () => {
      await writeFiles(path.join(root, 'data'), { 'a.json': '{\n  "id": 1,\n  "name": "a"\n}\n' });
      const result = await copySink.load({ source: source(), table: people, maxErrors: 0 });
      expect(result).toMatchObject({ path: 'server', rowsRead: 1, rowsLoaded: 1 });
      expect(declined).toEqual([]);
      expect(await copyNames()).toEqual(['a']);
    });
  });

  it('serverLoad: false always loads client-side', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n' });
    const client = new DuckDbSink({ path: ':memory:', serverLoad: false });
    try {
      await client.execute(client.dialect.renderCreateTable(people));
      expect((await client.load({ source: source(), table: people, maxErrors: 0 })).path).toBe('client');
    } finally {
      await client.close();
    }
  });

  it('the JSONPaths file of a source is read once, and its arity checked as COPY does', async () => {
    await writeFiles(path.join(root, 'data'), { 'a.json': '{"id":1,"name":"a"}\n' });
    await writeFile(path.join(root, 'paths.json'), JSON.stringify({ jsonpaths: ["$['id']"] }));
    await expect(sink.load({ source: source('data', { format: undefined, jsonPaths: 'paths.json' }), table: people, maxErrors: 0 })).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringMatching(/has 1 expression\(s\) but the target table has 2 column\(s\)/),
    });
    expect(declined).toEqual([]);
  });
});
