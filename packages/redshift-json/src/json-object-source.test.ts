import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineTable, InputDataError, type LoadRow, type ReadOptions, type ReadProgress, type RejectedRecord, type TableSpec } from '@sparkify/core';
import { stagingEvents, stagingSongs } from '../../sparkify-pipeline/src/schema/tables.js';
import { JsonObjectSource, type JsonObjectSourceOptions } from './json-object-source.js';
import { MemoryObjectStore } from './memory-object-store.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';

const SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');

async function sampleStore(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore({}, { scheme: 's3', bucket: 'udacity-dend' });
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else store.put(`${prefix}${entry.name}`, await readFile(full));
    }
  };
  await walk(SAMPLE, '');
  return store;
}

interface Outcome {
  rows: LoadRow[];
  rejected: RejectedRecord[];
  batches: number[];
  progress: ReadProgress[];
}

async function readAll(source: JsonObjectSource, table: TableSpec, options: Partial<ReadOptions> = {}): Promise<Outcome> {
  const outcome: Outcome = { rows: [], rejected: [], batches: [], progress: [] };
  for await (const batch of source.read({ columns: table.columns, maxErrors: 0, onProgress: (p) => outcome.progress.push(p), ...options })) {
    outcome.rows.push(...batch.rows);
    outcome.rejected.push(...batch.rejected);
    outcome.batches.push(batch.rows.length);
  }
  return outcome;
}

async function failure(promise: Promise<unknown>): Promise<InputDataError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputDataError) return error;
    throw error;
  }
  throw new Error('expected an InputDataError');
}

function source(files: Record<string, string | Uint8Array>, options: Partial<JsonObjectSourceOptions> = {}): JsonObjectSource {
  const store = new MemoryObjectStore(files, { scheme: 's3', bucket: 'b' });
  return new JsonObjectSource({ store, prefix: 'data', mapping: { mode: 'auto' }, ...options });
}

describe('the real sample (udacity-sample)', () => {
  it('loads log_data through log_json_path.json into staging_events: 8056 rows, 286 without user', async () => {
    const store = await sampleStore();
    const events = new JsonObjectSource({ store, prefix: 'log_data', mapping: { mode: 'jsonpaths', key: 'log_json_path.json' }, timeFormat: 'epochmillisecs' });
    const description = await events.describe();
    expect(description.objects).toHaveLength(30);
    expect(description.location).toBe('s3://udacity-dend/log_data');
    expect(description.mapping).toMatchObject({ mode: 'jsonpaths', uri: 's3://udacity-dend/log_json_path.json' });
    expect(description.warnings).toEqual([]);
    const { rows, rejected, progress } = await readAll(events, stagingEvents);
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(8056);
    const at = (name: string) => stagingEvents.columns.findIndex((c) => c.name === name);
    expect(rows.filter((row) => row[at('user_id')] === null)).toHaveLength(286);
    expect(rows.every((row) => typeof row[at('ts')] === 'number')).toBe(true);
    // First file in key order is 2018-11-01-events.json; its first record:
    expect(rows[0]?.[at('ts')]).toBe(1541105830796000);
    expect(rows[0]?.[at('page')]).toBe('Home');
    expect(rows[0]?.[at('user_id')]).toBe(39);
    expect(rows[0]?.[at('registration')]).toBe(1540919166796);
    expect(progress.at(-1)).toMatchObject({ objectsDone: 30, objectsTotal: 30, rowsRead: 8056, rowsRejected: 0 });
  });

  it('loads song_data with auto into staging_songs: 71 rows', async () => {
    const songs = new JsonObjectSource({ store: await sampleStore(), prefix: 'song_data', mapping: { mode: 'auto' } });
    const { rows, rejected } = await readAll(songs, stagingSongs);
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(71);
    expect(rows.find((row) => row[6] === 'SOMZWCG12A8C13C480')).toEqual([1, 'ARD7TVE1187B99BFB1', null, null, 'California - LA', 'Casual', 'SOMZWCG12A8C13C480', "I Didn't Mean To", 218.93179, 0]);
  });
});

