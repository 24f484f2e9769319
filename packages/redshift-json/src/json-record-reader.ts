import { parseLineFast } from './fast-line.js';
import { firstNonBlank, JsonTokenizer, type JsonRecordEvent, MAX_RECORD_BYTES, oversizeReason } from './json-tokenizer.js';
import type { JsonObject, JsonValue } from './json-value.js';
import { type LinePiece, splitLines } from './line-splitter.js';

export interface ReadJsonRecordsOptions {
  /** Largest object accepted; default 4 MiB as COPY. */
  maxRecordBytes?: number;
  /** Longest line handled whole; longer lines are tokenized in pieces. Default 1 MiB. */
  maxLineBytes?: number;
}

/**
 * Reads the JSON records of one (decompressed) file: any number of objects or arrays separated
 * by white space, NDJSON or concatenated or pretty-printed. Yields events in batches (one per
 * input chunk) to keep per-record overhead low. An empty file yields nothing.
 */
export async function* readJsonRecords(chunks: AsyncIterable<Uint8Array>, options: ReadJsonRecordsOptions = {}): AsyncGenerator<JsonRecordEvent[]> {
  const reader = new RecordReader(options.maxRecordBytes ?? MAX_RECORD_BYTES);
  const splitOptions = options.maxLineBytes === undefined ? {} : { maxPieceBytes: options.maxLineBytes };
  for await (const pieces of splitLines(chunks, splitOptions)) {
    const out: JsonRecordEvent[] = [];
    for (const piece of pieces) reader.piece(piece, out);
    if (out.length > 0) yield out;
  }
  const last: JsonRecordEvent[] = [];
  reader.finish(last);
  if (last.length > 0) yield last;
}

/**
 * The records of one input, a line piece at a time: whole lines through JSON.parse when no
 * record is under way, everything else through the careful tokenizer.
 */
export class RecordReader {
  private readonly tokenizer: JsonTokenizer;

  constructor(private readonly maxRecordBytes: number = MAX_RECORD_BYTES) {
    this.tokenizer = new JsonTokenizer(maxRecordBytes);
  }

  /** Whether a whole line may be read on its own (no record, garbage run under way). */
  get betweenRecords(): boolean {
    return this.tokenizer.idle || this.tokenizer.skipping;
  }

  /** A whole line was read as one record elsewhere (the columnar fast path): as for a fast record. */
  recordRead(): void {
    this.tokenizer.resume();
  }

  piece(piece: LinePiece, out: JsonRecordEvent[]): void {
    const tokenizer = this.tokenizer;
    if (piece.text === undefined) {
      tokenizer.invalidLine(piece.line);
    } else if (piece.start && piece.end && !this.betweenRecords) {
      tokenizer.feed(piece.text, piece.line, true, true);
    } else if (piece.start && piece.end) {
      this.wholeLine(piece.text, piece.line, out);
    } else {
      tokenizer.feed(piece.text, piece.line, piece.start, piece.end);
    }
    this.drain(out);
  }

  finish(out: JsonRecordEvent[]): void {
    this.tokenizer.finish();
    this.drain(out);
  }

  private wholeLine(text: string, line: number, out: JsonRecordEvent[]): void {
    const tokenizer = this.tokenizer;
    const record = fastRecord(text, this.maxRecordBytes);
    if (record === undefined) {
      tokenizer.feed(text, line, true, true);
    } else if (record !== BLANK && record !== SKIPPED) {
      tokenizer.resume();
      if (record === TOO_LARGE) out.push({ kind: 'error', line, reason: oversizeReason(this.maxRecordBytes), excerpt: text.slice(0, 200) });
      else out.push({ kind: 'record', value: record, line });
    } else if (record === SKIPPED && !tokenizer.skipping) {
      tokenizer.feed(text, line, true, true);
    }
  }

  private drain(out: JsonRecordEvent[]): void {
    const tokenizer = this.tokenizer;
    if (tokenizer.events.length === 0) return;
    for (const event of tokenizer.events) out.push(event);
    tokenizer.events = [];
  }
}

const BLANK = Symbol('blank');
const SKIPPED = Symbol('not a record line');
const TOO_LARGE = Symbol('too large');

/**
 * One whole line through the fast path: a record, BLANK, SKIPPED (does not start a record:
 * garbage, or more of a broken record being skipped), TOO_LARGE, or undefined (let the careful
 * tokenizer look at it).
 */
function fastRecord(text: string, maxRecordBytes: number): JsonObject | JsonValue[] | typeof BLANK | typeof SKIPPED | typeof TOO_LARGE | undefined {
  const first = firstNonBlank(text);
  if (first < 0) return BLANK;
  const open = text.charCodeAt(first);
  if (open !== 0x7b && open !== 0x5b) return SKIPPED;
  const close = lastNonBlankChar(text);
  if (close !== (open === 0x7b ? 0x7d : 0x5d)) return undefined;
  const value = parseLineFast(text);
  if (value === undefined || typeof value !== 'object' || value === null) return undefined;
  // UTF-16 units ≤ UTF-8 bytes ≤ 3 × units: measure exactly only when it could matter.
  if (text.length * 3 > maxRecordBytes && Buffer.byteLength(text.slice(first).trimEnd(), 'utf8') > maxRecordBytes) return TOO_LARGE;
  return value as JsonObject | JsonValue[];
}

function lastNonBlankChar(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return c;
  }
  return -1;
}
