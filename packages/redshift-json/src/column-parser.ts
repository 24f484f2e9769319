import type { ColumnChunk } from './column-batch.js';
import { type ColumnPlan, readObjectColumns } from './object-column-reader.js';
import type { ObjectToRead } from './object-reader.js';
import { ParsePool } from './parse-pool.js';

/** Parses objects into column chunks for one read; `close` when the read is over. */
export interface ColumnParser {
  parse(stored: AsyncIterable<Uint8Array>, object: ObjectToRead, push: (chunk: ColumnChunk) => Promise<void>, signal: AbortSignal): Promise<void>;
  close(): void;
}

/** Parses on this thread. */
export function inlineColumnParser(plan: ColumnPlan): ColumnParser {
  return {
    parse: (stored, object, push, signal) => readObjectColumns(stored, object, plan, push, signal),
    close: () => undefined,
  };
}

/** Parses on the process's worker threads (ParsePool), or on this thread where they cannot start. */
export function columnParser(plan: ColumnPlan): ColumnParser {
  const inline = inlineColumnParser(plan);
  return {
    parse: async (stored, object, push, signal) => {
      const pool = await ParsePool.shared();
      return pool ? pool.parse(stored, object, plan, push, signal) : inline.parse(stored, object, push, signal);
    },
    close: () => undefined,
  };
}