describe('the developer guide examples (r_COPY_command_examples, "Copy from JSON examples")', () => {
  const category = defineTable({
    name: 'category',
    columns: [
      { name: 'catid', type: 'smallint', nullable: false },
      { name: 'catgroup', type: 'varchar(10)' },
      { name: 'catname', type: 'varchar(10)' },
      { name: 'catdesc', type: 'varchar(50)' },
    ],
  });
  const expected = [
    [1, 'Sports', 'MLB', 'Major League Baseball'],
    [2, 'Sports', 'NHL', 'National Hockey League'],
    [3, 'Sports', 'NFL', 'National Football League'],
    [4, 'Sports', 'NBA', 'National Basketball Association'],
    [5, 'Shows', 'Musicals', 'All symphony, concerto, and choir concerts'],
  ];
  const autoFile = (key: (name: string) => string) =>
    [
      `{\n    "${key('catdesc')}": "Major League Baseball",\n    "${key('catid')}": 1,\n    "${key('catgroup')}": "Sports",\n    "${key('catname')}": "MLB"\n}`,
      `{\n    "${key('catgroup')}": "Sports",\n    "${key('catid')}": 2,\n    "${key('catname')}": "NHL",\n    "${key('catdesc')}": "National Hockey League"\n}{`,
      `    "${key('catid')}": 3,\n    "${key('catname')}": "NFL",\n    "${key('catgroup')}": "Sports",\n    "${key('catdesc')}": "National Football League"\n}`,
      `{\n    "bogus": "Bogus Sports LLC",\n    "${key('catid')}": 4,\n    "${key('catgroup')}": "Sports",\n    "${key('catname')}": "NBA",\n    "${key('catdesc')}": "National Basketball Association"\n}`,
      `{\n    "${key('catid')}": 5,\n    "${key('catgroup')}": "Shows",\n    "${key('catname')}": "Musicals",\n    "${key('catdesc')}": "All symphony, concerto, and choir concerts"\n}\n`,
    ].join('\n');

  it("loads category_object_auto.json with 'auto' (pretty-printed, one pair back to back, a bogus key)", async () => {
    const json = new JsonObjectSource({ store: new MemoryObjectStore({ 'category_object_auto.json': autoFile((k) => k) }), prefix: 'category_object_auto.json', mapping: { mode: 'auto' } });
    expect((await readAll(json, category)).rows).toEqual(expected);
  });

  it("loads category_object_auto-ignorecase.json with 'auto ignorecase'", async () => {
    const camel: Record<string, string> = { catdesc: 'CatDesc', catid: 'CatID', catgroup: 'CatGroup', catname: 'CatName' };
    const file = autoFile((k) => camel[k]!);
    const store = new MemoryObjectStore({ 'category_object_auto-ignorecase.json': file });
    const ignorecase = new JsonObjectSource({ store, prefix: 'category_object_auto-ignorecase.json', mapping: { mode: 'auto ignorecase' } });
    expect((await readAll(ignorecase, category)).rows).toEqual(expected);
    // With plain 'auto' no key matches, and catid is NOT NULL: every record is rejected.
    const auto = new JsonObjectSource({ store, prefix: 'category_object_auto-ignorecase.json', mapping: { mode: 'auto' } });
    const { rejected } = await readAll(auto, category, { maxErrors: 10 });
    expect(rejected.map((r) => [r.line, r.column, r.reason])).toEqual([6, 12, 17, 24, 30].map((line) => [line, 'catid', 'Missing data for not-null field']));
  });

  it('loads category_object_paths.json through category_jsonpath.json', async () => {
    const objects = [
      '{\n    "one": 1,\n    "two": "Sports",\n    "three": "MLB",\n    "four": "Major League Baseball"\n}',
      '{\n    "three": "NHL",\n    "four": "National Hockey League",\n    "one": 2,\n    "two": "Sports"\n}',
      '{\n    "two": "Sports",\n    "three": "NFL",\n    "one": 3,\n    "four": "National Football League"\n}',
      '{\n    "one": 4,\n    "two": "Sports",\n    "three": "NBA",\n    "four": "National Basketball Association"\n}',
      '{\n    "one": 6,\n    "two": "Shows",\n    "three": "Musicals",\n    "four": "All symphony, concerto, and choir concerts"\n}',
    ];
    const store = new MemoryObjectStore({
      'category_object_paths.json': objects.join('\n'),
      'category_jsonpath.json': `{\n    "jsonpaths": [\n        "$['one']",\n        "$['two']",\n        "$['three']",\n        "$['four']"\n    ]\n}`,
    });
    const json = new JsonObjectSource({ store, prefix: 'category_object_paths.json', mapping: { mode: 'jsonpaths', key: 'category_jsonpath.json' } });
    const rows = (await readAll(json, category)).rows;
    expect(rows).toEqual([...expected.slice(0, 4), [6, ...expected[4]!.slice(1)]]);
  });

  it('loads category_array_data.json (arrays) through category_array_jsonpath.json', async () => {
    const data = [
      '[1,"Sports","MLB","Major League Baseball"]',
      '[2,"Sports","NHL","National Hockey League"]',
      '[3,"Sports","NFL","National Football League"]',
      '[4,"Sports","NBA","National Basketball Association"]',
      '[5,"Concerts","Classical","All symphony, concerto, and choir concerts"]',
    ].join('\n');
    const store = new MemoryObjectStore({ 'category_array_data.json': data, 'category_array_jsonpath.json': '{"jsonpaths": ["$[0]", "$[1]", "$[2]", "$[3]"]}' });
    const json = new JsonObjectSource({ store, prefix: 'category_array_data.json', mapping: { mode: 'jsonpaths', key: 'category_array_jsonpath.json' } });
    const rows = (await readAll(json, category)).rows;
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5]);
    expect(rows[4]).toEqual([5, 'Concerts', 'Classical', 'All symphony, concerto, and choir concerts']);
  });

  it('loads escape.json into escapes (copy-usage_notes-copy-from-json)', async () => {
    const escapes = defineTable({
      name: 'escapes',
      columns: [
        { name: 'backslash', type: 'varchar(25)' },
        { name: 'newline', type: 'varchar(35)' },
        { name: 'tab', type: 'varchar(35)' },
      ],
    });
    const file = '{\n  "backslash": "This is a backslash: \\\\",\n  "newline": "This sentence\\n is on two lines.",\n  "tab": "This sentence \\t contains a tab."\n}';
    const json = new JsonObjectSource({ store: new MemoryObjectStore({ 'json/escape.json': file }), prefix: 'json/escape.json', mapping: { mode: 'auto' } });
    expect((await readAll(json, escapes)).rows).toEqual([['This is a backslash: \\', 'This sentence\n is on two lines.', 'This sentence \t contains a tab.']]);
  });

  it('loads objects and arrays named by JSONPaths as their JSON text', async () => {
    const text = defineTable({ name: 'x', columns: [{ name: 'tags', type: 'varchar(100)' }, { name: 'friend', type: 'varchar(100)' }, { name: 'location', type: 'varchar(10)' }] });
    const record = '{"tags": ["nisi", "culpa"], "friends": [{"id": 0, "name": "Carmella"}, {"id": 1, "name": "Renaldo"}], "location": ["here", 2.0]}';
    const store = new MemoryObjectStore({ 'd.json': record, 'p.json': `{"jsonpaths": ["$['tags']", "$['friends'][1]", "$['location'][1]"]}` });
    const json = new JsonObjectSource({ store, prefix: 'd.json', mapping: { mode: 'jsonpaths', key: 'p.json' } });
    expect((await readAll(json, text)).rows).toEqual([['["nisi","culpa"]', '{"id":1,"name":"Renaldo"}', '2.0']]);
  });
});

