import { FlatRecordScanner, SpanKind } from './flat-record-scanner.js';

// The fast path's key matching: the key expected next (keys come in the same order line after
// line) is matched in one pass, closing quote included; anything else is looked up.

function scan(columnKeys: string[], line: string): { read: boolean; values: (string | undefined)[] } {
  const scanner = new FlatRecordScanner(columnKeys);
  const bytes = Buffer.from(line, 'utf8');
  const read = scanner.scan(bytes, 0, bytes.length);
  const values = columnKeys.map((_, column) =>
    scanner.kinds[column] === SpanKind.Missing ? undefined : bytes.subarray(scanner.starts[column], scanner.ends[column]).toString('utf8'),
  );
  return { read, values };
}

describe('FlatRecordScanner keys', () => {
  it('finds keys in order, out of order, and twice over one scanner', () => {
    const scanner = new FlatRecordScanner(['a', 'bb', 'c']);
    for (const line of ['{"a":1,"bb":"x","c":true}', '{"c":false,"a":2,"bb":"y"}', '{"a":3,"bb":"z","c":null}']) {
      const bytes = Buffer.from(line);
      expect(scanner.scan(bytes, 0, bytes.length)).toBe(true);
    }
    expect(scan(['a', 'bb', 'c'], '{"c":false,"a":2,"bb":"y"}').values).toEqual(['2', 'y', 'false']);
  });

  it('does not take a longer or shorter key for the one expected', () => {
    expect(scan(['song', 'x'], '{"songs":"no","song":"yes","x":1}').values).toEqual(['yes', '1']);
    expect(scan(['songs', 'x'], '{"song":"no","x":1}').values).toEqual([undefined, '1']);
    expect(scan(['ab', 'x'], '{"ac":"no","x":1}').values).toEqual([undefined, '1']);
  });

  it('a key whose bytes mean something else in JSON text (a backslash) is never matched byte for byte', () => {
    // In JSON, "a\b" is a and a backspace: not the key a\b; the careful path decides.
    expect(scan(['a\\b'], '{"a\\b":1}').read).toBe(false);
    expect(scan(['a\\b'], '{"a\\\\b":1}').read).toBe(false);
  });

  it('a key at the end of the line is no match', () => {
    expect(scan(['a'], '{"a').read).toBe(false);
  });
});
