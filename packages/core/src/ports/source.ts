import type { ColumnSpec } from '../model/table-spec.js';
import type { LoadRow } from '../model/values.js';

/** One stored object (a local file or an S3 object) that a source will read. */
export interface SourceObject {
  /** Full URI: `file:///abs/path` or `s3://bucket/key`. */
  uri: string;
  /** The key relative to the store root (`log_data/2018/11/x.json`). */
  key: string;
  size: number;
  etag?: string;
  /** Gzip by extension (`.gz`) or by magic bytes, when the source knows it before reading. */
  compression: 'none' | 'gzip';
}

/**
 * How a JSON record maps to columns, as Redshift's COPY ... FORMAT AS JSON spells it:
 * `auto` matches first-level keys to column names case-sensitively, `auto ignorecase` without
 * case, `jsonpaths` uses one JSONPath expression per column, in column order.
 */
export type JsonMapping =
  | { mode: 'auto' }
  | { mode: 'auto ignorecase' }
  | { mode: 'jsonpaths'; uri: string; paths: string[] };

export type TimeFormat = 'auto' | 'epochmillisecs' | 'epochsecs';

/**
 * What a source is, for sinks that load server-side (Redshift COPY, DuckDB's JSON reader):
 * the exact objects, the mapping and the conversions. Loading from this description must give
 * the same rows as streaming `read()`.
 */
export interface SourceDescription {
  /** URI of the prefix the objects were listed under (`s3://bucket/log_data`, `file:///data/log_data`). */
  location: string;
  /** `s3`, `file`, ... : sinks check whether they can reach the objects themselves. */
  scheme: string;
  objects: SourceObject[];
  format: 'json';
  mapping: JsonMapping;
  timeFormat: TimeFormat;
  /** Store-specific facts a server-side loader may need (region, endpoint, bucket, prefix...). */
  store: Record<string, string>;
  /** Preflight findings: over-matching prefix, JSONPaths under the data prefix... */
  warnings: string[];
}

/** A record that could not be loaded, reported with where it is and why. */
export interface RejectedRecord {
  file: string;
  /** The last line of the offending JSON object, as Redshift's stl_load_errors reports it. */
  line: number;
  column?: string;
  /** The raw value or an excerpt of the record, at most a few hundred characters. */
  value?: string;
  reason: string;
}

export interface ReadProgress {
  objectsDone: number;
  objectsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  rowsRead: number;
  rowsRejected: number;
}

export interface ReadOptions {
  /** The target table's columns, in order: rows come out in this order, converted to these types. */
  columns: ColumnSpec[];
  /** How many bad records may be skipped (each reported); one more fails the read. */
  maxErrors: number;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Objects read at once. */
  concurrency?: number;
}

/** A batch of converted rows, with the records of the same stretch of input that were rejected. */
export interface RowBatch {
  rows: LoadRow[];
  rejected: RejectedRecord[];
}

/**
 * A source of JSON records. `read` streams: memory stays flat whatever the input size.
 * It throws InputDataError (listing the rejected records) once more than maxErrors are rejected.
 */
export interface Source {
  describe(options?: { signal?: AbortSignal }): Promise<SourceDescription>;
  read(options: ReadOptions): AsyncIterable<RowBatch>;
}
