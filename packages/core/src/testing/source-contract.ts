/**
 * The contract every Source keeps, as one jest suite. A source package runs it with a factory
 * that builds a source over a given set of files (key → bytes) and mapping; cases a source
 * cannot support are skipped by name with a reason, so the gaps show in every test run.
 * Everything a case needs comes through the factory: core knows no source.
 * Semantics: Redshift COPY ... FORMAT AS JSON (../shared/docs/redshift-reference.md §1).
 */
import { gzipSync } from 'node:zlib';
import { InputDataError } from '../errors/pipeline-error.js';
import { defineTable } from '../model/table-spec.js';
import type { LoadRow } from '../model/values.js';
import type { ReadOptions, ReadProgress, RejectedRecord, Source, TimeFormat } from '../ports/source.js';

export interface SourceContractInput {
  /** Files under the store root: `/`-separated key → content. */
  files: Readonly<Record<string, Uint8Array | string>>;
  /** The key prefix to read, with S3 semantics (every key that starts with it). */
  prefix: string;
  /** `jsonpaths` carries the JSONPaths file's content; the factory stores it outside the prefix. */
  mapping: { mode: 'auto' } | { mode: 'auto ignorecase' } | { mode: 'jsonpaths'; content: string };
  timeFormat: TimeFormat;
}

export interface SourceContractFixture {
  source: Source;
  /** The URI the source reports for a file key (RejectedRecord.file, SourceObject.uri). */
  uriOf(key: string): string;
  /** Cleans up whatever the factory made (temp folders). */
  dispose?(): Promise<void>;
}

export type SourceContractFactory = (input: SourceContractInput) => Promise<SourceContractFixture>;

export interface SourceContractOptions {
  /** Cases this source cannot support: case name → why. They are reported as skipped. */
  skipTests?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Tables and data the cases use.

const events = defineTable({
  name: 'contract_events',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'varchar(16)' },
    { name: 'ts', type: 'timestamp' },
  ],
});

const line = (id: number | string, name = `n${id}`): string => `{"id": ${JSON.stringify(id)}, "name": "${name}", "ts": 1541105830796}`;
const row = (id: number, name = `n${id}`): LoadRow => [id, name, 1541105830796000];
const ndjson = (...ids: number[]): string => ids.map((id) => `${line(id)}\n`).join('');

const byId = (rows: LoadRow[]): LoadRow[] => [...rows].sort((a, b) => Number(a[0]) - Number(b[0]));

interface Fixture extends SourceContractFixture {
  input: SourceContractInput;
}

async function build(factory: SourceContractFactory, files: Record<string, Uint8Array | string>, overrides: Partial<SourceContractInput> = {}): Promise<Fixture> {
  const input: SourceContractInput = { files, prefix: 'data', mapping: { mode: 'auto' }, timeFormat: 'epochmillisecs', ...overrides };
  return { ...(await factory(input)), input };
}

interface ReadOutcome {
  rows: LoadRow[];
  rejected: RejectedRecord[];
  progress: ReadProgress[];
}

async function readAll(source: Source, options: Partial<ReadOptions> = {}): Promise<ReadOutcome> {
  const outcome: ReadOutcome = { rows: [], rejected: [], progress: [] };
  const reading = source.read({ columns: events.columns, maxErrors: 0, onProgress: (p) => outcome.progress.push(p), ...options });
  for await (const batch of reading) {
    outcome.rows.push(...batch.rows);
    outcome.rejected.push(...batch.rejected);
  }
  return outcome;
}

