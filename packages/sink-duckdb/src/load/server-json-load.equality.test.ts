/**
 * The proof that the server-side load changes no loaded row: the same files loaded by the
 * server path (DuckDB's JSON reader) and by the client path (redshift-json streaming through the
 * appender) give the same LoadResult, the same error, and the same rows, value for value. Where
 * the server path cannot be sure (bad records, or values whose text DuckDB reprints), it must
 * decline, and the client path decides.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineTable } from '@sparkify/core';
import { generateDataset } from '../../../sparkify-pipeline/src/generator/generate-dataset.js';
import { stagingEvents, stagingSongs } from '../../../sparkify-pipeline/src/schema/tables.js';
import { closeBothWays, loadBothWays, loadFolderBothWays, type BothWays, type LoadInput } from '../../test/load-both-ways.js';

const SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');
const SAMPLE_EVENT_PATHS = [
  'artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
  'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId',
].map((key) => `$['${key}']`);

/** One column of each type the server path converts. */
const everyType = defineTable({
  name: 'every_type',
  columns: [
    { name: 's', type: 'varchar(16)' },
    { name: 'c', type: 'char(4)' },
    { name: 'i', type: 'integer' },
    { name: 'si', type: 'smallint' },
    { name: 'b', type: 'bigint' },
    { name: 'r', type: 'real' },
    { name: 'd', type: 'double precision' },
    { name: 'bo', type: 'boolean' },
    { name: 'ts', type: 'timestamp' },
  ],
});

const lines = (...records: string[]) => `${records.join('\n')}\n`;
const auto = (files: LoadInput['files'], extra: Partial<LoadInput> = {}): LoadInput => ({ files, mapping: { format: 'auto' }, table: everyType, ...extra });

/**
 * Both paths agree on everything; a server path loaded (the staged one may have passed a
 * layout it does not read, pretty-printed JSON say, to the checked one).
 */
function expectServer(both: BothWays): void {
  for (const server of [both.server, both.tried]) {
    expect(server.declined.length).toBeLessThanOrEqual(1);
    expect(server.path).toBe('server');
  }
  expectSame(both);
}

/** The server paths declined (the staged one, and maybe the checked one), and the client path's outcome is the load's. */
function expectDeclined(both: BothWays, reason?: RegExp): void {
  for (const server of [both.server, both.tried]) {
    expect(server.declined.length).toBeGreaterThanOrEqual(1);
    expect(server.declined.length).toBeLessThanOrEqual(2);
    if (reason) expect(server.declined.join('\n')).toMatch(reason);
    expect(server.path).not.toBe('server');
  }
  expectSame(both);
}

/** Both server paths (checked, tried) end as the client path does. */
function expectSame(both: BothWays): void {
  expect(both.client.path ?? 'client').toBe('client');
  for (const server of [both.server, both.tried]) {
    expect(server.error).toEqual(both.client.error);
    expect(server.result).toEqual(both.client.result);
    expect(server.rows).toEqual(both.client.rows);
  }
}

