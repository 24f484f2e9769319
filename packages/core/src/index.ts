// The public surface of @sparkify/core: named exports only.
export {
  EXIT_CODES,
  PipelineError,
  ConfigError,
  InputDataError,
  WarehouseError,
  CheckFailedError,
  CancelledError,
  toPipelineError,
  isAbortError,
  throwIfAborted,
  describeLocation,
} from './errors/pipeline-error.js';
export type { ErrorKind, ErrorLocation, PipelineErrorOptions } from './errors/pipeline-error.js';

export {
  parseColumnType,
  formatColumnType,
  isCharacterType,
  MAX_VARCHAR_BYTES,
} from './model/column-type.js';
export type { ColumnType, ColumnTypeKind } from './model/column-type.js';
export {
  IDENTIFIER_PATTERN,
  identifierSchema,
  columnTypeSchema,
  columnSpecSchema,
  tableSpecSchema,
  distributionSchema,
  defineTable,
  columnOf,
  tableSpecToData,
} from './model/table-spec.js';
export type { ColumnSpec, TableSpec, TableSpecInput, Distribution } from './model/table-spec.js';
export { formatTimestampMicros, formatDateDays } from './model/values.js';
export type { LoadValue, LoadRow, QueryValue, QueryColumn, QueryResult } from './model/values.js';

export type {
  Source,
  SourceObject,
  SourceDescription,
  JsonMapping,
  TimeFormat,
  RejectedRecord,
  ReadProgress,
  ReadOptions,
  RowBatch,
} from './ports/source.js';
export type { Sink, Dialect, StatementOptions, LoadRequest, LoadResult } from './ports/sink.js';

export { EventBus } from './events/run-events.js';
export type {
  RunEvent,
  RunEventType,
  ErrorInfo,
  LoadCounts,
  CheckOutcome,
  StepSummary,
  RunSummary,
  DistributiveOmit,
} from './events/run-events.js';

export { defineSourcePlugin, defineSinkPlugin, defineStepPlugin } from './plugins/plugin.js';
export type {
  PluginKind,
  PluginContext,
  SourcePlugin,
  SinkPlugin,
  StepPlugin,
  AnyPlugin,
  Step,
  StepContext,
  PlannedAction,
} from './plugins/plugin.js';
export { TOKENS } from './plugins/tokens.js';
