import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { credentialsFor, type AwsCredentials } from '@sparkify/source-s3';

export interface RedshiftDataClientOptions {
  region: string;
  /** A Data API endpoint other than AWS's (the emulator: `http://127.0.0.1:PORT`); absent or empty for AWS. */
  endpoint?: string;
  /** Explicit credentials; otherwise the SDK's standard chain, or only the environment's keys with an endpoint (never instance metadata). */
  credentials?: AwsCredentials;
  /** Attempts per request, the SDK's retries of throttling and network errors included (same ClientToken). Default: the SDK's 3. */
  maxAttempts?: number;
}

/** The real Data API client. Constructing it does no I/O: credentials and connections are resolved at the first request. */
export function createRedshiftDataClient(options: RedshiftDataClientOptions): RedshiftDataClient {
  const endpoint = options.endpoint || undefined;
  const credentials = credentialsFor(endpoint, options.credentials);
  return new RedshiftDataClient({
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}
