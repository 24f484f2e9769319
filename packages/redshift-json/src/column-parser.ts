import type { ColumnChunk } from './column-batch.js';
import { type ColumnPlan, compileColumnPlan, readObjectColumns } from './object-column-reader.js';
import type { ObjectToRead } from './object-reader.js';
import { ParsePool } from './parse-pool.js';

/** Parses one object into column chunks, handing each to `push` (which waits while the consumer is behind). */
export type ColumnParser = (stored: AsyncIterable<Uint8Array>, object: ObjectToRead & { size: number }, push: (chunk: ColumnChunk) => Promise<void>, signal: AbortSignal) => Promise<void>;

/**
 * Objects larger than `workerBytes` are parsed on the process's worker threads (ParsePool), the
 * rest on this thread: a worker costs a few messages per object, more than parsing a song file
 * of a few hundred bytes takes. Where workers cannot start, everything is parsed here.
 */
export function columnParser(plan: ColumnPlan, workerBytes: number): ColumnParser {
  const compiled = compileColumnPlan(plan);
  return async (stored, object, push, signal) => {
    const pool = object.size > workerBytes ? await ParsePool.shared() : undefined;
    return pool ? pool.parse(stored, object, plan, push, signal) : readObjectColumns(stored, object, compiled, push, signal);
  };
}
