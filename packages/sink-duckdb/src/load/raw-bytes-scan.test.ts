import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { scanRawBytes, type RawFile } from './raw-bytes-scan.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'raw-bytes-scan-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let written = 0;
async function file(text: string | Buffer, compression: RawFile['compression'] = 'none'): Promise<RawFile> {
  const name = path.join(root, `f${written++}${compression === 'gzip' ? '.gz' : ''}`);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  await writeFile(name, compression === 'gzip' ? gzipSync(bytes) : bytes);
  return { path: name, compression };
}

/** The definition: a line (line feed excluded, carriage return included) longer than the limit. */
const hasLongLine = (text: string, limit: number) => text.split('\n').some((line) => line.length > limit);

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

describe('scanRawBytes: lines longer than the limit', () => {
  it('finds a line one byte too long wherever it is, and passes one exactly at the limit', async () => {
    const line = (length: number) => 'x'.repeat(length);
    for (const at of ['start', 'middle', 'end', 'end, no line feed']) {
      for (const extra of [0, 1]) {
        const long = line(10 + extra);
        const text = {
          start: `${long}\nab\ncd\n`,
          middle: `ab\n${long}\ncd\n`,
          end: `ab\ncd\n${long}\n`,
          'end, no line feed': `ab\ncd\n${long}`,
        }[at]!;
        for (const blockBytes of [1, 3, 64]) {
          const scan = await scanRawBytes([await file(text)], { lineLimit: 10, blockBytes });
          expect({ at, extra, blockBytes, long: scan.longLine !== undefined }).toEqual({ at, extra, blockBytes, long: extra === 1 });
        }
        const gzipped = await scanRawBytes([await file(text, 'gzip')], { lineLimit: 10 });
        expect({ at, extra, long: gzipped.longLine !== undefined }).toEqual({ at, extra, long: extra === 1 });
      }
    }
  });

  it('agrees with the definition on seeded files of random lines, read in blocks of any size, compressed or not', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      const limit = 1 + next(40);
      const lines = Array.from({ length: next(30) }, () => `${'y'.repeat(next(limit + 3))}${next(4) === 0 ? '\r' : ''}`);
      const text = lines.join('\n') + (next(2) === 0 ? '\n' : '');
      const expected = hasLongLine(text, limit);
      for (const blockBytes of [1, 2, 7, limit, 4096]) {
        const scan = await scanRawBytes([await file(text)], { lineLimit: limit, blockBytes });
        expect({ seed, blockBytes, long: scan.longLine !== undefined }).toEqual({ seed, blockBytes, long: expected });
      }
      const gzipped = await scanRawBytes([await file(text, 'gzip')], { lineLimit: limit });
      expect({ seed, long: gzipped.longLine !== undefined }).toEqual({ seed, long: expected });
    }
  });

  it('measures lines across decompressed chunks, longer or shorter than the limit', async () => {
    // gunzip hands over 16 KiB chunks: lines spanning several, and limits below a chunk.
    const text = ['a'.repeat(40_000), 'b'.repeat(100), 'c'.repeat(20_000), ''].join('\n');
    for (const [limit, long] of [[40_000, false], [39_999, true], [1000, true]] as const) {
      const scan = await scanRawBytes([await file(text, 'gzip')], { lineLimit: limit });
      expect({ limit, long: scan.longLine !== undefined }).toEqual({ limit, long });
    }
    const short = Array.from({ length: 5000 }, (_, i) => 'z'.repeat(i % 50)).join('\n');
    expect((await scanRawBytes([await file(short, 'gzip')], { lineLimit: 49 })).longLine).toBeUndefined();
    expect((await scanRawBytes([await file(short, 'gzip')], { lineLimit: 48 })).longLine).toBeDefined();
  });

  it('names the first file, in the given order, that has a long line', async () => {
    const files = [await file('ok\n'), await file('toolong\n'), await file('also too long\n')];
    expect(await scanRawBytes(files, { lineLimit: 5, concurrency: 3 })).toEqual({ longLine: files[1]!.path });
  });
});

describe('scanRawBytes: vertical white space in compressed files', () => {
  it('finds a vertical tab or a form feed, decompressed', async () => {
    const files = [await file('{"a":1}\n', 'gzip'), await file('{"a":1}\n\f{"a":2}\n', 'gzip'), await file('{"a":1}\v\n', 'gzip')];
    expect(await scanRawBytes(files, { lineLimit: 100 })).toEqual({ verticalWhitespace: files[1]!.path });
    expect(await scanRawBytes([files[0]!], { lineLimit: 100 })).toEqual({});
  });

  it('leaves an uncompressed file\'s vertical white space to DuckDB (read_text finds it)', async () => {
    expect(await scanRawBytes([await file('{"a":1}\n\v{"a":2}\n')], { lineLimit: 100 })).toEqual({});
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanRawBytes([await file('x\n'.repeat(10))], { lineLimit: 1, signal: controller.signal })).rejects.toThrow();
  });
});
