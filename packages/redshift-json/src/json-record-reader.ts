import { parseLineFast } from './fast-line.js';
import { firstNonBlank, JsonTokenizer, type JsonRecordEvent, MAX_RECORD_BYTES, oversizeReason } from './json-tokenizer.js';
import type { JsonObject, JsonValue } from './json-value.js';
import { splitLines } from './line-splitter.js';

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
  const maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const tokenizer = new JsonTokenizer(maxRecordBytes);
  const splitOptions = options.maxLineBytes === undefined ? {} : { maxPieceBytes: options.maxLineBytes };
  for await (const pieces of splitLines(chunks, splitOptions)) {
    const out: JsonRecordEvent[] = [];
    for (const piece of pieces) {
      if (piece.text === undefined) {
        tokenizer.invalidLine(piece.line);
      } else if (piece.start && piece.end && !tokenizer.idle && !tokenizer.skipping) {
        tokenizer.feed(piece.text, piece.line, true, true);
      } else if (piece.start && piece.end) {
        const record = fastRecord(piece.text, maxRecordBytes);
        if (record === undefined) {
          tokenizer.feed(piece.text, piece.line, true, true);
        } else if (record !== BLANK && record !== SKIPPED) {
          tokenizer.resume();
          if (record === TOO_LARGE) out.push({ kind: 'error', line: piece.line, reason: oversizeReason(maxRecordBytes), excerpt: piece.text.slice(0, 200) });
          else out.push({ kind: 'record', value: record, line: piece.line });
        } else if (record === SKIPPED && !tokenizer.skipping) {
          tokenizer.feed(piece.text, piece.line, true, true);
        }
      } else {
        tokenizer.feed(piece.text, piece.line, piece.start, piece.end);
      }
      if (tokenizer.events.length > 0) {
        for (const event of tokenizer.events) out.push(event);
        tokenizer.events = [];
      }
    }
    if (out.length > 0) yield out;
  }
  tokenizer.finish();
  if (tokenizer.events.length > 0) yield tokenizer.events;
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
