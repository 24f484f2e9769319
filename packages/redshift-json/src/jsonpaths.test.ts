import { InputDataError } from '@sparkify/core';
import { compileJsonPath, JsonPathIndexError, JsonPathSyntaxError, parseJsonPath, parseJsonPathsFile } from './jsonpaths.js';
import type { JsonValue } from './json-value.js';

const URI = 's3://bucket/paths.json';

describe('parseJsonPath', () => {
  it.each([
    ["$['a']", 'bracket', [{ kind: 'key', name: 'a' }]],
    ["$['store']['book']['title']", 'bracket', [{ kind: 'key', name: 'store' }, { kind: 'key', name: 'book' }, { kind: 'key', name: 'title' }]],
    ["$['location'][0]", 'bracket', [{ kind: 'key', name: 'location' }, { kind: 'index', index: 0 }]],
    ["$['a.b']", 'bracket', [{ kind: 'key', name: 'a.b' }]],
    ['$.a.b[0]', 'dot', [{ kind: 'key', name: 'a' }, { kind: 'key', name: 'b' }, { kind: 'index', index: 0 }]],
    ['$.friends[0].id', 'dot', [{ kind: 'key', name: 'friends' }, { kind: 'index', index: 0 }, { kind: 'key', name: 'id' }]],
    ['$[3]', 'index', [{ kind: 'index', index: 3 }]],
    ['$[0][12]', 'index', [{ kind: 'index', index: 0 }, { kind: 'index', index: 12 }]],
  ])('parses %s', (text, notation, segments) => {
    expect(parseJsonPath(text)).toEqual({ text, notation, segments });
  });

  it.each([
    ['artist', /must start with "\$"/],
    ['$', /names no element/],
    ["$['a'].b", /mixes bracket and dot/],
    ['$.a[*]', /wildcards/],
    ['$.*', /wildcard/],
    ["$['a'][*]", /wildcards/],
    ['$..a', /recursive descent/],
    ['$.a[?(@.x)]', /filter/],
    ['$.a[0:2]', /slices/],
    ['$.a[0,1]', /unions/],
    ['$.a[-1]', /zero or positive/],
    ['$["a"]', /single quotes/],
    ["$['a", /unterminated quoted name/],
    ["$['a'", /expected "]" after the quoted name/],
    ["$['a'x]", /expected "]"/],
    ["$['']", /empty name/],
    ['$.', /empty name/],
    ['$.a[0', /unterminated "\["/],
    ["$.it's", /"'" is not allowed/],
    ['$ .a', /unexpected " "/],
  ])('rejects %s', (text, message) => {
    expect(() => parseJsonPath(text)).toThrow(JsonPathSyntaxError);
    expect(() => parseJsonPath(text)).toThrow(message);
  });
});

