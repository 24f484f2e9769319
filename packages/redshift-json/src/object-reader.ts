import { InputDataError, throwIfAborted, type RejectedRecord, type RowBatch } from '@sparkify/core';
import { decompressed, type DecompressMode } from './decompress.js';
import { readJsonRecords } from './json-record-reader.js';
import type { JsonRecordEvent } from './json-tokenizer.js';
import { JsonPathIndexError } from './jsonpaths.js';
import { RecordRejection, type RowMapper } from './record-mapping.js';

/** Rows and rejections of one object, in order, a batch at a time. */
export interface Chunk {
  rows: RowBatch['rows'];
  rejected: RejectedRecord[];
  /** Stored (compressed) bytes read since the previous chunk of the same object. */
  bytes: number;
  /** Records read (loaded or rejected) in this chunk. */
  records: number;
}

export interface ObjectToRead {
  uri: string;
  /** How to decompress: as described, or sniffed (`detect`) when the source guessed. */
  mode: DecompressMode;
}

/**
 * Reads one object's stored bytes into chunks of at most `batchRows` rows, handing each to
 * `push` (which may wait: that is the back-pressure).
 */
export async function readObjectChunks(
  stored: AsyncIterable<Uint8Array>,
  object: ObjectToRead,
  mapper: RowMapper,
  batchRows: number,
  push: (chunk: Chunk) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const counter = { bytes: 0 };
  const bytes = decompressed(countBytes(stored, counter), object.uri, object.mode);
  let chunk = emptyChunk();
  for await (const events of readJsonRecords(bytes)) {
    throwIfAborted(signal);
    for (const event of events) {
      chunk.records++;
      if (event.kind === 'error') {
        chunk.rejected.push(unreadRecord(object.uri, event));
        continue;
      }
      try {
        chunk.rows.push(mapper(event.value));
      } catch (error) {
        chunk.rejected.push(rejectedOrThrow(object.uri, event.line, error));
      }
      if (chunk.rows.length === batchRows) {
        await push(chunk);
        chunk = emptyChunk();
      }
    }
    // Bytes are counted per input chunk: charge them to the next chunk handed on.
    chunk.bytes += takeBytes(counter);
  }
  chunk.bytes += takeBytes(counter);
  await push(chunk);
}

function emptyChunk(): Chunk {
  return { rows: [], rejected: [], bytes: 0, records: 0 };
}

export function takeBytes(counter: { bytes: number }): number {
  const bytes = counter.bytes;
  counter.bytes = 0;
  return bytes;
}

export async function* countBytes(chunks: AsyncIterable<Uint8Array>, counter: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}

/** A record the tokenizer could not read (malformed JSON, a line break in a string…), rejected. */
export function unreadRecord(file: string, event: Extract<JsonRecordEvent, { kind: 'error' }>): RejectedRecord {
  return { file, line: event.line, value: event.excerpt, reason: event.reason };
}

/**
 * What mapping a record threw: a RecordRejection is the rejected record; a JSONPaths index the
 * record lacks fails the whole load, as COPY does (MAXERROR does not apply); anything else is a bug.
 */
export function rejectedOrThrow(file: string, line: number, error: unknown): RejectedRecord {
  if (error instanceof RecordRejection) return rejection(file, line, error);
  if (error instanceof JsonPathIndexError) throw jsonPathFailure(file, line, error);
  throw error;
}

function rejection(file: string, line: number, error: RecordRejection): RejectedRecord {
  const record: RejectedRecord = { file, line, reason: error.reason };
  if (error.column !== undefined) record.column = error.column;
  if (error.rawValue !== undefined) record.value = error.rawValue;
  return record;
}

function jsonPathFailure(file: string, line: number, error: JsonPathIndexError): InputDataError {
  return new InputDataError(`${file} line ${line}: ${error.message}`, {
    location: { file, line },
    cause: error,
    hint: 'COPY fails on a JSONPaths array index that a record does not have (MAXERROR does not apply); remove the expression or fix the data.',
  });
}
