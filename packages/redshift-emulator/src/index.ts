// The public surface of @sparkify/redshift-emulator: a local stand-in for Amazon Redshift behind
// the Data API, running real SQL on PGlite.
export { RedshiftEmulator } from './engine/redshift-emulator.js';
export type { RedshiftEmulatorOptions } from './engine/redshift-emulator.js';
export { DataApiError } from './engine/data-api-errors.js';
export type { DataApiErrorName } from './engine/data-api-errors.js';
export { DATA_API_OPERATIONS } from './engine/data-api-types.js';
export type {
  DataApiOperations,
  DataApiOperationName,
  ExecuteStatementInput,
  ExecuteStatementOutput,
  BatchExecuteStatementInput,
  BatchExecuteStatementOutput,
  DescribeStatementInput,
  DescribeStatementOutput,
  SubStatementData,
  GetStatementResultInput,
  GetStatementResultOutput,
  CancelStatementInput,
  CancelStatementOutput,
  ListStatementsInput,
  ListStatementsOutput,
  StatementData,
  StatementStatus,
  Field,
  ColumnMetadata,
  SqlParameterInput,
} from './engine/data-api-types.js';
export { systemClock } from './engine/clock.js';
export type { Clock } from './engine/clock.js';
export type { FaultOptions, FaultCounts } from './engine/fault-injector.js';
export type { CopyLoaderOptions } from './copy/copy-loader.js';
export type { BucketResolver, BucketStores } from './copy/s3-location.js';

export { translateRedshiftSql } from './sql/redshift-translator.js';
export { loadSqlParser } from './sql/sql-parser.js';
export { parseCopyCommand } from './copy/copy-command-parser.js';
export type { CopyCommand, CopyJsonMapping } from './copy/copy-command-parser.js';

export { startEmulatorServer } from './server/emulator-server.js';
export type { EmulatorServer, EmulatorServerOptions } from './server/emulator-server.js';
export { createEmulatorClient } from './client/emulator-client.js';
export type { EmulatorClient, CommandLike } from './client/emulator-client.js';
export { FolderBucketStore, FolderBuckets } from './s3/folder-bucket-store.js';
export type { StoredObject } from './s3/folder-bucket-store.js';