const events = defineTable({
  name: 'events',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'varchar(16)' },
  ],
});
const ndjson = (...ids: number[]) => ids.map((id) => `{"id": ${id}, "name": "n${id}"}\n`).join('');

describe('JsonObjectSource.describe', () => {
  it('warns when the prefix over-matches, and still reads what COPY would', async () => {
    const json = source({ 'data/a.json': ndjson(1), 'data_old/b.json': ndjson(2), 'data_old/c.json': ndjson(3), 'data.bak': ndjson(4), 'dat': ndjson(5) });
    const description = await json.describe();
    expect(description.objects.map((o) => o.key)).toEqual(['data.bak', 'data/a.json', 'data_old/b.json', 'data_old/c.json']);
    expect(description.warnings).toEqual([
      'prefix s3://b/data also matches data.bak (1 object), data_old/ (2 objects): COPY loads every key that starts with the prefix; end it with "/" (or use a manifest) to load only data/',
    ]);
    expect(description.store).toEqual({ bucket: 'b', prefix: 'data' });
    expect((await readAll(json, events)).rows.map((r) => r[0])).toEqual([4, 1, 2, 3]);
  });

  it('does not warn for a prefix that matches by name start only, or ends with "/"', async () => {
    expect((await source({ 'data1.json': ndjson(1), 'data2.json': ndjson(2) }).describe()).warnings).toEqual([]);
    expect((await source({ 'data/a.json': ndjson(1), 'data_old/b': ndjson(2) }, { prefix: 'data/' }).describe()).warnings).toEqual([]);
  });

  it('warns when the JSONPaths file lies under the data prefix, and reads it as data as COPY does', async () => {
    const json = source({ 'data/a.json': ndjson(1), 'data/paths.json': `{"jsonpaths": ["$['id']", "$['name']"]}` }, { mapping: { mode: 'jsonpaths', key: 'data/paths.json' } });
    const description = await json.describe();
    expect(description.warnings).toEqual([expect.stringMatching(/^the JSONPaths file s3:\/\/b\/data\/paths\.json lies under the data prefix s3:\/\/b\/data: COPY reads it as a data file too/)]);
    expect((await readAll(json, events)).rows).toEqual([
      [1, 'n1'],
      [null, null],
    ]);
  });

  it('falls back to auto (with a warning) when the JSONPaths key is not exactly "jsonpaths"', async () => {
    const json = source({ 'data/a.json': ndjson(1), 'paths.json': `{"JSONPaths": ["$['name']", "$['id']"]}` }, { mapping: { mode: 'jsonpaths', key: 'paths.json' } });
    const description = await json.describe();
    expect(description.mapping).toEqual({ mode: 'auto' });
    expect(description.warnings).toEqual([expect.stringMatching(/has the key "JSONPaths" instead of "jsonpaths": Redshift silently ignores such a file/)]);
    expect((await readAll(json, events)).rows).toEqual([[1, 'n1']]);
  });

  it('fails on a bad or missing JSONPaths file', async () => {
    const bad = source({ 'data/a.json': ndjson(1), 'paths.json': '{"jsonpaths": ["$.a[*]"]}' }, { mapping: { mode: 'jsonpaths', key: 'paths.json' } });
    expect((await failure(bad.describe())).message).toMatch(/JSONPaths file s3:\/\/b\/paths\.json: expression 1 "\$\.a\[\*\]"/);
    const missing = source({ 'data/a.json': ndjson(1) }, { mapping: { mode: 'jsonpaths', key: 'nope.json' } });
    expect((await failure(missing.describe())).location.file).toBe('s3://b/nope.json');
    const gz = source({ 'data/a.json': ndjson(1), 'paths.json': gzipSync('{"jsonpaths": ["$.id", "$.name"]}') }, { mapping: { mode: 'jsonpaths', key: 'paths.json' } });
    expect((await failure(gz.describe())).message).toMatch(/gzip-compressed/);
  });

  it('sniffs gzip by magic bytes where the store can, and warns about mixed compression', async () => {
    const json = source({ 'data/a.json': gzipSync(ndjson(1)), 'data/b.json': ndjson(2), 'data/c.gz': '' });
    const description = await json.describe();
    expect(description.objects.map((o) => [o.key, o.compression])).toEqual([
      ['data/a.json', 'gzip'],
      ['data/b.json', 'none'],
      ['data/c.gz', 'gzip'],
    ]);
    expect(description.warnings).toEqual([expect.stringMatching(/^2 of 3 objects under s3:\/\/b\/data are gzip-compressed/)]);
    expect((await readAll(json, events)).rows).toEqual([
      [1, 'n1'],
      [2, 'n2'],
    ]);
  });

  it('sniffs gzip with readHead where the store lists no heads, and with the listed heads where it does', async () => {
    const files = { 'data/a.json': gzipSync(ndjson(1)), 'data/b.json': ndjson(2), 'data/c.json': 'x' };
    const heads: string[] = [];
    const store = new MemoryObjectStore(files, { scheme: 's3', bucket: 'b' });
    const readHead = store.readHead.bind(store);
    store.readHead = async (key, length, options) => {
      heads.push(key);
      return readHead(key, length, options);
    };
    const sniffed = async () => (await new JsonObjectSource({ store, prefix: 'data', mapping: { mode: 'auto' } }).describe()).objects.map((o) => o.compression);
    expect(await sniffed()).toEqual(['gzip', 'none', 'none']);
    expect(heads).toEqual([]);
    const list = store.list.bind(store);
    // A store that cannot read heads as it lists (S3) ignores headBytes.
    store.list = (prefix) => list(prefix);
    expect(await sniffed()).toEqual(['gzip', 'none', 'none']);
    expect(heads).toEqual(['data/a.json', 'data/b.json']);
  });

  it('treats every object as gzip, or none, when told (COPY ... GZIP)', async () => {
    const files = { 'data/a.json': gzipSync(ndjson(1)), 'data/b.json': ndjson(2) };
    const gzip = source(files, { compression: 'gzip' });
    expect((await gzip.describe()).objects.map((o) => o.compression)).toEqual(['gzip', 'gzip']);
    expect((await gzip.describe()).warnings).toEqual([]);
    expect((await failure(readAll(gzip, events, { maxErrors: 10 }))).message).toMatch(/^s3:\/\/b\/data\/b\.json: cannot decompress/);
    const none = source(files, { compression: 'none' });
    expect((await none.describe()).objects.map((o) => o.compression)).toEqual(['none', 'none']);
    const { rows, rejected } = await readAll(none, events, { maxErrors: 10 });
    expect(rows).toEqual([[2, 'n2']]);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.file === 's3://b/data/a.json')).toBe(true);
  });

  it('names the prefix when nothing matches', async () => {
    const error = await failure(source({ 'other/a.json': ndjson(1) }).describe());
    expect(error.message).toBe('no objects match s3://b/data');
  });
});

