import { CancelledError, ConfigError, InputDataError, type PipelineError } from '@sparkify/core';
import { MISSING_CREDENTIALS_HINT } from './aws/aws-credentials.js';
import { classifyAwsFailure } from './aws/aws-failure.js';

export interface S3CallContext {
  /** What was being done: `list`, `read`, `check`. */
  action: string;
  /** The object or prefix URI. */
  uri: string;
  bucket: string;
  /** The endpoint, when not real AWS. */
  endpoint?: string;
  region?: string;
  /** Config path of the URI that named this location, for ConfigErrors. */
  configPath?: string;
  signal?: AbortSignal;
}

/** Whether S3 said there is no object with this key (GetObject's NoSuchKey, HeadObject's bare 404). */
export function isS3NotFound(error: unknown): boolean {
  const failure = classifyAwsFailure(error);
  if (failure.kind !== 'service' || failure.name === 'NoSuchBucket') return false;
  return failure.name === 'NoSuchKey' || failure.name === 'NotFound' || failure.status === 404;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AllAccessDisabled']);
const REDIRECTS = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);

/**
 * An S3 failure as the pipeline reports it: what could not be read and what to do about it.
 * Missing credentials, a wrong bucket, a refused access and an unreachable endpoint are
 * configuration problems; a missing object or a broken read is an input problem.
 */
export function s3Error(error: unknown, context: S3CallContext): PipelineError {
  const failure = classifyAwsFailure(error, context.signal);
  const at = { file: context.uri, ...(context.configPath ? { configPath: context.configPath } : {}) };
  const where = context.endpoint ? `the S3 endpoint ${context.endpoint}` : `S3 (region ${context.region ?? 'default'})`;
  switch (failure.kind) {
    case 'pipeline':
      return failure.error;
    case 'aborted':
      return new CancelledError('cancelled', { cause: error, location: { file: context.uri } });
    case 'credentials':
      return new ConfigError(`no AWS credentials to ${context.action} ${context.uri}: ${failure.message}`, {
        cause: error,
        location: at,
        hint: MISSING_CREDENTIALS_HINT,
      });
    case 'network':
      return new ConfigError(`cannot reach ${where} to ${context.action} ${context.uri} (${failure.code})`, {
        cause: error,
        location: at,
        hint: context.endpoint ? 'check that the endpoint is running and its URL is right' : 'check the network connection and the region',
        details: { retryable: true },
      });
    case 'service':
      break;
  }
  const { name, status } = failure;
  if (name === 'NoSuchBucket') {
    return new ConfigError(`the bucket "${context.bucket}" does not exist (${context.uri})`, {
      cause: error,
      location: at,
      hint: `check the bucket name${context.endpoint ? ` and that ${context.endpoint} serves it` : ''}`,
    });
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return new ConfigError(`access denied to ${context.action} ${context.uri}: ${name}`, {
      cause: error,
      location: at,
      hint: 'check the credentials, and that their IAM policy allows s3:ListBucket on the bucket and s3:GetObject on its keys',
    });
  }
  if (REDIRECTS.has(name) || status === 301) {
    return new ConfigError(`the bucket "${context.bucket}" is not in region ${context.region ?? '(default)'} (${context.uri})`, {
      cause: error,
      location: at,
      hint: "set the source's region to the bucket's region",
    });
  }
  if (isS3NotFound(error)) {
    return new InputDataError(`no object ${context.uri}`, { cause: error, location: { file: context.uri }, hint: 'check the key; it may have been deleted' });
  }
  return new InputDataError(`S3 failed to ${context.action} ${context.uri}: ${name}: ${failure.message}`, {
    cause: error,
    location: { file: context.uri },
    details: { retryable: failure.retryable, code: name, ...(status === undefined ? {} : { status }) },
  });
}
