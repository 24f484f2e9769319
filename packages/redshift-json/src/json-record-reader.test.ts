import { readJsonRecords, type ReadJsonRecordsOptions } from './json-record-reader.js';
import type { JsonRecordEvent } from './json-tokenizer.js';
import { type JsonValue, RawNumber, toJsonText } from './json-value.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

type Seen = [number, unknown] | [number, 'error', string];

async function events(input: string | Buffer, chunkSize = 65536, options: ReadJsonRecordsOptions = {}): Promise<JsonRecordEvent[]> {
  const out: JsonRecordEvent[] = [];
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  for await (const batch of readJsonRecords(chunked(bytes, chunkSize), options)) out.push(...batch);
  return out;
}

/** Records as [line, value] and errors as [line, 'error', reason]. */
async function seen(input: string | Buffer, chunkSize?: number, options?: ReadJsonRecordsOptions): Promise<Seen[]> {
  return (await events(input, chunkSize, options)).map((e) => (e.kind === 'record' ? [e.line, e.value] : [e.line, 'error', e.reason]));
}

describe('readJsonRecords: formats', () => {
  it('reads NDJSON with the line of each record', async () => {
    expect(await seen('{"a":1}\n{"a":2}\n')).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });

  it('reads a file without a final newline, CRLF line ends and blank lines', async () => {
    expect(await seen('{"a":1}\r\n\r\n   \n\t{"a":2}  ')).toEqual([
      [1, { a: 1 }],
      [4, { a: 2 }],
    ]);
  });

  it('gives nothing for an empty or blank file', async () => {
    expect(await seen('')).toEqual([]);
    expect(await seen('\n\n \t\r\n')).toEqual([]);
  });

  it('reads objects back to back on one line, with or without white space', async () => {
    expect(await seen('{"a":1}{"a":2} {"a":3}\t{"a":4}')).toEqual([1, 2, 3, 4].map((a) => [1, { a }]));
  });

  it('reads pretty-printed objects; the line is the last line of each object', async () => {
    const text = '{\n  "a": 1,\n  "b": {\n    "c": [1,\n 2]\n  }\n}\n{\n"a": 2\n}{"a": 3}\n';
    expect(await seen(text)).toEqual([
      [7, { a: 1, b: { c: [1, 2] } }],
      [10, { a: 2 }],
      [10, { a: 3 }],
    ]);
  });

  it('reads arrays as records (they need JSONPaths to map)', async () => {
    expect(await seen('[1,"Sports","MLB"]\n[\n2,\n"x"\n]')).toEqual([
      [1, [1, 'Sports', 'MLB']],
      [5, [2, 'x']],
    ]);
  });

  it('drops a byte-order mark at the start of the file only', async () => {
    expect(await seen('\uFEFF{"a":1}\n')).toEqual([[1, { a: 1 }]]);
    expect(await seen('{"a":1}\n\uFEFF{"a":2}\n')).toEqual([
      [1, { a: 1 }],
      [2, 'error', expect.stringMatching(/unexpected text outside a JSON object/)],
      [2, { a: 2 }],
    ]);
  });

  it('loads escapes as the characters (developer guide escape.json)', async () => {
    const text = '{\n  "backslash": "This is a backslash: \\\\",\n  "newline": "This sentence\\n is on two lines.",\n  "tab": "This sentence \\t contains a tab.",\n  "u": "\\u00e9\\ud83d\\ude00\\/"\n}';
    expect(await seen(text)).toEqual([
      [6, { backslash: 'This is a backslash: \\', newline: 'This sentence\n is on two lines.', tab: 'This sentence \t contains a tab.', u: 'é😀/' }],
    ]);
  });

  it('keeps "__proto__" as a plain key', async () => {
    for (const text of ['{"__proto__": {"x": 1}, "a": 2}', '{\n"__proto__": {"x": 1}, "a": 2}']) {
      const [event] = await events(text);
      const value = event?.kind === 'record' ? (event.value as Record<string, unknown>) : {};
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, '__proto__')).toBe(true);
      expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    }
  });
});