describe('parseJsonPathsFile', () => {
  const ok = (paths: string[]) => parseJsonPathsFile(JSON.stringify({ jsonpaths: paths }), URI);

  it('reads the sample log_json_path.json layout', () => {
    const text = '{\n"jsonpaths": [\n"$[\'artist\']",\n"$[\'auth\']"\n]\n}\n';
    expect(parseJsonPathsFile(text, URI)).toEqual({
      kind: 'jsonpaths',
      file: { uri: URI, paths: ["$['artist']", "$['auth']"], expressions: [parseJsonPath("$['artist']"), parseJsonPath("$['auth']")] },
    });
  });

  it('accepts dot notation, and index-only expressions beside either notation', () => {
    expect(ok(['$.venuename', '$.venuecity', '$[0]']).kind).toBe('jsonpaths');
    expect(ok(["$['a']", '$[1]']).kind).toBe('jsonpaths');
  });

  it('falls back to auto when the only key is not exactly "jsonpaths", saying why', () => {
    for (const text of ['{"JSONPaths": ["$.a"]}', '{"jsonpath": ["$.a"]}', '{}']) {
      const result = parseJsonPathsFile(text, URI);
      expect(result).toMatchObject({ kind: 'auto', uri: URI });
      expect(result.kind === 'auto' && result.reason).toMatch(/silently ignores/);
    }
  });

  it.each([
    ['', /is empty/],
    ['{"jsonpaths": ["$.a"]} {"jsonpaths": ["$.b"]}', /not a single well-formed JSON object/],
    ['{"jsonpaths": ["$.a"]} x', /not a single well-formed JSON object/],
    ['{"jsonpaths": ["$.a"],}', /not a single well-formed JSON object/],
    ['["$.a"]', /single JSON object, found an array/],
    ['{"jsonpaths": ["$.a"], "other": 1}', /exactly one name\/value pair/],
    ['{"jsonpaths": "$.a"}', /must be an array of strings, found a string/],
    ['{"jsonpaths": []}', /is empty/],
    ['{"jsonpaths": ["$.a", ""]}', /expression 2 must be a non-empty string, found an empty string/],
    ['{"jsonpaths": ["$.a", 3]}', /expression 2 must be a non-empty string, found a number/],
    ['{"jsonpaths": ["$.a", "$.b[*]"]}', /expression 2 "\$\.b\[\*\]": .*wildcards/],
    ['{"jsonpaths": ["$[\'a\']", "$.b"]}', /cannot be mixed.*expression 1 .*expression 2/],
  ])('fails on %s', (text, message) => {
    let error: unknown;
    try {
      parseJsonPathsFile(text, URI);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputDataError);
    expect((error as InputDataError).message).toContain(URI);
    expect((error as InputDataError).message).toMatch(message);
    expect((error as InputDataError).location.file).toBe(URI);
  });
});

describe('compileJsonPath', () => {
  const read = (path: string, record: JsonValue) => compileJsonPath(parseJsonPath(path))(record);
  // The developer guide's example (copy-usage_notes-copy-from-json).
  const record: JsonValue = {
    id: 0,
    guid: '84512477-fa49-456b-b407-581d0d851c3c',
    isActive: true,
    tags: ['nisi', 'culpa', 'ad'],
    friends: [
      { id: 0, name: 'Carmella Gonzales' },
      { id: 1, name: 'Renaldo' },
    ],
    store: { book: { title: 'T' } },
    nothing: null,
  };

  it('reads keys and indexes', () => {
    expect(read("$['id']", record)).toBe(0);
    expect(read("$['store']['book']['title']", record)).toBe('T');
    expect(read('$.store.book.title', record)).toBe('T');
    expect(read("$['tags'][2]", record)).toBe('ad');
    expect(read("$['friends'][1]", record)).toEqual({ id: 1, name: 'Renaldo' });
    expect(read('$.friends[1].name', record)).toBe('Renaldo');
    expect(read('$[1]', [1, 'Sports'])).toBe('Sports');
  });

  it('gives undefined (NULL) for a missing element, case-sensitively', () => {
    expect(read("$['ID']", record)).toBeUndefined();
    expect(read("$['store']['pen']", record)).toBeUndefined();
    expect(read("$['id']['deeper']", record)).toBeUndefined();
    expect(read("$['missing'][0]", record)).toBeUndefined();
    expect(read("$['nothing'][0]", record)).toBeUndefined();
    expect(read("$['nothing']", record)).toBeNull();
    expect(read("$['constructor']", record)).toBeUndefined();
    expect(read("$['a']", [1])).toBeUndefined();
  });

  it('fails the load on an index out of range or into a non-array', () => {
    expect(() => read("$['tags'][3]", record)).toThrow(JsonPathIndexError);
    expect(() => read("$['tags'][3]", record)).toThrow(/Not an array or index out of range.*\$\['tags'\]\[3\].*3 element/);
    expect(() => read("$['guid'][0]", record)).toThrow(/non-array/);
    expect(() => read("$['store'][0]", record)).toThrow(JsonPathIndexError);
    expect(() => read('$[4]', [1, 2])).toThrow(JsonPathIndexError);
  });
});
