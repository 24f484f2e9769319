import { type ColumnSpec, defineTable, type LoadValue } from '@sparkify/core';
import { type ColumnBatch, columnLayout } from './column-batch.js';
import { JsonObjectSource, type JsonMappingSpec } from './json-object-source.js';
import { MemoryObjectStore } from './memory-object-store.js';
import type { ObjectStore, OpenOptions } from './object-store.js';
import { ParsePool } from './parse-pool.js';

// readColumns (the fast byte path, on worker threads or this one) must give what read gives:
// same rows, same rejections. Lines cover what the fast path reads itself and what it hands back.
const table = defineTable({
  name: 't',
  columns: [
    { name: 's', type: 'varchar(20)' },
    { name: 'c', type: 'char(4)' },
    { name: 'i', type: 'integer' },
    { name: 'b', type: 'bigint' },
    { name: 'd', type: 'double precision' },
    { name: 'ts', type: 'timestamp' },
    { name: 'n', type: 'integer', nullable: false },
    { name: 'm', type: 'decimal(6,2)' },
    { name: 'f', type: 'boolean' },
  ],
});

const lines = [
  '{"s":"plain","c":"ab","i":1,"b":12345678901234,"d":298.22329,"ts":1543536182622,"n":5,"m":"12.345","f":true}',
  '{"s":"esc\\u00e9\\/\\"q\\"","c":"x","i":"315","b":-0,"d":1533579852622.0,"ts":"1543536182622","n":"7","m":1.5,"f":"yes"}',
  '{"s":"a long string, 20 b","i":"","d":1e-400,"n":1}',
  '{"s":"this string is too long for 20","n":1}',
  '{"c":"é","n":1}',
  '{"i":3.0,"n":1}',
  '{"i":2147483648,"n":1}',
  '{"n":null}',
  '{"s":"\\ud83d\\ude00 emoji","n":1,"s":"dup wins"}',
  '{"s":"\\ud800 lone","n":1}',
  '{"s":"nul\\u0000","n":1}',
  '{"s":123.40,"c":true,"n":2,"ts":1543536182622.0}',
  '  {"n":3, "s" : "spaced" }  \r',
  '{"n":4,"nested":{"a":[1,2]},"s":"nested elsewhere"}',
  'garbage',
  '{"n":5,',
  '"s":"pretty"}',
  '{"n":6}{"n":7}',
  '[1,2]',
  '{"n":8,"ts":99999999999999999}',
  '{"n":9,"x":tru}',
  '',
  '{"n":10,"d":-0,"b":9007199254740993}',
];

// Lines whole within a chunk take the fast path; a line across chunks takes the careful one.
// workerObjectBytes 0: every object on a worker thread; Infinity: every object on this one.
function source(mapping: JsonMappingSpec, files: Record<string, string>, chunkSize = 64 * 1024, workerObjectBytes = 0): JsonObjectSource {
  const store = new MemoryObjectStore(files, { scheme: 's3', bucket: 'b', chunkSize });
  return new JsonObjectSource({ store, prefix: 'data', mapping, timeFormat: 'epochmillisecs', workerObjectBytes });
}

async function bothWays(json: JsonObjectSource, columns: ColumnSpec[], onBatch: (batch: ColumnBatch) => void = () => undefined) {
  const rows: LoadValue[][] = [];
  const rejected = [];
  for await (const batch of json.read({ columns, maxErrors: 1000 })) {
    rows.push(...batch.rows);
    rejected.push(...batch.rejected);
  }
  const columnRows: LoadValue[][] = [];
  const columnRejected = [];
  for await (const { batch, rejected: r } of json.readColumns({ columns, maxErrors: 1000 })) {
    onBatch(batch);
    columnRows.push(...decode(batch, columns));
    columnRejected.push(...r);
  }
  return { rows, rejected, columnRows, columnRejected };
}

