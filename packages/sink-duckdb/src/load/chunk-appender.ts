import { type DuckDBAppender, DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { PipelineError, type ColumnSpec } from '@sparkify/core';
import type { ColumnBatch, ColumnData } from '@sparkify/redshift-json';

/**
 * Appends ColumnBatches through DuckDB's appender a data chunk at a time: each column is copied
 * into its vector in one call (values and NULL mask), and only strings longer than 12 bytes
 * (which DuckDB keeps out of line) take a call each. Per-value appends cost a native call for
 * every value, several times what the data chunk path costs over a million rows.
 */
export class ChunkAppender {
  private readonly chunk: DuckDBDataChunk;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly ColumnSpec[],
  ) {
    const types: DuckDBType[] = columns.map((_, index) => appender.columnType(index));
    this.chunk = DuckDBDataChunk.create(types);
  }

  append(batch: ColumnBatch): void {
    if (batch.rows === 0) return;
    if (batch.columns.length !== this.columns.length) {
      throw new PipelineError('internal', `a column batch has ${batch.columns.length} columns, the table ${this.columns.length}`);
    }
    const raw = this.chunk.chunk;
    duckdb.data_chunk_reset(raw);
    duckdb.data_chunk_set_size(raw, batch.rows);
    batch.columns.forEach((column, index) => fillVector(duckdb.data_chunk_get_vector(raw, index), column));
    this.appender.appendDataChunk(this.chunk);
  }
}

function fillVector(vector: duckdb.Vector, column: ColumnData): void {
  const { data, validity, long } = column;
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, validity.byteOffset, validity.byteLength);
  if (!long) return;
  let start = 0;
  for (let i = 0; i < long.count; i++) {
    const end = long.ends[i]!;
    duckdb.vector_assign_string_element_len(vector, long.rows[i]!, long.bytes.subarray(start, end));
    start = end;
  }
}
