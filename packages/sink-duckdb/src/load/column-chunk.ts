import { endianness } from 'node:os';
import duckdb from '@duckdb/node-bindings';
import { PipelineError } from '@sparkify/core';
import type { ColumnBatch, ColumnData, LongStrings } from '@sparkify/redshift-json';

/**
 * Fills a DuckDB data chunk with a ColumnBatch: each column is copied into its vector in one call
 * (values and NULL mask), its strings longer than 12 bytes (which DuckDB keeps out of line) in
 * one more (see pointLongStrings). Per-value writes cost a native call for every value, several
 * times what this costs over a million rows.
 */
export function fillDataChunk(chunk: duckdb.DataChunk, batch: ColumnBatch, columns: number): void {
  if (batch.columns.length !== columns) {
    throw new PipelineError('internal', `a column batch has ${batch.columns.length} columns, the table ${columns}`);
  }
  duckdb.data_chunk_reset(chunk);
  duckdb.data_chunk_set_size(chunk, batch.rows);
  batch.columns.forEach((column, index) => fillVector(duckdb.data_chunk_get_vector(chunk, index), column));
}

function fillVector(vector: duckdb.Vector, column: ColumnData): void {
  const { data, validity, long } = column;
  const longStrings = long && long.count > 0 ? long : undefined;
  if (longStrings && LITTLE_ENDIAN) pointLongStrings(vector, data, longStrings);
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, validity.byteOffset, validity.byteLength);
  // After the copy, which would overwrite them.
  if (longStrings && !LITTLE_ENDIAN) assignLongStrings(vector, longStrings);
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * A long string's entry is DuckDB's duckdb_string_t { length, 4-byte prefix, pointer }, and its
 * bytes must outlive the chunk. All of a column's long strings, back to back, go into the
 * vector's own string heap in one call (assigned to row 0, which the entries copied next
 * overwrite); its address, read back from row 0's entry as @duckdb/node-api reads strings, and
 * each string's offset give the pointers, written here into the entries. One native call a
 * string (a view each, too) was a quarter of the main thread's time in a client-side load.
 */
function pointLongStrings(vector: duckdb.Vector, data: Uint8Array, long: LongStrings): void {
  const { count, rows, ends, bytes } = long;
  duckdb.vector_assign_string_element_len(vector, 0, bytes.subarray(0, ends[count - 1]!));
  const heap = duckdb.vector_get_data(vector, STRING_ENTRY_BYTES);
  const address = new DataView(heap.buffer, heap.byteOffset, STRING_ENTRY_BYTES);
  const low = address.getUint32(8, true);
  const high = address.getUint32(12, true);
  const entries = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let start = 0;
  for (let i = 0; i < count; i++) {
    const at = rows[i]! * STRING_ENTRY_BYTES;
    const end = ends[i]!;
    entries.setUint32(at, end - start, true);
    data[at + 4] = bytes[start]!;
    data[at + 5] = bytes[start + 1]!;
    data[at + 6] = bytes[start + 2]!;
    data[at + 7] = bytes[start + 3]!;
    const sum = low + start;
    entries.setUint32(at + 8, sum >>> 0, true);
    entries.setUint32(at + 12, sum > 0xffffffff ? high + 1 : high, true);
    start = end;
  }
}

const STRING_ENTRY_BYTES = 16;

/** The portable way, a call per string: for a big-endian machine, where the entries' layout differs. */
function assignLongStrings(vector: duckdb.Vector, long: LongStrings): void {
  let start = 0;
  for (let i = 0; i < long.count; i++) {
    const end = long.ends[i]!;
    duckdb.vector_assign_string_element_len(vector, long.rows[i]!, long.bytes.subarray(start, end));
    start = end;
  }
}