/** Reads a batch back into LoadValues (decimals as scaled integers, bigints as numbers). */
function decode(batch: ColumnBatch, columns: ColumnSpec[]): LoadValue[][] {
  const rows: LoadValue[][] = Array.from({ length: batch.rows }, () => []);
  columns.forEach((column, c) => {
    const { data, validity, long } = batch.columns[c]!;
    const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const layout = columnLayout(column.type);
    const longRows = long ? [...long.rows.subarray(0, long.count)] : [];
    for (let r = 0; r < batch.rows; r++) {
      if (!((validity[r >> 3]! >> (r & 7)) & 1)) {
        rows[r]!.push(null);
        continue;
      }
      const at = r * layout.width;
      const values: Record<string, () => LoadValue> = {
        int32: () => view.readInt32LE(at),
        int64: () => Number(view.readBigInt64LE(at)),
        timestamp: () => Number(view.readBigInt64LE(at)),
        float64: () => view.readDoubleLE(at),
        bool: () => view[at] === 1,
        decimal: () => view.readInt32LE(at),
        string: () => {
          const length = view.readUInt32LE(at);
          if (length <= 12) return view.toString('utf8', at + 4, at + 4 + length);
          const k = longRows.indexOf(r);
          const start = k === 0 ? 0 : long!.ends[k - 1]!;
          return Buffer.from(long!.bytes).toString('utf8', start, long!.ends[k]);
        },
      };
      rows[r]!.push(values[layout.kind]!());
    }
  });
  return rows;
}

const scaled = (rows: LoadValue[][], columns: ColumnSpec[]) =>
  rows.map((row) => row.map((value, c) => (columns[c]!.type.kind === 'decimal' && value !== null ? Math.round(Number(value) * 100) : typeof value === 'bigint' ? Number(value) : value)));

