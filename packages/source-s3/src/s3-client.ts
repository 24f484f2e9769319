import { S3Client } from '@aws-sdk/client-s3';
import { credentialsFor, type AwsCredentials } from './aws/aws-credentials.js';

export interface S3ClientOptions {
  region: string;
  /** A non-AWS endpoint (`http://127.0.0.1:4566`); absent or empty for AWS itself. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default true with an endpoint, false for AWS. */
  forcePathStyle?: boolean;
  /** Explicit credentials; otherwise see credentialsFor (no instance-metadata probe with an endpoint). */
  credentials?: AwsCredentials;
  /** Attempts per request (the SDK's retries included); the SDK's default, 3, when absent. */
  maxAttempts?: number;
}

/**
 * An S3 client for the source. Constructing it does no I/O: credentials and connections are
 * resolved at the first request.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  const endpoint = options.endpoint || undefined;
  const credentials = credentialsFor(endpoint, options.credentials);
  return new S3Client({
    region: options.region,
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: options.forcePathStyle ?? true,
          // Local stand-ins rarely implement the flexible checksums; only send and check them when S3 requires it.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : options.forcePathStyle === undefined
        ? {}
        : { forcePathStyle: options.forcePathStyle }),
    ...(credentials ? { credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}
