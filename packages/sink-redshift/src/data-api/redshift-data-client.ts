import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { credentialsFor, type AwsCredentials } from '@sparkify/source-s3';

export interface RedshiftDataClientOptions {
  region: string;
  /** A Data API endpoint other than AWS's (the emulator: `http://127.0.0.1:PORT`); absent or empty for AWS. */
  endpoint?: string;
  /** Explicit credentials; otherwise the SDK's standard chain, or only the environment's keys with an endpoint (never instance metadata). */
  credentials?: AwsCredentials;
  /**
   * Attempts per request by the SDK's own retry strategy. The sink passes 1: it retries itself
   * (retry-policy.ts), with its own bounds. Default: the SDK's 3.
   */
  maxAttempts?: number;
  /** A request that gets no answer in this long fails with a TimeoutError (retryable); absent: no limit. */
  requestTimeoutMs?: number;
}

/** How long opening a connection to the Data API may take before it fails (retryable). */
const CONNECTION_TIMEOUT_MS = 10_000;

/** The real Data API client. Constructing it does no I/O: credentials and connections are resolved at the first request. */
export function createRedshiftDataClient(options: RedshiftDataClientOptions): RedshiftDataClient {
  const endpoint = options.endpoint || undefined;
  const credentials = credentialsFor(endpoint, options.credentials);
  return new RedshiftDataClient({
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.requestTimeoutMs
      ? { requestHandler: { requestTimeout: options.requestTimeoutMs, connectionTimeout: CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true } }
      : {}),
  });
}