describe('JsonObjectSource.readColumns', () => {
  it.each([
    ['auto', { mode: 'auto' } as JsonMappingSpec, 64 * 1024, 0],
    ['auto, lines across chunks', { mode: 'auto' } as JsonMappingSpec, 50, 0],
    ['auto ignorecase (no fast path)', { mode: 'auto ignorecase' } as JsonMappingSpec, 64 * 1024, 0],
    ['auto, on this thread', { mode: 'auto' } as JsonMappingSpec, 50, Infinity],
  ] as [string, JsonMappingSpec, number, number][])('gives the rows and rejections of read (%s)', async (_name, mapping, chunkSize, workerObjectBytes) => {
    const files = { 'data/a.json': lines.join('\n'), 'data/b.json': `\uFEFF${lines.slice(0, 3).join('\r\n')}` };
    const { rows, rejected, columnRows, columnRejected } = await bothWays(source(mapping, files, chunkSize, workerObjectBytes), table.columns);
    expect(rows.length).toBeGreaterThan(8);
    expect(rejected.length).toBeGreaterThan(8);
    expect(columnRows).toEqual(scaled(rows, table.columns));
    expect(columnRejected).toEqual(rejected);
  });

  it('gives the rows of read through JSONPaths, over many batches', async () => {
    const paths = new MemoryObjectStore({ 'p.json': JSON.stringify({ jsonpaths: table.columns.map((c) => `$['${c.name}']`) }) }, { scheme: 's3', bucket: 'c' });
    const many = Array.from({ length: 5000 }, (_, k) => `{"s":"row ${k}","i":${k},"n":${k},"ts":${1543536182622 + k},"d":${k}.5}`);
    const json = source({ mode: 'jsonpaths', store: paths, key: 'p.json' }, { 'data/a.json': many.join('\n'), 'data/b.json': lines.join('\n') });
    const { rows, rejected, columnRows, columnRejected } = await bothWays(json, table.columns);
    expect(rows.length).toBeGreaterThan(5000);
    expect(columnRows).toEqual(scaled(rows, table.columns));
    expect(columnRejected).toEqual(rejected);
  });

  it('joins the batches of many small objects, in order, around a large one parsed on a worker', async () => {
    // Song files: one record each, some rejected; one object above workerObjectBytes between them.
    const files: Record<string, string> = {};
    for (let k = 0; k < 3000; k++) files[`data/s${String(k).padStart(5, '0')}.json`] = k % 500 === 7 ? '{"n":null}' : `{"s":"song ${k} is long","n":${k},"i":${k}}`;
    files['data/s01500-large.json'] = Array.from({ length: 3000 }, (_, k) => `{"s":"large ${k}","n":${k}}`).join('\n');
    const json = new JsonObjectSource({ store: new MemoryObjectStore(files, { scheme: 's3', bucket: 'b' }), prefix: 'data', mapping: { mode: 'auto' }, workerObjectBytes: 4096 });
    const batches: number[] = [];
    const { rows, rejected, columnRows, columnRejected } = await bothWays(json, table.columns, (batch) => batches.push(batch.rows));
    expect(rejected.length).toBe(6);
    expect(columnRows).toEqual(scaled(rows, table.columns));
    expect(columnRejected).toEqual(rejected);
    expect(batches.length).toBeLessThan(10);
  });

  describe('small objects parsed in order into one shared batch', () => {
    // batchRows 4: batches fill inside objects and across them. s03 fills a batch with its first
    // row and rejects its second (a rejection of the next batch); s06 spans two boundaries.
    const files: Record<string, string> = {
      'data/s00.json': '{"s":"a","n":0}',
      'data/s01.json': '{"s":"b","n":1}\n{"s":"c","n":2}',
      'data/s02.json': '',
      'data/s03.json': '{"s":"d","n":3}\n{"n":null}',
      'data/s04.json': 'garbage',
      'data/s05.json': '{"s":"e","n":5}\n{"s":"f","n":6}\n{"n":null}',
      'data/s06.json': Array.from({ length: 9 }, (_, k) => `{"s":"g${k}","n":${k}}`).join('\n'),
      'data/s07.json': '{"s":"this string is too long for 20","n":1}',
      'data/s08.json': '{"s":"h","n":8}',
    };
    const json = () =>
      new JsonObjectSource({ store: new MemoryObjectStore(files, { scheme: 's3', bucket: 'b', chunkSize: 16 }), prefix: 'data', mapping: { mode: 'auto' }, batchRows: 4, workerObjectBytes: Infinity });

    async function collect<B>(batches: AsyncIterable<B>, rowsOf: (batch: B) => LoadValue[][]) {
      const seen: { rows: LoadValue[][]; progress: unknown[]; error?: string } = { rows: [], progress: [] };
      try {
        for await (const batch of batches) seen.rows.push(...rowsOf(batch));
      } catch (error) {
        seen.error = (error as Error).message;
      }
      return seen;
    }

    it.each([1000, 2, 0])('gives the rows, batches, progress and maxErrors failure of read (maxErrors %d)', async (maxErrors) => {
      const progress: unknown[] = [];
      const columnProgress: unknown[] = [];
      const read = await collect(json().read({ columns: table.columns, maxErrors, onProgress: (p) => progress.push(p) }), (b) => b.rows);
      const sizes: number[] = [];
      const columns = await collect(json().readColumns({ columns: table.columns, maxErrors, onProgress: (p) => columnProgress.push(p) }), (b) => {
        sizes.push(b.batch.rows);
        return decode(b.batch, table.columns);
      });
      expect(columns.rows).toEqual(scaled(read.rows, table.columns));
      expect(columns.error).toEqual(read.error);
      expect(columnProgress).toEqual(progress);
      if (maxErrors === 1000) {
        expect(read.error).toBeUndefined();
        expect(sizes).toEqual([4, 4, 4, 4]);
      } else {
        expect(read.error).toMatch(/more than maxErrors/);
      }
    });

    it('hands on each rejection with the batch its stretch of rows went into', async () => {
      const rejectedBy: string[][] = [];
      for await (const { batch, rejected } of json().readColumns({ columns: table.columns, maxErrors: 1000 })) {
        rejectedBy.push([String(batch.rows), ...rejected.map((r) => `${r.file.slice(-8)}:${r.line}`)]);
      }
      expect(rejectedBy).toEqual([['4'], ['4', 's03.json:2', 's04.json:1', 's05.json:3'], ['4'], ['4', 's07.json:1']]);
    });
  });

  it('stops the workers when the read is cancelled', async () => {
    const many = Array.from({ length: 20000 }, (_, k) => `{"s":"row ${k}","n":${k}}`).join('\n');
    const json = source({ mode: 'auto' }, { 'data/a.json': many, 'data/b.json': many, 'data/c.json': many }, 4096);
    const stop = new AbortController();
    const read = async () => {
      for await (const _ of json.readColumns({ columns: table.columns, maxErrors: 0, signal: stop.signal })) stop.abort();
    };
    await expect(read()).rejects.toThrow(/cancelled/);
    const pool = (await ParsePool.shared())!;
    for (let tries = 0; pool.sessions > 0 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pool.sessions).toBe(0);
  });
});

