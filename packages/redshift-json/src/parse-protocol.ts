import { InputDataError, PipelineError, type ErrorKind, type ErrorLocation } from '@sparkify/core';
import type { ColumnBatch, ColumnChunk } from './column-batch.js';
import type { ColumnPlan } from './object-column-reader.js';
import type { ObjectToRead } from './object-reader.js';

/** Messages between the ParsePool and its workers; `id` names one object being read. */
export type ToWorker =
  | { kind: 'open'; id: number; object: ObjectToRead; plan: ColumnPlan }
  | { kind: 'bytes'; id: number; bytes: Uint8Array }
  | { kind: 'end'; id: number }
  | { kind: 'drop'; id: number };

export type FromWorker =
  | { kind: 'pulled'; id: number }
  | { kind: 'chunk'; id: number; chunk: ColumnChunk }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id: number; error: SerializedError };

/** An error across the thread boundary: PipelineErrors keep their kind, location, hint and details. */
export interface SerializedError {
  message: string;
  name: string;
  stack?: string;
  pipeline?: { kind: ErrorKind; location: ErrorLocation; hint?: string; details?: unknown };
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error' };
  const serialized: SerializedError = { message: error.message, name: error.name, ...(error.stack ? { stack: error.stack } : {}) };
  if (error instanceof PipelineError) {
    serialized.pipeline = { kind: error.kind, location: error.location, ...(error.hint ? { hint: error.hint } : {}), ...(error.details === undefined ? {} : { details: error.details }) };
  }
  return serialized;
}

export function deserializeError(error: SerializedError): Error {
  const cause = error.stack ? Object.assign(new Error(error.message), { name: error.name, stack: error.stack }) : undefined;
  if (!error.pipeline) return cause ?? new Error(error.message);
  const { kind, location, hint, details } = error.pipeline;
  const options = { location, ...(hint ? { hint } : {}), ...(details === undefined ? {} : { details }), ...(cause ? { cause } : {}) };
  return kind === 'input' ? new InputDataError(error.message, options) : new PipelineError(kind, error.message, options);
}

/** The buffers of a batch, to transfer rather than copy. */
export function transferList(batch: ColumnBatch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of batch.columns) {
    buffers.add(column.data.buffer as ArrayBuffer);
    buffers.add(column.validity.buffer as ArrayBuffer);
    if (column.long) for (const array of [column.long.rows, column.long.ends, column.long.bytes]) buffers.add(array.buffer as ArrayBuffer);
  }
  return [...buffers];
}
