import { CopyBuffer } from './copy-buffer.js';

describe('CopyBuffer', () => {
  it('writes big-endian integers and doubles as Buffer does', () => {
    const out = new CopyBuffer();
    const expected = Buffer.alloc(256);
    let at = 0;
    for (const value of [0, 1, -1, 32767, -32768]) {
      out.writeInt16(value);
      at = expected.writeInt16BE(value, at);
    }
    for (const value of [0, 1, -1, 2147483647, -2147483648, 123456789]) {
      out.writeInt32(value);
      at = expected.writeInt32BE(value, at);
    }
    for (const value of [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 4294967296, -4294967296, 4294967295, 2n ** 63n - 1n, -(2n ** 63n)]) {
      out.writeInt64(value);
      at = expected.writeBigInt64BE(BigInt(value), at);
    }
    for (const value of [0, -0, 1.5, -248.93121, 1e308, 5e-324, Number.NaN, -Infinity]) {
      out.writeFloat64(value);
      at = expected.writeDoubleBE(value, at);
    }
    expect(Buffer.from(out.view())).toEqual(expected.subarray(0, at));
  });

  it('grows past its first size, keeping what it holds, and starts over on clear', () => {
    const out = new CopyBuffer();
    const text = 'x'.repeat(50_000) + 'é';
    for (let i = 0; i < 3; i++) out.writeString(text, false);
    const at = out.length;
    out.patchInt32(0, 0x41424344);
    expect(at).toBe(3 * 50_002);
    expect(Buffer.from(out.view()).toString('utf8')).toBe(`ABCD${text.slice(4)}${text}${text}`);
    out.clear();
    expect(out.length).toBe(0);
    out.writeAscii('\\N');
    expect(Buffer.from(out.view()).toString('latin1')).toBe('\\N');
  });
});
