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
export { EventLoopSlices } from './runtime/event-loop-slices.js';
export { fileUrlOf, pathOfFileUrl } from './runtime/file-urls.js';

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

export { transformSchema, checkSpecSchema, emptyCatalog } from './model/catalog.js';
export type { Catalog, Transform, CheckSpec, CheckSpecInput } from './model/catalog.js';
export { renderCheck, checkName } from './checks/render-check.js';
export type { RenderedCheck } from './checks/render-check.js';

export { pipelineFileSchema, paramSchema, resourceSchema, stepSchema, settingsSchema } from './pipeline/pipeline-schema.js';
export type { PipelineFile, ParamSpec, ResourceEntry, StepEntry, PipelineSettings } from './pipeline/pipeline-schema.js';
export { resolveParams, substitute } from './pipeline/params.js';
export type { ParamValue, ResolvedParams, ParamInputs } from './pipeline/params.js';
export { orderSteps, runDag } from './pipeline/dag.js';
export type { DagNode } from './pipeline/dag.js';
export { parseJsonText, lineAndColumn } from './pipeline/json-text.js';
export { formatConfigPath, joinConfigPath } from './pipeline/config-path.js';
export { configErrorFromZod } from './pipeline/zod-issues.js';
export { closestName, didYouMean } from './pipeline/closest-name.js';

export { PluginRegistry } from './runtime/plugin-registry.js';
export { loadPipeline, loadPipelineFile } from './runtime/load-pipeline.js';
export type { LoadedPipeline, LoadedResource, LoadedStep, LoadOptions } from './runtime/load-pipeline.js';
export { instantiate, closeAll } from './runtime/instantiate.js';
export type { PipelineInstances } from './runtime/instantiate.js';
export { runPipeline, errorInfo } from './runtime/run-pipeline.js';
export type { RunOptions, RunOutcome } from './runtime/run-pipeline.js';
export { planPipeline } from './runtime/plan-pipeline.js';
export type { PlannedStep } from './runtime/plan-pipeline.js';
export { redact, redactDeep } from './runtime/redact.js';

export { corePlugins, registerPlugins } from './steps/core-plugins.js';
export { createTablesStepPlugin, createTablesStatements } from './steps/create-tables-step.js';
export { loadStepPlugin } from './steps/load-step.js';
export { transformStepPlugin } from './steps/transform-step.js';
export { checksStepPlugin } from './steps/checks-step.js';
export { pipelineJsonSchema } from './runtime/pipeline-json-schema.js';
