import { z } from 'zod';
import { validationError } from './data-api-errors.js';

/** Limits of the Data API (constraints in the service model). */
export const LIMITS = {
  maxBatchStatements: 40,
  maxWaitTimeSeconds: 30,
  maxSessionKeepAliveSeconds: 86_400,
  maxListResults: 100,
} as const;

const text = (max: number) => z.string().min(1).max(max);
const parameter = z.object({ name: text(1000), value: z.string() });

const target = {
  ClusterIdentifier: text(255).optional(),
  WorkgroupName: text(255).optional(),
  Database: text(255).optional(),
  DbUser: text(255).optional(),
  SecretArn: text(2048).optional(),
};

const statementOptions = {
  ...target,
  Parameters: z.array(parameter).min(1).optional(),
  StatementName: z.string().max(500).optional(),
  WithEvent: z.boolean().optional(),
  ClientToken: text(64).optional(),
  ResultFormat: z.enum(['JSON', 'CSV']).optional(),
  SessionKeepAliveSeconds: z.number().int().min(0).max(LIMITS.maxSessionKeepAliveSeconds).optional(),
  SessionId: z.string().min(1).optional(),
  WaitTimeSeconds: z.number().int().min(0).max(LIMITS.maxWaitTimeSeconds).optional(),
};

export const executeStatementSchema = z.object({ Sql: z.string().min(1).max(100_000), ...statementOptions });

export const batchExecuteStatementSchema = z.object({
  Sqls: z.array(z.string().min(1).max(100_000)).min(1).max(LIMITS.maxBatchStatements),
  ExecutionMode: z.enum(['TRANSACTION', 'AUTO_COMMIT']).optional(),
  ...statementOptions,
});

export const describeStatementSchema = z.object({
  Id: z.string().min(1),
  WaitTimeSeconds: z.number().int().min(0).max(LIMITS.maxWaitTimeSeconds).optional(),
});

export const getStatementResultSchema = z.object({
  Id: z.string().min(1),
  NextToken: z.string().optional(),
  WaitTimeSeconds: z.number().int().min(0).max(LIMITS.maxWaitTimeSeconds).optional(),
});

export const cancelStatementSchema = z.object({ Id: z.string().min(1) });

export const listStatementsSchema = z.object({
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(0).max(LIMITS.maxListResults).optional(),
  StatementName: z.string().max(500).optional(),
  Status: z.enum(['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED', 'FAILED', 'ABORTED', 'ALL']).optional(),
  RoleLevel: z.boolean().optional(),
  Database: z.string().optional(),
  ClusterIdentifier: z.string().optional(),
  WorkgroupName: z.string().optional(),
});

/** Parses a request, answering a bad one with a ValidationException that names the field. */
export function parseRequest<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'request';
  throw validationError(`1 validation error detected: Value at '${field}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`);
}