describe('server-side JSON load = client-side load', () => {
  afterAll(closeBothWays);

  describe('real and generated data', () => {
    it('the Udacity sample: events through log_json_path.json, songs with auto', async () => {
      const events = await loadFolderBothWays(SAMPLE, { mapping: { jsonPaths: SAMPLE_EVENT_PATHS }, table: stagingEvents }, {}, { data: 'log_data', jsonPaths: 'log_json_path.json' });
      expectServer(events);
      expect(events.server.rows).toHaveLength(8056);
      const songs = await loadFolderBothWays(SAMPLE, { mapping: { format: 'auto' }, table: stagingSongs }, {}, { data: 'song_data' });
      expectServer(songs);
      expect(songs.server.rows).toHaveLength(71);
    });

    it.each([1, 7, 20181101])('generated data, seed %i, in several batches', async (seed) => {
      const root = await mkdtemp(path.join(tmpdir(), 'sink-duckdb-generated-'));
      try {
        await generateDataset({ out: root, events: 3000, songs: 120, seed, days: 3 });
        const batches = { batchBytes: 400_000, batchFiles: 50 };
        const events = await loadFolderBothWays(root, { mapping: { jsonPaths: SAMPLE_EVENT_PATHS }, table: stagingEvents }, batches, { data: 'log_data', jsonPaths: 'log_json_path.json' });
        expectServer(events);
        expect(events.server.rows).toHaveLength(3000);
        const songs = await loadFolderBothWays(root, { mapping: { format: 'auto' }, table: stagingSongs }, batches, { data: 'song_data' });
        expectServer(songs);
        expect(songs.server.rows).toHaveLength(120);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  });

  describe('values the server path converts exactly', () => {
    it('strings, numbers as strings, empty strings, nulls and missing keys into every type', async () => {
      const both = await loadBothWays(
        auto({
          'a.json': lines(
            '{"s":"plain","c":"abcd","i":91,"si":-32768,"b":9223372036854775807,"r":1.5,"d":246.30812,"bo":true,"ts":1541105830796}',
            '{"s":"91","i":"91","si":"007","b":"-0","r":"2.5","d":"1540991795796.0","bo":"yes","ts":"1541105830796"}',
            '{"s":"","c":"","i":"","si":"  ","b":"\\t","r":"","d":"","bo":"","ts":""}',
            '{"s":null,"c":null,"i":null,"si":null,"b":null,"r":null,"d":null,"bo":null,"ts":null}',
            '{}',
            '{"d":1540991795796.0,"r":3.4028234663852886e38,"i":-2147483648,"b":-9223372036854775808,"si":32767}',
            '{"d":1e300,"r":1.5e-45,"i":0,"b":-0,"bo":"F","ts":-1000}',
            '{"d":"1e5","r":".5","bo":"N","ts":0,"s":12}',
            '{"d":"0.000","r":"-2.5E-3","bo":"TRUE","s":true,"c":"x y"}',
            '{"d":0,"r":-0,"bo":false,"s":"true"}',
            '{"d":"5e-324","r":"1.","bo":1,"s":"Ab-12"}',
            '{"d":17976931348623157e292,"s":"[Untitled]","i":"-0"}',
            '{"b":"00000000000000000000000000012","i":2147483647,"s":"-"}',
          ),
        }),
      );
      expectServer(both);
      expect(both.server.rows).toHaveLength(13);
    });

    it('unicode: multi-byte characters, \\u escapes, escaped slashes, surrogate pairs, a BOM', async () => {
      const both = await loadBothWays(
        auto({
          'u.json': `\uFEFF${lines(
            '{"s":"é\\u00e9\\/😀 ü","c":"ab"}',
            '{"s":"\\ud83d\\ude00\\u00fc\\n\\t\\"\\\\","c":"\\u0041"}',
            '{"s":"日本語"}',
            '{"\\u0073":"escaped key"}',
          )}`,
        }),
      );
      expectServer(both);
      expect(both.server.rows.map((row) => row['s'])).toContain('é\u00e9/😀 ü');
    });

    it('duplicate keys that are no column, and keys that are no column at all', async () => {
      expectServer(await loadBothWays(auto({ 'a.json': lines('{"q":1,"q":2,"s":"x","zz":[1,{"a":null}],"Zz":"y"}', '{"S":"not s","I":5}') })));
    });

    it('epoch seconds', async () => {
      expectServer(await loadBothWays(auto({ 'a.json': lines('{"ts":1541105830}', '{"ts":"-86400"}', '{"ts":9007199254}') }, { timeFormat: 'epochsecs' })));
    });

    it('timestamps at the edge of the safe range', async () => {
      expectServer(await loadBothWays(auto({ 'a.json': lines('{"ts":9007199254740}', '{"ts":-9007199254740}') })));
      expectDeclined(await loadBothWays(auto({ 'a.json': lines('{"ts":9007199254741}') })));
    });
  });

  describe('file layouts', () => {
    it.each([
      ['pretty-printed objects', '{\n  "s": "a",\n  "i": 1\n}\n{\n  "s": "b",\n  "i": 2\n}\n'],
      ['concatenated objects on one line', '{"s":"a"}{"s":"b"} {"s":"c"}\n'],
      ['no final newline', '{"s":"a"}\n{"s":"b"}'],
      ['CRLF line ends and blank lines', '{"s":"a"}\r\n\r\n   \r\n{"s":"b"}\r\n'],
      ['CR alone between objects', '{"s":"a"}\r{"s":"b"}\r'],
      ['objects spread over lines, several a line', '{"s":"a",\n"i":1}{"s":\n"b"}\n\n{"s":"c"}'],
    ])('%s', async (_, text) => {
      expectServer(await loadBothWays(auto({ 'a.json': text, 'b.json': '{"s":"other file"}\n' })));
    });

    it('empty and white-space-only files', async () => {
      const both = await loadBothWays(auto({ 'a.json': '', 'b.json': ' \n\t\r\n', 'c.json': '{"s":"x"}\n' }));
      expectServer(both);
      expect(both.server.rows).toHaveLength(1);
    });

    it('only empty files: nothing to load', async () => {
      expectServer(await loadBothWays(auto({ 'a.json': '', 'b.json': '\n' })));
    });

    it('gzip: by extension, by magic bytes, several members, beside plain files', async () => {
      const member = (text: string) => gzipSync(Buffer.from(text));
      const both = await loadBothWays(
        auto({
          'a.json.gz': member(lines('{"s":"gz a"}', '{"s":"gz b"}')),
          'b.json': member(lines('{"s":"gz magic"}')),
          'c.json.gz': Buffer.concat([member('{"s":"member 1"}\n'), member('{"s":"member 2"}\n')]),
          'd.json': lines('{"s":"plain"}'),
          'e.json.gz': member('{\n "s": "pretty"\n}'),
        }),
        { serverLoad: { batchFiles: 2 } },
      );
      expectServer(both);
      expect(both.server.rows).toHaveLength(7);
    });

    it('a record of exactly the largest size COPY accepts loads; one byte more is rejected', async () => {
      const record = (bytes: number) => {
        const head = '{"s":"x","pad":"';
        return `${head}${'p'.repeat(bytes - head.length - 2)}"}`;
      };
      expectServer(await loadBothWays(auto({ 'a.json': lines(record(4 * 1024 * 1024), '{"s":"y"}') })));
      expectDeclined(await loadBothWays(auto({ 'a.json': lines('{"s":"y"}', record(4 * 1024 * 1024 + 1)), 'b.json': '{"s":"z"}' }, { maxErrors: 1 })), /larger than/);
    });

    it('records measured one by one where a big file is not one record a line', async () => {
      const pad = (bytes: number) => 'p'.repeat(bytes);
      // Over 4 MiB in all, pretty-printed, every record small: loads.
      const many = Array.from({ length: 600 }, (_, i) => `{\n  "s": "r${i}",\n  "pad": "${pad(8000)}"\n}`).join('\n');
      expectServer(await loadBothWays(auto({ 'a.json': many })));
      // One record over the limit, spread over lines (no line is long): rejected.
      const head = '{\n"s":"big",\n"pad":"';
      const big = `${head}${pad(4 * 1024 * 1024 + 1 - head.length - 3)}"\n}`;
      expect(Buffer.byteLength(big)).toBe(4 * 1024 * 1024 + 1);
      expectDeclined(await loadBothWays(auto({ 'a.json': `{\n"s":"x"\n}\n${big}\n` }, { maxErrors: 1 })), /larger than/);
    });
  });

  describe('mappings', () => {
    const keyed = defineTable({
      name: 'keyed',
      columns: [
        { name: 'x', type: 'varchar(32)' },
        { name: 'y', type: 'integer' },
        { name: 'z', type: 'double precision' },
        { name: 'w', type: 'varchar(32)' },
        { name: 'k', type: 'varchar(8)' },
      ],
    });

    it('JSONPaths with nesting and array indexes', async () => {
      const both = await loadBothWays({
        table: keyed,
        mapping: { jsonPaths: ["$['a']['b']", "$['arr'][1]", "$['n']['m'][0]['k']", "$['t']", "$['weird key.*']"] },
        files: {
          'a.json': lines(
            '{"a":{"b":"deep"},"arr":[10,"20",30],"n":{"m":[{"k":1.5}]},"weird key.*":"w"}',
            '{"a":{"b":null},"arr":[1,2],"n":{"m":[{"k":"2"},{}]}}',
            '{"a":{},"arr":null,"n":null}',
            '{"a":"a string","arr":[0,-0],"n":{"m":null}}',
            '{"a":[1,2],"n":{"m":[{"j":1}]},"arr":[1,""]}',
            '{"b":"no a at all","n":{"q":1}}',
          ),
        },
      });
      expectServer(both);
      expect(both.server.rows.map((row) => row['x'])).toContain('deep');
    });

    it('one key both whole and deeper', async () => {
      const paths = ["$['a']['b']", "$['y']", "$['z']", "$['a']", "$['a']['c']"];
      const files = (a: string) => ({ 'a.json': lines('{"a":"text"}', '{"a":12}', '{"a":null}', `{"a":${a}}`) });
      expectServer(await loadBothWays({ table: keyed, mapping: { jsonPaths: paths }, files: files('"more text"') }));
      // An object into VARCHAR is its compact JSON text on the client path: the server path cannot be sure of it.
      expectDeclined(await loadBothWays({ table: keyed, mapping: { jsonPaths: paths }, files: files('{"b":"x","c":"y"}') }), /cannot be proved/);
    });

    it('JSONPaths in dot notation', async () => {
      expectServer(
        await loadBothWays({
          table: keyed,
          mapping: { jsonPaths: ['$.a.b', '$.arr[0]', '$.n', '$.w', '$.k'] },
          files: { 'a.json': lines('{"a":{"b":"x"},"arr":[5],"n":2.5,"w":"w","k":"k"}', '{"a":{"b":"y"},"arr":[]}'.replace('[]', '[6]')) },
        }),
      );
    });

    it('an array index past the end fails the whole load, on both paths', async () => {
      const both = await loadBothWays({
        table: keyed,
        mapping: { jsonPaths: ["$['a']", "$['arr'][3]", "$['z']", "$['w']", "$['k']"] },
        files: { 'a.json': lines('{"a":"x","arr":[1,2,3,4]}', '{"a":"y","arr":[1]}') },
      });
      expectDeclined(both);
      expect(both.client.error?.message).toMatch(/Not an array or index out of range/);
    });

    it('a repeated key inside a nested object (JavaScript keeps the last)', async () => {
      expectDeclined(
        await loadBothWays({
          table: keyed,
          mapping: { jsonPaths: ["$['a']['b']", "$['y']", "$['z']", "$['w']", "$['k']"] },
          files: { 'a.json': lines('{"a":{"b":"first","b":"last"}}') },
        }),
      );
    });

    it('auto matches keys case-sensitively', async () => {
      const both = await loadBothWays({ ...auto({ 'a.json': lines('{"X":"upper","x":"lower","Y":1}', '{"X":"only upper"}') }), table: keyed });
      expectServer(both);
      expect(both.server.rows.map((row) => row['x'])).toEqual(['lower', null]);
    });

    it('auto ignorecase matches keys in any case, the Kelvin sign as k', async () => {
      const both = await loadBothWays({
        table: keyed,
        mapping: { format: 'auto ignorecase' },
        files: { 'a.json': lines('{"X":"upper","Y":"7","\u212A":"kelvin"}', '{"x":"lower","W":{"n":1}}'.replace('{"n":1}', '"obj"'), '{"İ":"dotted","Z":"1.5e3"}') },
      });
      expectServer(both);
      expect(both.server.rows.map((row) => row['k'])).toContain('kelvin');
    });

    it('auto ignorecase with two keys for one column (the last in the object wins)', async () => {
      expectDeclined(await loadBothWays({ table: keyed, mapping: { format: 'auto ignorecase' }, files: { 'a.json': lines('{"X":"upper","x":"lower"}') } }), /cannot be proved/);
    });

    it('auto ignorecase: an array record is rejected', async () => {
      expectDeclined(await loadBothWays({ table: keyed, mapping: { format: 'auto ignorecase' }, files: { 'a.json': lines('{"x":"a"}', '["x"]') }, maxErrors: 1 }));
    });
  });

  describe('what makes the server path decline (the client path reports)', () => {
    it.each([
      ['malformed JSON', lines('{"s":"a"}', '{"s": nope}', '{"s":"c"}')],
      ['a truncated last record', '{"s":"a"}\n{"s":"b"'],
      ['garbage between objects', lines('{"s":"a"} xx {"s":"b"}')],
      ['a comma between objects', lines('{"s":"a"},{"s":"b"}')],
      ['a trailing comma in an object', lines('{"s":"a","zz":1,}', '{"s":"b"}')],
      ['a trailing comma in an array of a key that is no column', lines('{"s":"a","zz":[1,2,]}')],
      ['NaN in a key that is no column', lines('{"s":"a","zz":NaN}')],
      ['-Infinity in a number column', lines('{"d":-Infinity}')],
      ['a form feed between records', '{"s":"a"}\n\f{"s":"b"}\n'],
      ['a vertical tab at the end of a line', '{"s":"a"}\v\n{"s":"b"}\n'],
      ['a vertical tab before the last record, no line feed at the end (one byte short either way)', '{"s":"a"}\n\v{"s":"b"}'],
      ['a form feed at the end, no line feed', '{"s":"a"}\n{"s":"b"}\f'],
      ['an array record', lines('{"s":"a"}', '["s"]')],
      ['a number record', lines('{"s":"a"}', '5')],
      ['a repeated column key (JavaScript keeps the last)', lines('{"s":"a","s":"b"}')],
      ['"3.0" into INTEGER', lines('{"i":"3.0"}')],
      ['3.0 into INTEGER', lines('{"i":3.0}')],
      [' 5 with a space into INTEGER', lines('{"i":" 5"}')],
      ['+5 into INTEGER', lines('{"i":"+5"}')],
      ['a number beyond INTEGER', lines('{"i":2147483648}')],
      ['a number beyond BIGINT', lines('{"b":9223372036854775808}')],
      ['a number beyond SMALLINT', lines('{"si":"-32769"}')],
      ['a boolean into INTEGER', lines('{"i":true}')],
      ['an object into DOUBLE', lines('{"d":{"x":1}}')],
      ['"1e-400" into DOUBLE (underflow)', lines('{"d":"1e-400"}')],
      ['1e-400 into DOUBLE (underflow, prints as 0.0)', lines('{"d":1e-400}')],
      ['1e400 into DOUBLE (overflow)', lines('{"d":1e400}')],
      ['1e39 into REAL (overflow)', lines('{"r":1e39}')],
      ['1e-46 into REAL (underflow)', lines('{"r":1e-46}')],
      ['"NaN" into DOUBLE', lines('{"d":"NaN"}')],
      ['"1_000" into DOUBLE', lines('{"d":"1_000"}')],
      ['0.0 into DOUBLE (cannot tell from an underflow)', lines('{"d":0.0}')],
      ['-0 into BOOLEAN (rejected; prints as 0)', lines('{"bo":-0}')],
      ['"0" into BOOLEAN (cannot tell from -0)', lines('{"bo":"0"}')],
      ['"maybe" into BOOLEAN', lines('{"bo":"maybe"}')],
      ['1.50 into VARCHAR (keeps its text)', lines('{"s":1.50}')],
      ['1540991795796.0 into VARCHAR', lines('{"s":1540991795796.0}')],
      ['0 into VARCHAR (cannot tell from -0)', lines('{"s":0}')],
      ['a nested object into VARCHAR', lines('{"s":{"b":1e3,"1":2}}')],
      ['an array into VARCHAR', lines('{"s":[1,2]}')],
      ['a string over VARCHAR(16) in bytes', lines('{"s":"éééééééééé"}')],
      ['NUL in a string', lines('{"s":"a\\u0000b"}')],
      ['a lone surrogate escape', lines('{"s":"a\\ud800b"}')],
      ['a multi-byte character into CHAR', lines('{"c":"é"}')],
      ['an epoch with a fraction', lines('{"ts":1541105830796.0}')],
      ['an epoch as a string with a fraction', lines('{"ts":"1541105830796.5"}')],
    ])('%s', async (_, text) => {
      // maxErrors 0: both fail with the same error; maxErrors 5: both load the rest and report the same rejections.
      expectDeclined(await loadBothWays(auto({ 'a.json': text, 'b.json': lines('{"s":"fine"}') })));
      expectDeclined(await loadBothWays(auto({ 'a.json': text, 'b.json': lines('{"s":"fine"}') }, { maxErrors: 5 })));
    });

    it.each([
      ['a form feed between records', '{"s":"a"}\n\f{"s":"b"}\n'],
      ['NaN in a key that is no column', lines('{"s":"a","zz":NaN}')],
      ['a trailing comma', lines('{"s":"a",}')],
      ['NUL in a string', lines('{"s":"a\\u0000b"}')],
      ['a repeated column key', lines('{"s":"a","s":"b"}')],
      ['"3.0" into INTEGER', lines('{"i":"3.0"}')],
    ])('gzip: %s', async (_, text) => {
      expectDeclined(await loadBothWays(auto({ 'a.json.gz': gzipSync(Buffer.from(text)), 'b.json': lines('{"s":"fine"}') }, { maxErrors: 5 })));
    });

    it('a byte order mark on the second line', async () => {
      expectDeclined(await loadBothWays(auto({ 'a.json': '{"s":"a"}\n\uFEFF{"s":"b"}\n' }, { maxErrors: 5 })));
    });

    it('invalid UTF-8', async () => {
      const bad = Buffer.concat([Buffer.from('{"s":"a"}\n{"s":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"s":"c"}\n')]);
      expectDeclined(await loadBothWays(auto({ 'a.json': bad }, { maxErrors: 2 })));
    });

    it('a NOT NULL column without a value', async () => {
      const strict = defineTable({ name: 'strict', columns: [{ name: 's', type: 'varchar(8)', nullable: false }, { name: 'i', type: 'integer' }] });
      expectDeclined(await loadBothWays({ table: strict, mapping: { format: 'auto' }, files: { 'a.json': lines('{"s":"a"}', '{"i":1}', '{"s":""}') }, maxErrors: 3 }));
    });

    it('a corrupt gzip file', async () => {
      expectDeclined(await loadBothWays(auto({ 'a.json.gz': gzipSync(Buffer.from(lines('{"s":"a"}'))).subarray(0, 15) })));
    });
  });

  describe('what the server path does not attempt', () => {
    it.each([
      ['a DATE column', 'date'],
      ['a DECIMAL column', 'decimal(10,2)'],
      ['a TIMESTAMPTZ column', 'timestamptz'],
    ])('%s', async (_, type) => {
      const table = defineTable({ name: 'other', columns: [{ name: 'v', type }] });
      const both = await loadBothWays({ table, mapping: { format: 'auto' }, files: { 'a.json': lines('{"v":"2018-11-01"}', '{"v":"1.5"}') }, maxErrors: 2 });
      expect(both.server.declined).toEqual([]);
      expect(both.server.path).toBe('client');
      expectSame(both);
    });

    it('text timestamps (TIMEFORMAT auto)', async () => {
      const both = await loadBothWays(auto({ 'a.json': lines('{"ts":"2018-11-01 10:00:00"}') }, { timeFormat: 'auto' }));
      expect(both.server.path).toBe('client');
      expectSame(both);
    });

    it('a file name DuckDB would read as a glob pattern', async () => {
      const both = await loadBothWays(auto({ 'a[1].json': lines('{"s":"a"}'), 'a1.json': lines('{"s":"b"}') }));
      expect(both.server.path).toBe('client');
      expectSame(both);
    });
  });
});
