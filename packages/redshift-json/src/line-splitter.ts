import { isUtf8 } from 'node:buffer';

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

/**
 * Where a splitter hands its pieces. `wholeLine`, when present, is offered each complete line of
 * valid UTF-8 first, as bytes (`block[start, end)`, no line break): returning true means it was
 * read there and no piece follows for it. Pieces and offers come in line order, as they happen.
 */
export interface PieceSink {
  push(piece: LinePiece): unknown;
  wholeLine?(block: Buffer, start: number, end: number, line: number): boolean;
}

const LF = 0x0a;
const BOM = '\uFEFF';

export async function* splitLines(chunks: AsyncIterable<Uint8Array>, options: SplitLinesOptions = {}): AsyncGenerator<LinePiece[]> {
  const splitter = new LineSplitter(options.maxPieceBytes ?? 1024 * 1024);
  for await (const chunk of chunks) {
    const pieces: LinePiece[] = [];
    splitter.push(toBuffer(chunk), pieces);
    if (pieces.length > 0) yield pieces;
  }
  const last: LinePiece[] = [];
  splitter.end(last);
  if (last.length > 0) yield last;
}

export function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export class LineSplitter {
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

  push(buf: Buffer, out: PieceSink): void {
    let pos = 0;
    const first = buf.indexOf(LF);
    if (first < 0) {
      this.hold(buf, out);
      return;
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
  }

  end(out: PieceSink): void {
    if (this.pendingBytes > 0 || this.started) this.finishLine(Buffer.alloc(0), out);
  }

  /** Keeps the start of an unfinished line; hands a long one on as a piece. */
  private hold(bytes: Buffer, out: PieceSink): void {
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
  private finishLine(rest: Buffer, out: PieceSink): void {
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
  private completeLines(block: Buffer, out: PieceSink): void {
    if (out.wholeLine && isUtf8(block)) {
      this.offerLines(block, out);
      return;
    }
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

  /** Valid UTF-8 lines, each offered whole first (a BOM at the start of the input is not). */
  private offerLines(block: Buffer, out: PieceSink): void {
    let pos = 0;
    while (pos <= block.length) {
      let next = block.indexOf(LF, pos);
      if (next < 0) next = block.length;
      const bom = this.firstLine && block[pos] === 0xef && block[pos + 1] === 0xbb && block[pos + 2] === 0xbf;
      if (!bom && out.wholeLine!(block, pos, next, this.line)) {
        this.firstLine = false;
      } else {
        out.push({ text: this.stripBom(this.whole.decode(block.subarray(pos, next))), line: this.line, start: true, end: true });
      }
      this.line++;
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