describe('readJsonRecords: numbers keep their text where a double would lose it', () => {
  const fast = '{"a": 1, "b": 1.5, "c": 1.0, "d": 1e3, "e": 12345678901234567890, "f": -0, "g": "5.0", "h": [2.50, -7]}';
  const expected = {
    a: 1,
    b: 1.5,
    c: new RawNumber('1.0'),
    d: new RawNumber('1e3'),
    e: new RawNumber('12345678901234567890'),
    f: new RawNumber('-0'),
    g: '5.0',
    h: [new RawNumber('2.50'), -7],
  };

  it('on the fast path (one object per line)', async () => {
    expect(await seen(fast)).toEqual([[1, expected]]);
  });

  it('on the careful path (pretty-printed)', async () => {
    expect(await seen(fast.replace(/, /g, ',\n'))).toEqual([[9, expected]]);
  });

  it('when a string holds \\u0000', async () => {
    expect(await seen('{"s": "\\u0000#1", "n": 2.0}')).toEqual([[1, { s: '\u0000#1', n: new RawNumber('2.0') }]]);
  });
});

describe('readJsonRecords: errors and resynchronisation', () => {
  it('reports text between objects, one error per run, and reads on', async () => {
    expect(await seen('{"a":1}\nxyz\n{"a":2},{"a":3}\n"str"\n5\n')).toEqual([
      [1, { a: 1 }],
      [2, 'error', 'unexpected text outside a JSON object: "xyz"'],
      [3, { a: 2 }],
      [3, 'error', 'unexpected text outside a JSON object: ","'],
      [3, { a: 3 }],
      [4, 'error', 'unexpected text outside a JSON object: "\\"str\\""'],
      [5, 'error', 'unexpected text outside a JSON object: "5"'],
    ]);
  });

  it('rejects a malformed object and reads on at the next line', async () => {
    expect(await seen('{"a": tru}\n{"a": 1,}\n{"a" 1}\n{"a": 01}\n{"a": "\\x"}\n{"a": "\t"}\n{"a": 2}')).toEqual([
      [1, 'error', 'invalid literal "tru" (expected true, false or null)'],
      [2, 'error', 'malformed JSON: expected a quoted key, found "}"'],
      [3, 'error', 'malformed JSON: expected ":" after the key, found "1}"'],
      [4, 'error', 'invalid number "01"'],
      [5, 'error', 'invalid escape "\\x" in a string'],
      [6, 'error', 'control character U+0009 inside a string must be escaped'],
      [7, { a: 2 }],
    ]);
  });

  it('skips the rest of a broken multi-line object up to the next line that starts one', async () => {
    const text = '{\n  "a": 1\n  "b": 2\n}\n{\n  "a": 3\n}\n';
    expect(await seen(text)).toEqual([
      [3, 'error', 'malformed JSON: expected "," or "}", found "\\"b\\": 2"'],
      [7, { a: 3 }],
    ]);
  });

  it('ends an unclosed object at a line that starts a new one, and reads that one', async () => {
    expect(await seen('{"a": 1,\n\n{"a": 2}\n')).toEqual([
      [2, 'error', expect.stringMatching(/a new object starts on line 3 before this one is closed/)],
      [3, { a: 2 }],
    ]);
  });

  it('rejects a line break inside a string', async () => {
    expect(await seen('{"a": "x\n"}\n{"a": 2}')).toEqual([
      [1, 'error', 'unterminated string (a line break inside a string must be written \\n)'],
      [3, { a: 2 }],
    ]);
  });

  it('reports a truncated last object at its last line', async () => {
    expect(await seen('{"a": 1}\n{"a": [1,\n2')).toEqual([
      [1, { a: 1 }],
      [3, 'error', 'truncated: the input ends inside a JSON object (missing closing brackets)'],
    ]);
    expect(await seen('{"a": "unterminated')).toEqual([[1, 'error', expect.stringMatching(/unterminated string/)]]);
  });

  it('rejects a line that is not valid UTF-8 and reads on', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a": 1}\n{"a": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"a": 3}\n')]);
    expect(await seen(bytes)).toEqual([
      [1, { a: 1 }],
      [2, 'error', 'invalid UTF-8 on this line'],
      [3, { a: 3 }],
    ]);
    const inside = Buffer.concat([Buffer.from('{\n"a": "'), Buffer.from([0xc3]), Buffer.from('"\n}\n{"a": 3}\n')]);
    expect(await seen(inside)).toEqual([
      [2, 'error', 'invalid UTF-8 inside the JSON object'],
      [4, { a: 3 }],
    ]);
  });

  it('rejects objects over the size limit (4 MiB in COPY), on both paths', async () => {
    const big = `{"a": "${'x'.repeat(100)}"}`;
    const options = { maxRecordBytes: 64 };
    expect(await seen(`${big}\n{"a": 1}\n`, undefined, options)).toEqual([
      [1, 'error', 'JSON object is larger than 64 bytes, the most COPY accepts for one object'],
      [2, { a: 1 }],
    ]);
    expect(await seen(`{\n"a": "${'x'.repeat(100)}"\n}\n{"a": 1}\n`, undefined, options)).toEqual([
      [2, 'error', 'JSON object is larger than 64 bytes, the most COPY accepts for one object'],
      [4, { a: 1 }],
    ]);
    expect(await seen(`${big}{"a": 1}`, undefined, options)).toEqual([
      [1, 'error', 'JSON object is larger than 64 bytes, the most COPY accepts for one object'],
      [1, { a: 1 }],
    ]);
    // A broken large object ended by a new one: one error (malformed), and the new one reads.
    expect(await seen(`{"a": "${'x'.repeat(100)}",\n{"a": 1}\n`, undefined, { maxRecordBytes: 200 })).toEqual([
      [1, 'error', expect.stringMatching(/^malformed JSON/)],
      [2, { a: 1 }],
    ]);
    // Exactly at the limit is fine, counted in UTF-8 bytes.
    const exact = `{"a":"${'é'.repeat(27)}"}`; // 8 + 54 bytes
    expect(Buffer.byteLength(exact)).toBe(62);
    expect(await seen(exact, undefined, { maxRecordBytes: 62 })).toEqual([[1, { a: 'é'.repeat(27) }]]);
    expect(await seen(exact, undefined, { maxRecordBytes: 61 })).toEqual([[1, 'error', expect.stringMatching(/larger than 61 bytes/)]]);
  });

  it('reads any nesting depth the same on both paths', async () => {
    const deep = `${'['.repeat(20000)}1.0${']'.repeat(20000)}`;
    const [fast] = await events(`{"a": ${deep}}`);
    const [careful] = await events(`{\n"a": ${deep}}`);
    expect(fast).toMatchObject({ kind: 'record', line: 1 });
    expect(careful).toMatchObject({ kind: 'record', line: 2 });
    expect(toJsonText((fast as { value: JsonValue }).value)).toBe(`{"a":${deep}}`);
    expect(toJsonText((careful as { value: JsonValue }).value)).toBe(`{"a":${deep}}`);
  });
});

