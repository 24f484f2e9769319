/**
 * The bytes of one Postgres COPY FROM (text or binary format), written straight into a growable
 * buffer that is reused for every COPY of a load, instead of a string per field, a line per row
 * and a 25 MB string per COPY, encoded once more to reach PGlite.
 */
export class CopyBuffer {
  private bytes = Buffer.allocUnsafe(1 << 16);
  /** Bytes written since the last clear. */
  length = 0;
  /** Rows ended since the last clear. */
  rows = 0;

  /** The bytes written so far: a view of the buffer, valid until the next write. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    this.rows = 0;
  }

  /**
   * Writes `text` as UTF-8; with `escape`, with COPY text's backslash escapes (backslash,
   * newline, carriage return, tab). Returns the number of bytes written.
   */
  writeString(text: string, escape: boolean): number {
    const count = text.length;
    // Worst case 3 bytes a UTF-16 unit (a BMP character in UTF-8; an escape takes 2).
    this.reserve(count * 3);
    const bytes = this.bytes;
    const start = this.length;
    let at = start;
    for (let i = 0; i < count; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        // Past ASCII: let Node encode the rest (lone surrogates become U+FFFD, as in a Blob).
        const rest = escape ? escapeText(text.slice(i)) : text.slice(i);
        at += bytes.write(rest, at, 'utf8');
        break;
      }
      if (escape && ESCAPES[code] !== 0) {
        bytes[at++] = 92;
        bytes[at++] = ESCAPES[code]!;
      } else {
        bytes[at++] = code;
      }
    }
    this.length = at;
    return at - start;
  }

  /** Writes ASCII text as it is (a COPY marker such as `\N`, a number). */
  writeAscii(text: string): void {
    this.reserve(text.length);
    const bytes = this.bytes;
    for (let i = 0; i < text.length; i++) bytes[this.length++] = text.charCodeAt(i);
  }

  writeByte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  // Big-endian integers byte by byte: a Uint8Array store keeps the low 8 bits, and Buffer's
  // writeInt32BE and kin check their arguments on every call, which showed in profiles.
  writeInt16(value: number): void {
    this.reserve(2);
    const bytes = this.bytes;
    bytes[this.length] = value >> 8;
    bytes[this.length + 1] = value;
    this.length += 2;
  }

  writeInt32(value: number): void {
    this.reserve(4);
    this.putInt32(this.length, value);
    this.length += 4;
  }

  /** Overwrites the 32-bit integer at `offset` (a length known only once its bytes are written). */
  patchInt32(offset: number, value: number): void {
    this.putInt32(offset, value);
  }

  writeInt64(value: number | bigint): void {
    this.reserve(8);
    if (typeof value === 'bigint') {
      this.length = this.bytes.writeBigInt64BE(value, this.length);
      return;
    }
    // A safe integer as two 32-bit halves: no BigInt on the hot path.
    const high = Math.floor(value / 0x1_0000_0000);
    this.putInt32(this.length, high);
    this.putInt32(this.length + 4, value - high * 0x1_0000_0000);
    this.length += 8;
  }

  writeFloat64(value: number): void {
    this.reserve(8);
    FLOAT[0] = value;
    const bytes = this.bytes;
    const at = this.length;
    for (let i = 0; i < 8; i++) bytes[at + i] = FLOAT_BYTES[BIG_ENDIAN[i]!]!;
    this.length += 8;
  }

  private putInt32(at: number, value: number): void {
    const bytes = this.bytes;
    bytes[at] = value >>> 24;
    bytes[at + 1] = value >>> 16;
    bytes[at + 2] = value >>> 8;
    bytes[at + 3] = value;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

/** A double's bytes in the machine's order, and the order of those bytes from most significant. */
const FLOAT = new Float64Array(1);
const FLOAT_BYTES = new Uint8Array(FLOAT.buffer);
const BIG_ENDIAN: readonly number[] = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? [7, 6, 5, 4, 3, 2, 1, 0] : [0, 1, 2, 3, 4, 5, 6, 7];

/** By ASCII code: the letter COPY text writes after a backslash for the character, or 0. */
const ESCAPES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  table[9] = 116; // \t
  table[10] = 110; // \n
  table[13] = 114; // \r
  table[92] = 92; // \\
  return table;
})();

function escapeText(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (c) => `\\${String.fromCharCode(ESCAPES[c.charCodeAt(0)]!)}`);
}
