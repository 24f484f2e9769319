import { ConfigError } from '@sparkify/core';

/** Static AWS credentials, the shape the SDK clients accept. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Environment variables the SDK reads for static credentials. */
export const CREDENTIAL_ENV = {
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
} as const;

/**
 * The credentials for an SDK client, or undefined to let the SDK use its standard chain
 * (environment, shared config and SSO profiles, process, web identity, container and instance
 * metadata).
 *
 * With an `endpoint` (a local emulator, a proxy) the standard chain is not used: on a machine
 * without credentials its last link probes the EC2 instance metadata service, which hangs for
 * seconds off EC2 and can hand a local endpoint real credentials on EC2. Credentials then come
 * from `explicit`, else from the environment variables, read at each request (so a test can set
 * them late), else the request fails at once with a ConfigError saying what to set.
 */
export function credentialsFor(endpoint: string | undefined, explicit?: AwsCredentials): AwsCredentials | AwsCredentialsProvider | undefined {
  if (explicit) return explicit;
  if (!endpoint) return undefined;
  return async () => {
    const accessKeyId = process.env[CREDENTIAL_ENV.accessKeyId];
    const secretAccessKey = process.env[CREDENTIAL_ENV.secretAccessKey];
    if (!accessKeyId || !secretAccessKey) throw missingEndpointCredentials(endpoint);
    const sessionToken = process.env[CREDENTIAL_ENV.sessionToken];
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };
}

function missingEndpointCredentials(endpoint: string): ConfigError {
  return new ConfigError(`no AWS credentials for the endpoint ${endpoint}`, {
    hint:
      `set ${CREDENTIAL_ENV.accessKeyId} and ${CREDENTIAL_ENV.secretAccessKey} (any non-empty values work for the local Redshift emulator). ` +
      'With an endpoint, profiles and the EC2 instance metadata service are not consulted.',
  });
}

/** What to do when the SDK's standard chain found no credentials. */
export const MISSING_CREDENTIALS_HINT =
  `set ${CREDENTIAL_ENV.accessKeyId} and ${CREDENTIAL_ENV.secretAccessKey} (and ${CREDENTIAL_ENV.sessionToken} for temporary keys), ` +
  'or AWS_PROFILE naming a profile in ~/.aws/credentials or ~/.aws/config (run `aws sso login` for an SSO profile), ' +
  'or run where an IAM role provides them (EC2, ECS, Lambda)';