describe('ParsePool', () => {
  it('starts no pool, with a warning, where workers cannot start (readColumns then parses on its own thread)', async () => {
    const emitWarning = process.emitWarning;
    const warnings: string[] = [];
    process.emitWarning = ((warning: string) => warnings.push(warning)) as typeof process.emitWarning;
    try {
      expect(await ParsePool.start({ url: new URL('./no-such-worker.js', import.meta.url) })).toBeUndefined();
      expect(await ParsePool.start({ missing: 'not built' })).toBeUndefined();
    } finally {
      process.emitWarning = emitWarning;
    }
    expect(warnings).toEqual([expect.stringContaining('parse workers cannot start'), expect.stringMatching(/not built.*main thread/)]);
  });

  describe('bytes handed to the workers', () => {
    /** The memory store's chunks, each in a buffer of its own or a view into a larger one; every chunk yielded is kept. */
    class RecordingStore extends MemoryObjectStore {
      readonly yielded: Uint8Array[] = [];
      constructor(
        files: Record<string, string>,
        readonly transferableChunks: boolean,
        private readonly layout: 'whole' | 'view',
      ) {
        super(files, { scheme: 's3', bucket: 'b', chunkSize: 4096 });
      }
      override async open(key: string, options?: OpenOptions): Promise<AsyncIterable<Uint8Array>> {
        const chunks = await super.open(key, options);
        const { yielded, layout } = this;
        return (async function* () {
          for await (const chunk of chunks) {
            const own = layout === 'whole' ? new Uint8Array(chunk) : new Uint8Array(chunk.byteLength + 16).subarray(8, 8 + chunk.byteLength);
            if (layout === 'view') own.set(chunk);
            yielded.push(own);
            yield own;
          }
        })();
      }
    }
    const text = Array.from({ length: 3000 }, (_, k) => `{"s":"row ${k}","i":${k},"n":${k}}`).join('\n');
    const files = { 'data/a.json': text, 'data/b.json': text };

    async function readWith(store: ObjectStore): Promise<LoadValue[][]> {
      const json = new JsonObjectSource({ store, prefix: 'data', mapping: { mode: 'auto' }, timeFormat: 'epochmillisecs', workerObjectBytes: 0 });
      const rows: LoadValue[][] = [];
      for await (const { batch } of json.readColumns({ columns: table.columns, maxErrors: 0 })) rows.push(...decode(batch, table.columns));
      return rows;
    }

    it('moves whole buffers of a store that gives them up, and reads the same rows', async () => {
      const moved = new RecordingStore(files, true, 'whole');
      const copied = new RecordingStore(files, false, 'whole');
      const rows = await readWith(moved);
      expect(rows).toHaveLength(6000);
      expect(await readWith(copied)).toEqual(rows);
      // A transferred buffer is detached on this side; a copied one is left as it was.
      expect(moved.yielded.length).toBeGreaterThan(4);
      expect(moved.yielded.every((chunk) => chunk.byteLength === 0)).toBe(true);
      expect(copied.yielded.every((chunk) => chunk.byteLength > 0)).toBe(true);
    });

    it('copies a view into a larger buffer, even from a store that gives its buffers up', async () => {
      const store = new RecordingStore(files, true, 'view');
      expect(await readWith(store)).toHaveLength(6000);
      expect(store.yielded.every((chunk) => chunk.byteLength > 0 && chunk.buffer.byteLength === chunk.byteLength + 16)).toBe(true);
    });
  });
});
