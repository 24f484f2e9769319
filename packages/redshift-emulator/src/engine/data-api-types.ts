/**
 * The Data API shapes the emulator implements: the same names and types as
 * `@aws-sdk/client-redshift-data`'s models (dist-types/models/models_0.d.ts), restricted to the
 * operations here. A type test checks they stay assignable to the SDK's.
 */

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';
export type StatusFilter = StatementStatus | 'ALL';

export interface SqlParameterInput {
  name: string;
  value: string;
}

/** Where a statement runs: a provisioned cluster or a serverless workgroup. */
export interface TargetInput {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database?: string;
  DbUser?: string;
  SecretArn?: string;
}

export interface ExecuteStatementInput extends TargetInput {
  Sql: string;
  Parameters?: SqlParameterInput[];
  StatementName?: string;
  WithEvent?: boolean;
  ClientToken?: string;
  ResultFormat?: 'JSON' | 'CSV';
  SessionKeepAliveSeconds?: number;
  SessionId?: string;
  WaitTimeSeconds?: number;
}

export interface BatchExecuteStatementInput extends Omit<ExecuteStatementInput, 'Sql'> {
  Sqls: string[];
  ExecutionMode?: 'TRANSACTION' | 'AUTO_COMMIT';
}

export interface ExecuteStatementOutput {
  Id: string;
  CreatedAt: Date;
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database?: string;
  DbUser?: string;
  DbGroups?: string[];
  SecretArn?: string;
  SessionId?: string;
  Status?: StatementStatus;
  RedshiftPid?: number;
  HasResultSet?: boolean;
}

export type BatchExecuteStatementOutput = ExecuteStatementOutput;

export interface DescribeStatementInput {
  Id: string;
  WaitTimeSeconds?: number;
}

export interface SubStatementData {
  Id: string;
  Duration: number;
  Error?: string;
  Status: StatementStatus;
  CreatedAt: Date;
  UpdatedAt: Date;
  QueryString: string;
  ResultRows: number;
  ResultSize: number;
  RedshiftQueryId: number;
  HasResultSet: boolean;
}

export interface DescribeStatementOutput {
  Id: string;
  SecretArn?: string;
  DbUser?: string;
  Database?: string;
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Duration: number;
  Error?: string;
  Status: StatementStatus;
  CreatedAt: Date;
  UpdatedAt: Date;
  RedshiftPid: number;
  HasResultSet: boolean;
  QueryString?: string;
  ResultRows: number;
  ResultSize: number;
  RedshiftQueryId: number;
  QueryParameters?: SqlParameterInput[];
  SubStatements?: SubStatementData[];
  ResultFormat: 'JSON';
  SessionId?: string;
}

export type Field =
  | { isNull: true }
  | { booleanValue: boolean }
  | { longValue: number }
  | { doubleValue: number }
  | { stringValue: string };

export interface ColumnMetadata {
  isCaseSensitive: boolean;
  isCurrency: boolean;
  isSigned: boolean;
  label: string;
  name: string;
  nullable: number;
  precision: number;
  scale: number;
  schemaName: string;
  tableName: string;
  typeName: string;
  length: number;
}

export interface GetStatementResultInput {
  Id: string;
  NextToken?: string;
  WaitTimeSeconds?: number;
}

export interface GetStatementResultOutput {
  Records: Field[][];
  ColumnMetadata: ColumnMetadata[];
  TotalNumRows: number;
  NextToken?: string;
}

export interface CancelStatementInput {
  Id: string;
}

export interface CancelStatementOutput {
  Status: boolean;
}

export interface ListStatementsInput {
  NextToken?: string;
  MaxResults?: number;
  StatementName?: string;
  Status?: StatusFilter;
  RoleLevel?: boolean;
  Database?: string;
  ClusterIdentifier?: string;
  WorkgroupName?: string;
}

export interface StatementData {
  Id: string;
  QueryString?: string;
  QueryStrings?: string[];
  SecretArn?: string;
  Status: StatementStatus;
  StatementName?: string;
  CreatedAt: Date;
  UpdatedAt: Date;
  QueryParameters?: SqlParameterInput[];
  IsBatchStatement: boolean;
  ResultFormat: 'JSON';
  SessionId?: string;
}

export interface ListStatementsOutput {
  Statements: StatementData[];
  NextToken?: string;
}

/** The operations; the server calls them by wire name (X-Amz-Target: RedshiftData.<Name>). */
export interface DataApiOperations {
  executeStatement(input: ExecuteStatementInput): Promise<ExecuteStatementOutput>;
  batchExecuteStatement(input: BatchExecuteStatementInput): Promise<BatchExecuteStatementOutput>;
  describeStatement(input: DescribeStatementInput): Promise<DescribeStatementOutput>;
  getStatementResult(input: GetStatementResultInput): Promise<GetStatementResultOutput>;
  cancelStatement(input: CancelStatementInput): Promise<CancelStatementOutput>;
  listStatements(input: ListStatementsInput): Promise<ListStatementsOutput>;
}

/** Wire name → method. */
export const DATA_API_OPERATIONS = {
  ExecuteStatement: 'executeStatement',
  BatchExecuteStatement: 'batchExecuteStatement',
  DescribeStatement: 'describeStatement',
  GetStatementResult: 'getStatementResult',
  CancelStatement: 'cancelStatement',
  ListStatements: 'listStatements',
} as const satisfies Record<string, keyof DataApiOperations>;

export type DataApiOperationName = keyof typeof DATA_API_OPERATIONS;