describe('JsonObjectSource.read', () => {
  it('streams batches of batchRows in key order, whatever the concurrency', async () => {
    const files: Record<string, string> = {};
    const ids: number[] = [];
    for (let f = 0; f < 9; f++) {
      const fileIds = Array.from({ length: 37 * (f + 1) }, (_, i) => f * 10000 + i);
      files[`data/${f}.json`] = ndjson(...fileIds);
      ids.push(...fileIds);
    }
    for (const concurrency of [1, 3, 16]) {
      const { rows, batches, progress } = await readAll(source(files, { batchRows: 100 }), events, { concurrency });
      expect(rows.map((r) => r[0])).toEqual(ids);
      expect(batches.slice(0, -1).every((size) => size === 100)).toBe(true);
      expect(progress.map((p) => p.rowsRead)).toEqual([...progress.map((p) => p.rowsRead)].sort((a, b) => a - b));
      expect(progress.at(-1)).toMatchObject({ objectsDone: 9, rowsRead: ids.length });
    }
  });

  it('counts rows read = loaded + rejected, and fails once rejected > maxErrors with every rejection in the details', async () => {
    const files = {
      'data/a.json': `${ndjson(1)}{"id": "x"}\n`,
      'data/b.json': `garbage\n${ndjson(2)}{"id": 3, "name": "a name that is too long"}\n`,
    };
    const ok = await readAll(source(files), events, { maxErrors: 3 });
    expect(ok.rows).toEqual([
      [1, 'n1'],
      [2, 'n2'],
    ]);
    expect(ok.rejected).toEqual([
      { file: 's3://b/data/a.json', line: 2, column: 'id', value: 'x', reason: 'invalid integer value: "x" is not an integer (Invalid digit)' },
      { file: 's3://b/data/b.json', line: 1, value: 'garbage', reason: 'unexpected text outside a JSON object: "garbage"' },
      { file: 's3://b/data/b.json', line: 3, column: 'name', value: 'a name that is too long', reason: 'String length exceeds DDL length: 23 bytes into varchar(16)' },
    ]);
    expect(ok.progress.at(-1)).toMatchObject({ rowsRead: 5, rowsRejected: 3 });

    const error = await failure(readAll(source(files), events, { maxErrors: 2 }));
    expect(error.message).toBe(
      '3 record(s) rejected, more than maxErrors (2) allows; first: s3://b/data/a.json line 2, column id: invalid integer value: "x" is not an integer (Invalid digit) (value "x")',
    );
    expect(error.location).toEqual({ file: 's3://b/data/a.json', line: 2, field: 'id' });
    expect(error.details).toEqual({ rejected: ok.rejected, rejectedCount: 3, rowsRead: 5, maxErrors: 2 });
  });

  it('fails the load on a JSONPaths index a record lacks, whatever maxErrors', async () => {
    const json = source({ 'data/a.json': '{"a": [1]}\n{"a": []}\n', 'p.json': '{"jsonpaths": ["$.a[0]", "$.b"]}' }, { mapping: { mode: 'jsonpaths', key: 'p.json' } });
    const error = await failure(readAll(json, events, { maxErrors: 100 }));
    expect(error.message).toMatch(/^s3:\/\/b\/data\/a\.json line 2: Invalid JSONPath format: Not an array or index out of range/);
    expect(error.location).toEqual({ file: 's3://b/data/a.json', line: 2 });
  });

  it('fails on a JSONPaths file with the wrong number of expressions, naming both counts', async () => {
    const json = source({ 'data/a.json': ndjson(1), 'p.json': '{"jsonpaths": ["$.id"]}' }, { mapping: { mode: 'jsonpaths', key: 'p.json' } });
    expect((await failure(readAll(json, events))).message).toMatch(/s3:\/\/b\/p\.json has 1 expression\(s\) but the target table has 2 column\(s\)/);
  });

  it('yields the rows of earlier objects, then fails on one that does not decompress', async () => {
    const gz = gzipSync(ndjson(5, 6, 7));
    const json = source({ 'data/a.json': ndjson(1), 'data/b.json.gz': gz.subarray(0, 10), 'data/c.json.gz': 'not gzip at all' }, { batchRows: 1 });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const batch of json.read({ columns: events.columns, maxErrors: 10 })) seen.push(...batch.rows.map((r) => Number(r[0])));
    })();
    const error = await failure(reading);
    expect(error.message).toMatch(/^s3:\/\/b\/data\/b\.json\.gz: cannot decompress: the gzip stream is truncated/);
    expect(seen).toEqual([1]);
    const notGzip = await failure(readAll(source({ 'data/c.json.gz': 'not gzip at all' }), events));
    expect(notGzip.message).toMatch(/^s3:\/\/b\/data\/c\.json\.gz: cannot decompress: the gzip stream is not valid gzip data/);
  });

  it('keeps memory flat: objects are pulled only as far as the consumer reads', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 6; f++) files[`data/${f}.json`] = ndjson(...Array.from({ length: 20000 }, (_, i) => i));
    const store = new CountingStore(new MemoryObjectStore(files, { chunkSize: 4096 }));
    const json = new JsonObjectSource({ store, prefix: 'data', mapping: { mode: 'auto' }, batchRows: 100, concurrency: 3 });
    const total = Object.values(files).reduce((sum, text) => sum + text.length, 0);
    for await (const batch of json.read({ columns: events.columns, maxErrors: 0 })) {
      expect(batch.rows).toHaveLength(100);
      break;
    }
    // Three objects in flight, each at most a few batches ahead: a tiny part of the input.
    expect(store.bytesPulled).toBeLessThan(total / 20);
  });

  it('stops its readers when the consumer aborts', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 4; f++) files[`data/${f}.json`] = ndjson(...Array.from({ length: 5000 }, (_, i) => i));
    const store = new CountingStore(new MemoryObjectStore(files, { chunkSize: 1024 }));
    const json = new JsonObjectSource({ store, prefix: 'data', mapping: { mode: 'auto' }, batchRows: 50 });
    const controller = new AbortController();
    const reading = (async () => {
      for await (const batch of json.read({ columns: events.columns, maxErrors: 0, signal: controller.signal })) {
        expect(batch.rows.length).toBeGreaterThan(0);
        controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ kind: 'cancelled' });
    const pulled = store.bytesPulled;
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.bytesPulled).toBe(pulled);
  });
});

/** Wraps a store and counts the bytes its readers have pulled. */
class CountingStore implements ObjectStore {
  bytesPulled = 0;
  readonly scheme: string;
  constructor(private readonly inner: ObjectStore) {
    this.scheme = inner.scheme;
  }
  location(prefix: string): string {
    return this.inner.location(prefix);
  }
  uri(key: string): string {
    return this.inner.uri(key);
  }
  storeInfo(): Record<string, string> {
    return this.inner.storeInfo();
  }
  list(prefix: string, options?: { signal?: AbortSignal }): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix, options);
  }
  async open(key: string, options?: { signal?: AbortSignal }): Promise<AsyncIterable<Uint8Array>> {
    const chunks = await this.inner.open(key, options);
    const self = this;
    return (async function* counted() {
      for await (const chunk of chunks) {
        self.bytesPulled += chunk.byteLength;
        yield chunk;
      }
    })();
  }
}
