import type {
  BatchExecuteStatementCommand,
  BatchExecuteStatementCommandOutput,
  CancelStatementCommand,
  CancelStatementCommandOutput,
  DescribeStatementCommand,
  DescribeStatementCommandOutput,
  ExecuteStatementCommand,
  ExecuteStatementCommandOutput,
  GetStatementResultCommand,
  GetStatementResultCommandOutput,
} from '@aws-sdk/client-redshift-data';

export interface DataApiSendOptions {
  abortSignal?: AbortSignal;
}

/**
 * The slice of `RedshiftDataClient` the sink calls: `send` for the five Data API commands it
 * uses. The real client satisfies it (against AWS or the emulator's endpoint), and so does the
 * emulator's in-process engine through its `createEmulatorClient`.
 */
export interface RedshiftDataPort {
  send(command: ExecuteStatementCommand, options?: DataApiSendOptions): Promise<ExecuteStatementCommandOutput>;
  send(command: BatchExecuteStatementCommand, options?: DataApiSendOptions): Promise<BatchExecuteStatementCommandOutput>;
  send(command: DescribeStatementCommand, options?: DataApiSendOptions): Promise<DescribeStatementCommandOutput>;
  send(command: GetStatementResultCommand, options?: DataApiSendOptions): Promise<GetStatementResultCommandOutput>;
  send(command: CancelStatementCommand, options?: DataApiSendOptions): Promise<CancelStatementCommandOutput>;
}

/**
 * Where statements run (redshift-reference.md §3): a provisioned cluster, with temporary
 * credentials for `dbUser` or a Secrets Manager secret; or a serverless workgroup, with a secret
 * or the caller's IAM identity.
 */
export type RedshiftTarget =
  | { kind: 'cluster'; clusterIdentifier: string; database: string; dbUser?: string; secretArn?: string }
  | { kind: 'serverless'; workgroupName: string; database: string; secretArn?: string };

/** The Data API request fields naming the target. */
export interface TargetFields {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
}

export function targetFields(target: RedshiftTarget): TargetFields {
  if (target.kind === 'serverless') {
    return { WorkgroupName: target.workgroupName, Database: target.database, ...(target.secretArn ? { SecretArn: target.secretArn } : {}) };
  }
  return {
    ClusterIdentifier: target.clusterIdentifier,
    Database: target.database,
    ...(target.secretArn ? { SecretArn: target.secretArn } : target.dbUser ? { DbUser: target.dbUser } : {}),
  };
}

/** One line naming the target, for messages: `cluster dwh, database dev`. */
export function describeTarget(target: RedshiftTarget): string {
  const where = target.kind === 'cluster' ? `cluster ${target.clusterIdentifier}` : `workgroup ${target.workgroupName}`;
  return `${where}, database ${target.database}`;
}