describe('readJsonRecords: chunking and long lines', () => {
  const mixed = [
    '{"a": 1, "s": "é😀", "n": 2.50}',
    '',
    '{"a": 2}{"a": 3}',
    'garbage',
    '{',
    '  "a": 4,',
    '  "s": "multi\\nline"',
    '}',
    '{"a": 5, "bad": }',
    '{"a": 6, "big": 123456789012345678}',
  ].join('\n');

  it('gives the same events whatever the chunk size', async () => {
    const reference = await seen(mixed);
    expect(reference.length).toBe(7);
    for (let size = 1; size <= 17; size++) expect(await seen(mixed, size)).toEqual(reference);
  });

  it('reads lines longer than the piece size in pieces, with the same result', async () => {
    // A garbage run split across pieces quotes only its first piece.
    const normal = (events: Seen[]) => events.map((e) => (e[1] === 'error' ? [e[0], e[1], String(e[2]).replace(/object: .*/, 'object')] : e));
    const reference = normal(await seen(mixed));
    for (const maxLineBytes of [1, 3, 8, 20]) {
      for (const chunkSize of [1, 5, 64]) expect(normal(await seen(mixed, chunkSize, { maxLineBytes }))).toEqual(reference);
    }
  });

  it('rejects a long line whose later piece is not valid UTF-8, and reads on', async () => {
    const bytes = Buffer.concat([Buffer.from(`{"a": "${'x'.repeat(50)}`), Buffer.from([0xe2, 0x28]), Buffer.from('"}\n{"a": 2}\n')]);
    for (const chunkSize of [3, 64]) {
      expect(await seen(bytes, chunkSize, { maxLineBytes: 16 })).toEqual([
        [1, 'error', expect.stringMatching(/^invalid UTF-8 (inside the JSON object|on this line)$/)],
        [2, { a: 2 }],
      ]);
    }
  });

  it('keeps memory bounded on a huge single-line file of small objects', async () => {
    const line = '{"a": 1}'.repeat(20000);
    const result = await events(line, 4096, { maxLineBytes: 1024 });
    expect(result).toHaveLength(20000);
    expect(result.every((e) => e.kind === 'record' && e.line === 1)).toBe(true);
  });
});
