import { gzipSync } from 'node:zlib';
import { InputDataError } from '@sparkify/core';
import { compressionFromKey, type DecompressMode, decompressed, hasGzipMagic } from './decompress.js';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function text(bytes: Uint8Array, mode: DecompressMode, size = 7): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of decompressed(chunked(bytes, size), 'memory://t/x', mode)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('decompressed', () => {
  const plain = Buffer.from('{"a": 1}\n'.repeat(50));
  const gz = gzipSync(plain);

  it('passes plain bytes through, whatever the chunking', async () => {
    for (const size of [1, 2, 3, 1000]) {
      expect(await text(plain, 'detect', size)).toBe(plain.toString());
      expect(await text(plain, 'none', size)).toBe(plain.toString());
    }
  });

  it('gunzips when told to, or on magic bytes when detecting', async () => {
    for (const size of [1, 2, 5, 1000]) {
      expect(await text(gz, 'gzip', size)).toBe(plain.toString());
      expect(await text(gz, 'detect', size)).toBe(plain.toString());
    }
    expect(Buffer.from(await text(gz, 'none'), 'utf8').equals(gz)).toBe(false); // passed through as stored
  });

  it('reads concatenated gzip members as one stream', async () => {
    expect(await text(Buffer.concat([gzipSync('{"a": 1}\n'), gzipSync('{"a": 2}\n')]), 'gzip')).toBe('{"a": 1}\n{"a": 2}\n');
  });

  it('gives nothing for an empty object, even one named .gz', async () => {
    expect(await text(Buffer.alloc(0), 'gzip')).toBe('');
    expect(await text(Buffer.alloc(0), 'detect')).toBe('');
    expect(await text(Buffer.from('x'), 'detect')).toBe('x');
  });

  it('fails with InputDataError naming the object on truncated or non-gzip data', async () => {
    await expect(text(gz.subarray(0, gz.length - 10), 'gzip')).rejects.toThrow(InputDataError);
    await expect(text(gz.subarray(0, gz.length - 10), 'gzip')).rejects.toThrow(/^memory:\/\/t\/x: cannot decompress: the gzip stream is truncated/);
    await expect(text(plain, 'gzip')).rejects.toThrow(/^memory:\/\/t\/x: cannot decompress: the gzip stream is not valid gzip data/);
    const corrupt = Buffer.from(gz);
    corrupt[20] = corrupt[20]! ^ 0xff;
    await expect(text(corrupt, 'gzip')).rejects.toMatchObject({ kind: 'input', location: { file: 'memory://t/x' } });
  });

  it('passes errors of the underlying stream through', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gz.subarray(0, 20);
      throw new Error('connection reset');
    }
    const reading = (async () => {
      for await (const chunk of decompressed(failing(), 'memory://t/x', 'gzip')) void chunk;
    })();
    await expect(reading).rejects.toThrow('connection reset');
  });
});

describe('compression hints', () => {
  it('knows gzip by extension and by magic bytes', () => {
    expect(compressionFromKey('a/b.json.gz')).toBe('gzip');
    expect(compressionFromKey('a/b.JSON.GZ')).toBe('gzip');
    expect(compressionFromKey('a/b.json')).toBe('none');
    expect(compressionFromKey('a/gz')).toBe('none');
    expect(hasGzipMagic(Uint8Array.of(0x1f, 0x8b, 8))).toBe(true);
    expect(hasGzipMagic(Uint8Array.of(0x1f))).toBe(false);
    expect(hasGzipMagic(Buffer.from('{"'))).toBe(false);
  });
});
