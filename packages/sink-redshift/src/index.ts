// The public surface of @sparkify/sink-redshift: Amazon Redshift through the Data API.
export {
  redshiftDialect,
  quoteRedshiftIdentifier,
  quoteRedshiftLiteral,
  renderRedshiftType,
  renderRedshiftCreateTable,
  renderRedshiftDropTable,
} from './dialect/redshift-dialect.js';
export { RedshiftSink } from './sink/redshift-sink.js';
export { DEFAULT_SESSION_KEEP_ALIVE_SECONDS } from './sink/session-defaults.js';
export type { RedshiftSinkOptions } from './sink/redshift-sink.js';
export { targetFields, describeTarget } from './data-api/redshift-data-port.js';
export type { RedshiftDataPort, DataApiSendOptions, RedshiftTarget, TargetFields } from './data-api/redshift-data-port.js';
export { StatementClient, SERIALIZATION_CONFLICT_CODE } from './data-api/statement-client.js';
export { DEFAULT_RETRY, backoffDelay, retrying } from './data-api/retry-policy.js';
export type { RetryOptions, RetryEvent, RetryContext } from './data-api/retry-policy.js';
export type { StatementClientOptions, StatementRequest, FinishedStatement } from './data-api/statement-client.js';
export { systemPollClock, DEFAULT_POLLING, pollDelays } from './data-api/poll-clock.js';
export type { PollClock, PollingOptions } from './data-api/poll-clock.js';
export { dataApiError, sqlExcerpt } from './data-api/data-api-errors.js';
export { decodeField } from './data-api/field-decoding.js';
export { renderCopyCommand, IAM_ROLE_PATTERN, MAX_MAXERROR } from './load/copy-command.js';
export type { CopySettings, CopyCommandPlan } from './load/copy-command.js';
export { insertStatements, sqlLiteral, MAX_INSERT_BYTES } from './load/insert-statements.js';
export { loadErrorsSql } from './load/load-errors.js';
export { createRedshiftDataClient } from './data-api/redshift-data-client.js';
export type { RedshiftDataClientOptions } from './data-api/redshift-data-client.js';
export { sinkRedshiftPlugin, sinkRedshiftConfigSchema, redshiftTarget } from './plugin/redshift-sink-plugin.js';
export { createRedshiftSink } from './plugin/create-redshift-sink.js';
export type { SinkRedshiftConfig } from './plugin/redshift-sink-plugin.js';