async function readError(source: Source, options: Partial<ReadOptions> = {}): Promise<unknown> {
  try {
    await readAll(source, options);
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail');
}

// ---------------------------------------------------------------------------------------------
// The cases.

interface Case {
  name: string;
  run(factory: SourceContractFactory, track: (fixture: Fixture) => Fixture): Promise<void>;
}

const CASES: readonly Case[] = [
  {
    name: 'describe lists exactly the objects under the prefix, sorted, with sizes',
    async run(factory, track) {
      const { source, uriOf } = track(
        await build(factory, { 'data/b.json': ndjson(2), 'data/a/x.json': ndjson(1), 'data/z.json': ndjson(3, 4), 'other/c.json': ndjson(9), 'dat.json': ndjson(8) }),
      );
      const description = await source.describe();
      expect(description.format).toBe('json');
      expect(description.mapping).toEqual({ mode: 'auto' });
      expect(description.timeFormat).toBe('epochmillisecs');
      expect(description.location).toMatch(/data\/?$/);
      expect(description.objects.map((o) => o.key)).toEqual(['data/a/x.json', 'data/b.json', 'data/z.json']);
      expect(description.objects.map((o) => o.uri)).toEqual(['data/a/x.json', 'data/b.json', 'data/z.json'].map(uriOf));
      expect(description.objects.map((o) => o.size)).toEqual([ndjson(1).length, ndjson(2).length, ndjson(3, 4).length]);
      expect(description.objects.map((o) => o.compression)).toEqual(['none', 'none', 'none']);
      expect(description.warnings).toEqual([]);
    },
  },
  {
    name: 'a prefix matches every key that starts with it, and warns when that over-matches',
    async run(factory, track) {
      const { source } = track(await build(factory, { 'data/a.json': ndjson(1), 'data_old/b.json': ndjson(2), 'data.bak': ndjson(3) }));
      const description = await source.describe();
      expect(description.objects.map((o) => o.key)).toEqual(['data.bak', 'data/a.json', 'data_old/b.json']);
      expect(description.warnings.join('\n')).toMatch(/data_old\//);
      expect(description.warnings.join('\n')).toMatch(/data\.bak/);
      expect(byId((await readAll(source)).rows)).toEqual([row(1), row(2), row(3)]);
    },
  },
  {
    name: 'reads NDJSON, concatenated and pretty-printed objects, and a file without a final newline',
    async run(factory, track) {
      const pretty = `{\n  "id": 3,\n  "name": "n3",\n  "ts": 1541105830796\n}\n`;
      const { source } = track(
        await build(factory, { 'data/1.json': ndjson(1, 2), 'data/2.json': pretty, 'data/3.json': `${line(4)}${line(5)}  ${line(6)}`, 'data/4.json': line(7) }),
      );
      const { rows, rejected } = await readAll(source);
      expect(rejected).toEqual([]);
      expect(byId(rows)).toEqual([1, 2, 3, 4, 5, 6, 7].map((id) => row(id)));
    },
  },
  {
    name: 'reads gzip by extension and by magic bytes, and describes it',
    async run(factory, track) {
      const { source } = track(
        await build(factory, { 'data/a.json.gz': gzipSync(Buffer.from(ndjson(1, 2))), 'data/b.json': gzipSync(Buffer.from(ndjson(3))) }),
      );
      const objects = (await source.describe()).objects;
      expect(objects[0]).toMatchObject({ key: 'data/a.json.gz', compression: 'gzip' });
      // By magic bytes only where the source can sniff them before reading.
      expect(['gzip', 'none']).toContain(objects[1]?.compression);
      expect(byId((await readAll(source)).rows)).toEqual([row(1), row(2), row(3)]);
    },
  },
  {
    name: 'an empty file gives no rows and no error',
    async run(factory, track) {
      const { source } = track(await build(factory, { 'data/empty.json': '', 'data/blank.json': '\n \n', 'data/one.json': ndjson(1) }));
      const { rows, rejected, progress } = await readAll(source);
      expect(rows).toEqual([row(1)]);
      expect(rejected).toEqual([]);
      expect(progress.at(-1)).toMatchObject({ objectsDone: 3, objectsTotal: 3, rowsRead: 1, rowsRejected: 0 });
    },
  },
  {
    name: 'maps with auto ignorecase and with a JSONPaths file',
    async run(factory, track) {
      const file = { 'data/a.json': '{"ID": 1, "Name": "n1", "TS": 1541105830796, "extra": true}\n{"nested": {"id": 2}, "name": "n2"}\n' };
      const ignorecase = track(await build(factory, file, { mapping: { mode: 'auto ignorecase' } }));
      expect((await readAll(ignorecase.source)).rows).toEqual([row(1), [null, 'n2', null]]);
      const paths = `{"jsonpaths": ["$['nested']['id']", "$['name']", "$['ts']"]}`;
      const jsonpaths = track(await build(factory, file, { mapping: { mode: 'jsonpaths', content: paths } }));
      expect((await jsonpaths.source.describe()).mapping).toMatchObject({ mode: 'jsonpaths', paths: ["$['nested']['id']", "$['name']", "$['ts']"] });
      // JSONPaths names are case-sensitive: "Name" is not $['name'].
      expect((await readAll(jsonpaths.source)).rows).toEqual([[null, null, null], [2, 'n2', null]]);
    },
  },
  {
    name: 'rows read = loaded + rejected, and rejected records name file, line, column and reason',
    async run(factory, track) {
      const bad = `${line(1)}\n${line('x')}\nnot json\n{\n  "id": 4,\n  "name": "this name is far too long",\n  "ts": 1\n}\n${line(5)}\n`;
      const { source, uriOf } = track(await build(factory, { 'data/a.json': bad }));
      const { rows, rejected, progress } = await readAll(source, { maxErrors: 3 });
      expect(rows).toEqual([row(1), row(5)]);
      expect(rejected).toEqual([
        expect.objectContaining({ file: uriOf('data/a.json'), line: 2, column: 'id', value: 'x', reason: expect.any(String) }),
        expect.objectContaining({ file: uriOf('data/a.json'), line: 3, reason: expect.any(String) }),
        expect.objectContaining({ file: uriOf('data/a.json'), line: 8, column: 'name', reason: expect.any(String) }),
      ]);
      expect(progress.at(-1)).toMatchObject({ rowsRead: 5, rowsRejected: 3, objectsDone: 1 });
    },
  },
  {
    name: 'more bad records than maxErrors fails with InputDataError naming the first one',
    async run(factory, track) {
      const { source, uriOf } = track(await build(factory, { 'data/a.json': `${line(1)}\n${line('x')}\n${line('y')}\n` }));
      expect((await readAll(source, { maxErrors: 2 })).rejected).toHaveLength(2);
      const error = await readError(source, { maxErrors: 1 });
      expect(error).toBeInstanceOf(InputDataError);
      const failure = error as InputDataError;
      expect(failure.message).toContain(uriOf('data/a.json'));
      expect(failure.message).toMatch(/line 2/);
      expect(failure.location).toMatchObject({ file: uriOf('data/a.json'), line: 2 });
      expect(failure.details).toMatchObject({ rejected: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 3 })] });
    },
  },
  {
    name: 'maxErrors 0 fails at the first malformed record, a truncated last object included',
    async run(factory, track) {
      const { source, uriOf } = track(await build(factory, { 'data/a.json': `${line(1)}\n{"id": 2,\n "name": "n2"` }));
      const error = await readError(source);
      expect(error).toMatchObject({ kind: 'input', location: { file: uriOf('data/a.json'), line: 3 } });
    },
  },
  {
    name: 'a truncated gzip file is an InputDataError naming the file',
    async run(factory, track) {
      const gz = gzipSync(Buffer.from(ndjson(1, 2, 3, 4, 5, 6, 7, 8, 9)));
      const { source, uriOf } = track(await build(factory, { 'data/a.json.gz': gz.subarray(0, gz.length - 12) }));
      const error = await readError(source, { maxErrors: 100 });
      expect(error).toBeInstanceOf(InputDataError);
      expect((error as Error).message).toContain(uriOf('data/a.json.gz'));
    },
  },
  {
    name: 'a prefix that matches nothing is an InputDataError naming it',
    async run(factory, track) {
      const { source } = track(await build(factory, { 'data/a.json': ndjson(1) }, { prefix: 'data/nothing-here' }));
      await expect(source.describe()).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('nothing-here') });
      await expect(readAll(source)).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('nothing-here') });
    },
  },
  {
    name: 'an aborted signal cancels describe and read',
    async run(factory, track) {
      const { source } = track(await build(factory, { 'data/a.json': ndjson(1) }));
      const controller = new AbortController();
      controller.abort();
      await expect(source.describe({ signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
      await expect(readAll(source, { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    },
  },
  {
    name: 'aborting while reading stops with CancelledError',
    async run(factory, track) {
      const files: Record<string, string> = {};
      for (let f = 0; f < 6; f++) files[`data/${f}.json`] = ndjson(...Array.from({ length: 3000 }, (_, i) => f * 3000 + i));
      const { source } = track(await build(factory, files));
      const controller = new AbortController();
      let batches = 0;
      const reading = (async () => {
        for await (const batch of source.read({ columns: events.columns, maxErrors: 0, signal: controller.signal, concurrency: 2 })) {
          batches++;
          expect(batch.rows.length).toBeGreaterThan(0);
          controller.abort();
        }
      })();
      await expect(reading).rejects.toMatchObject({ kind: 'cancelled' });
      expect(batches).toBe(1);
    },
  },
  {
    name: 'reads many objects concurrently, every row once',
    async run(factory, track) {
      const files: Record<string, string> = {};
      const ids: number[] = [];
      for (let f = 0; f < 12; f++) {
        const fileIds = Array.from({ length: 50 + f * 7 }, (_, i) => f * 1000 + i);
        files[`data/part-${String(f).padStart(2, '0')}.json`] = ndjson(...fileIds);
        ids.push(...fileIds);
      }
      const { source } = track(await build(factory, files));
      const { rows, progress } = await readAll(source, { concurrency: 4 });
      // Order across objects is not part of the contract (JsonObjectSource keeps key order).
      expect(byId(rows).map((r) => r[0])).toEqual(ids);
      const last = progress.at(-1)!;
      expect(last).toMatchObject({ objectsDone: 12, objectsTotal: 12, rowsRead: ids.length, rowsRejected: 0 });
      expect(last.bytesDone).toBe(last.bytesTotal);
    },
  },
];

/** The names of the cases, for `skipTests`. */
export const SOURCE_CONTRACT_CASES: readonly string[] = CASES.map((c) => c.name);

/**
 * Registers the contract cases for one source under `describe(name)`. The factory runs once or
 * twice per case, each fixture is disposed after it.
 */
export function describeSourceContract(name: string, factory: SourceContractFactory, options: SourceContractOptions = {}): void {
  const skips = options.skipTests ?? {};
  const unknown = Object.keys(skips).filter((key) => !SOURCE_CONTRACT_CASES.includes(key));
  if (unknown.length) throw new Error(`describeSourceContract(${name}): no such cases to skip: ${unknown.join(', ')}`);

  describe(`${name} keeps the source contract`, () => {
    let fixtures: Fixture[] = [];
    const track = (fixture: Fixture): Fixture => {
      fixtures.push(fixture);
      return fixture;
    };

    afterEach(async () => {
      const current = fixtures;
      fixtures = [];
      for (const fixture of current) await fixture.dispose?.();
    });

    for (const testCase of CASES) {
      const reason = skips[testCase.name];
      if (reason) {
        it.skip(`${testCase.name} [skipped: ${reason}]`, () => undefined);
        continue;
      }
      it(testCase.name, () => testCase.run(factory, track));
    }
  });
}
