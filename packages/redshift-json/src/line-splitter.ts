/**
 * Splits a byte stream into lines (on LF) and decodes them as strict UTF-8, a chunk at a time:
 * complete lines of a chunk are decoded in one call, and a line longer than `maxPieceBytes`
 * is handed on in pieces so that memory stays flat however long a line is.
 */

export interface LinePiece {
  /** Decoded text without the line break; undefined when the line is not valid UTF-8. */
  text: string | undefined;
  /** 1-based line number. */
  line: number;
  /** True for the first piece of a line. */
  start: boolean;
  /** True for the last piece of a line (false while a long line continues). */
  end: boolean;
}

export interface SplitLinesOptions {
  /** Longest line kept whole; longer ones come in pieces. Default 1 MiB. */
  maxPieceBytes?: number;
}

const LF = 0x0a;
const BOM = '\uFEFF';

export async function* splitLines(chunks: AsyncIterable<Uint8Array>, options: SplitLinesOptions = {}): AsyncGenerator<LinePiece[]> {
  const splitter = new LineSplitter(options.maxPieceBytes ?? 1024 * 1024);
  for await (const chunk of chunks) {
    const pieces = splitter.push(toBuffer(chunk));
    if (pieces.length > 0) yield pieces;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

class LineSplitter {
  private line = 1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Pieces of the current line already handed on (a long line). */
  private started = false;
  private invalid = false;
  private firstLine = true;
  // ignoreBOM: keep U+FEFF wherever it is; only a BOM at the very start of the input is dropped.
  private readonly whole = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private long = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(private readonly maxPieceBytes: number) {}

  push(buf: Buffer): LinePiece[] {
    const out: LinePiece[] = [];
    let pos = 0;
    const first = buf.indexOf(LF);
    if (first < 0) {
      this.hold(buf, out);
      return out;
    }
    if (this.pendingBytes > 0 || this.started) {
      this.finishLine(buf.subarray(0, first), out);
      pos = first + 1;
    }
    const last = buf.lastIndexOf(LF);
    if (last >= pos) {
      this.completeLines(buf.subarray(pos, last), out);
      pos = last + 1;
    }
    if (pos < buf.length) this.hold(buf.subarray(pos), out);
    return out;
  }

  end(): LinePiece[] {
    const out: LinePiece[] = [];
    if (this.pendingBytes > 0 || this.started) this.finishLine(Buffer.alloc(0), out);
    return out;
  }

  /** Keeps the start of an unfinished line; hands a long one on as a piece. */
  private hold(bytes: Buffer, out: LinePiece[]): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes < this.maxPieceBytes) return;
    const joined = this.takePending();
    if (this.invalid) return;
    try {
      const text = this.stripBom(this.long.decode(joined, { stream: true }));
      out.push({ text, line: this.line, start: !this.started, end: false });
      this.started = true;
    } catch {
      this.invalid = true;
      this.long = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    }
  }

  /** The rest of a line whose start is pending or already handed on. */
  private finishLine(rest: Buffer, out: LinePiece[]): void {
    const bytes = this.pendingBytes > 0 ? Buffer.concat([...this.takePendingParts(), rest]) : rest;
    let text: string | undefined;
    if (!this.invalid) {
      try {
        text = this.stripBom(this.started ? this.long.decode(bytes) : this.whole.decode(bytes));
      } catch {
        this.long = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      }
    }
    out.push({ text, line: this.line, start: !this.started, end: true });
    this.line++;
    this.started = false;
    this.invalid = false;
  }

  /** Whole lines (the block holds their bytes, LF-separated, without the last LF). */
  private completeLines(block: Buffer, out: LinePiece[]): void {
    let text: string | undefined;
    try {
      text = this.stripBom(this.whole.decode(block));
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      for (const line of text.split('\n')) out.push({ text: line, line: this.line++, start: true, end: true });
      return;
    }
    // Some line is not valid UTF-8: decode line by line to find which.
    let pos = 0;
    while (pos <= block.length) {
      let next = block.indexOf(LF, pos);
      if (next < 0) next = block.length;
      let line: string | undefined;
      try {
        line = this.stripBom(this.whole.decode(block.subarray(pos, next)));
      } catch {
        line = undefined;
      }
      out.push({ text: line, line: this.line++, start: true, end: true });
      pos = next + 1;
    }
  }

  private stripBom(text: string): string {
    if (!this.firstLine) return text;
    this.firstLine = false;
    return text.startsWith(BOM) ? text.slice(1) : text;
  }

  private takePendingParts(): Buffer[] {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return parts;
  }

  private takePending(): Buffer {
    const parts = this.takePendingParts();
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
