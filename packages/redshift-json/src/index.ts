// The public surface of @sparkify/redshift-json: Redshift COPY ... FORMAT AS JSON semantics,
// independent of where the bytes come from.
export { JsonObjectSource } from './json-object-source.js';
export type { JsonObjectSourceOptions, JsonMappingSpec } from './json-object-source.js';

export { compareKeys, findPrefixOvermatches } from './object-store.js';
export type { ObjectStore, ObjectInfo, ListOptions, OpenOptions, StoreCallOptions, PrefixOvermatch } from './object-store.js';
export { MemoryObjectStore } from './memory-object-store.js';
export type { MemoryObjectStoreOptions } from './memory-object-store.js';

export {
  parseJsonPath,
  parseJsonPathsFile,
  compileJsonPath,
  JsonPathSyntaxError,
  JsonPathIndexError,
  MAX_JSONPATHS_FILE_BYTES,
} from './jsonpaths.js';
export type {
  JsonPathSegment,
  JsonPathNotation,
  JsonPathExpression,
  JsonPathsFile,
  JsonPathsResolution,
  JsonPathAccessor,
} from './jsonpaths.js';
export { loadJsonPaths } from './jsonpaths-loader.js';

export { readJsonRecords } from './json-record-reader.js';
export type { ReadJsonRecordsOptions } from './json-record-reader.js';
export { MAX_RECORD_BYTES } from './json-tokenizer.js';
export type { JsonRecordEvent } from './json-tokenizer.js';
export { RawNumber, toJsonText, numberText } from './json-value.js';
export type { JsonValue, JsonObject } from './json-value.js';
export { compressionFromKey, hasGzipMagic, decompressed } from './decompress.js';
export type { DecompressMode } from './decompress.js';

export { compileValueConverter, ValueConversionError, parseTimestampText } from './value-conversion.js';
export type { ValueConverter } from './value-conversion.js';
export { compileRowMapper, checkArity, RecordRejection } from './record-mapping.js';
export type { RecordMapping, RowMapper } from './record-mapping.js';
export { jsonFormatField, timeFormatField, checkJsonPathsOrFormat } from './config-fields.js';
export { ColumnBatchBuilder, columnLayout, isColumnarSource, MAX_BATCH_ROWS } from './column-batch.js';
export type { ColumnBatch, ColumnData, ColumnarBatch, ColumnarSource, ColumnLayout, LongStrings } from './column-batch.js';
