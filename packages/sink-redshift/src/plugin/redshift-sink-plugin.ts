// The redshift plugin: its config schema, and a `create` that loads the Data API client only
// when a pipeline uses the plugin (the CLI imports this module through `@sparkify/sink-redshift/plugin`).
import { defineSinkPlugin } from '@sparkify/core';
import { awsEndpointSchema, awsRegionSchema } from '@sparkify/source-s3/config';
import { z } from 'zod';
import type { RedshiftTarget } from '../data-api/redshift-data-port.js';
import { DEFAULT_POLLING } from '../data-api/poll-clock.js';
import { DEFAULT_RETRY } from '../data-api/retry-policy.js';
import { IAM_ROLE_PATTERN } from '../load/copy-command.js';
import { DEFAULT_SESSION_KEEP_ALIVE_SECONDS } from '../sink/session-defaults.js';

const name = z.string().min(1).max(255);

/** Data API calls answer in milliseconds (statements run asynchronously): a minute of silence is a broken connection. */
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

export const sinkRedshiftConfigSchema = z
  .object({
    clusterIdentifier: name.optional().describe('The provisioned cluster to run statements on (give it or workgroupName). From dwh.cfg, the first label of HOST.'),
    workgroupName: name.optional().describe('The Redshift Serverless workgroup to run statements on (give it or clusterIdentifier).'),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_$]{0,126}$/, 'expected a database name such as dev')
      .describe('The database the statements run in.'),
    dbUser: name.optional().describe('With a cluster: the database user to get temporary credentials for (redshift:GetClusterCredentials). Give it or secretArn.'),
    secretArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'expected a Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)')
      .optional()
      .describe('A Secrets Manager secret holding the database user name and password, instead of dbUser (redacted in output).'),
    iamRole: z
      .string()
      .regex(IAM_ROLE_PATTERN, 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/dwhRole, or default')
      .optional()
      .describe("The IAM role attached to the cluster that COPY uses to read S3 (IAM_ROLE); needed to load S3 sources server-side."),
    region: awsRegionSchema.default('us-west-2').describe("The cluster's or workgroup's AWS region."),
    endpoint: awsEndpointSchema
      .default('')
      .describe('A Data API endpoint instead of AWS, e.g. the local Redshift emulator (http://127.0.0.1:4566); "" for AWS. With an endpoint, credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY only.'),
    sessionKeepAliveSeconds: z
      .number()
      .int()
      .min(60)
      .max(86_400)
      .default(DEFAULT_SESSION_KEEP_ALIVE_SECONDS)
      .describe("How long the run's Data API session stays open between statements; if the process dies, Redshift rolls the run back after this long."),
    pollIntervalMs: z.number().int().min(1).max(10_000).default(DEFAULT_POLLING.firstPollIntervalMs).describe('The first wait between two DescribeStatement polls; it doubles after each poll.'),
    maxPollIntervalMs: z.number().int().min(1).max(60_000).default(DEFAULT_POLLING.maxPollIntervalMs).describe('The longest wait between two DescribeStatement polls.'),
    statementTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(DEFAULT_POLLING.statementTimeoutMs / 1000)
      .describe('How long one statement may run before it is cancelled and reported (a COPY of a large prefix needs long).'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(DEFAULT_RETRY.maxAttempts)
      .describe('Attempts per Data API call when it is throttled, fails with a 5xx or loses its connection (1: no retries). Data and SQL errors are never retried.'),
    retryBaseMs: z
      .number()
      .int()
      .min(1)
      .max(60_000)
      .default(DEFAULT_RETRY.baseDelayMs)
      .describe('The bound of the first retry backoff; it doubles after each failed attempt, and each backoff is random below it (full jitter).'),
    retryMaxDelayMs: z.number().int().min(1).max(300_000).default(DEFAULT_RETRY.maxDelayMs).describe('The largest bound of one retry backoff.'),
    retryTotalSeconds: z
      .number()
      .min(0)
      .max(3600)
      .default(DEFAULT_RETRY.totalMs / 1000)
      .describe('No retry of a call starts later than this after its first attempt; the last error is then reported.'),
    requestTimeoutSeconds: z
      .number()
      .min(1)
      .max(3600)
      .default(DEFAULT_REQUEST_TIMEOUT_SECONDS)
      .describe('A Data API request that gets no answer in this long is abandoned and retried (the statement itself may run for statementTimeoutSeconds).'),
  })
  .strict()
  .superRefine((config, context) => {
    if (Boolean(config.clusterIdentifier) === Boolean(config.workgroupName)) {
      context.addIssue({ code: 'custom', path: ['clusterIdentifier'], message: 'give either clusterIdentifier (a provisioned cluster) or workgroupName (serverless), not both' });
    }
    if (config.clusterIdentifier && !config.dbUser && !config.secretArn) {
      context.addIssue({ code: 'custom', path: ['dbUser'], message: 'a cluster needs dbUser (temporary credentials) or secretArn' });
    }
    if (config.dbUser && config.secretArn) {
      context.addIssue({ code: 'custom', path: ['secretArn'], message: 'give either dbUser or secretArn, not both' });
    }
    if (config.workgroupName && config.dbUser) {
      context.addIssue({ code: 'custom', path: ['dbUser'], message: 'a serverless workgroup takes secretArn or the caller\'s IAM identity, not dbUser' });
    }
  });

export type SinkRedshiftConfig = z.output<typeof sinkRedshiftConfigSchema>;

/** The Data API target a config names (the schema has checked it names exactly one). */
export function redshiftTarget(config: SinkRedshiftConfig): RedshiftTarget {
  if (config.workgroupName) {
    return { kind: 'serverless', workgroupName: config.workgroupName, database: config.database, ...(config.secretArn ? { secretArn: config.secretArn } : {}) };
  }
  return {
    kind: 'cluster',
    clusterIdentifier: config.clusterIdentifier ?? '',
    database: config.database,
    ...(config.dbUser ? { dbUser: config.dbUser } : {}),
    ...(config.secretArn ? { secretArn: config.secretArn } : {}),
  };
}

export const sinkRedshiftPlugin = defineSinkPlugin<SinkRedshiftConfig>({
  id: 'redshift',
  kind: 'sink',
  description: 'Amazon Redshift (provisioned or serverless) through the Data API; S3 sources load with a server-side COPY',
  configSchema: sinkRedshiftConfigSchema,
  // A role ARN is an identifier, not a credential (and `default` is a common word).
  secretKeys: ['secretArn'],
  // Loaded at first use: the AWS SDK costs a tenth of a second at every start of the CLI otherwise.
  create: async (config, context) => (await import('./create-redshift-sink.js')).createRedshiftSink(config, { configPath: context.configPath }),
});
