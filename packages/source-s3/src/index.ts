// The public surface of @sparkify/source-s3: the JSON source over S3, and the S3/AWS pieces the
// Redshift sink shares (S3 URIs for COPY, credentials that never probe instance metadata).
export { S3ObjectStore } from './s3-object-store.js';
export type { S3ObjectStoreOptions } from './s3-object-store.js';
export type { S3Port, S3SendOptions } from './s3-port.js';
export { createS3Client } from './s3-client.js';
export type { S3ClientOptions } from './s3-client.js';
export { parseS3Uri, s3UriProblem, bucketNameProblem, formatS3Uri, AWS_REGION_PATTERN, awsRegionSchema, awsEndpointSchema } from './config.js';
export type { S3Location } from './config.js';
export { s3Error, isS3NotFound } from './s3-errors.js';
export type { S3CallContext } from './s3-errors.js';
export { sourceS3Plugin, sourceS3ConfigSchema } from './plugin.js';
export type { SourceS3Config } from './plugin.js';
export { createS3JsonSource } from './s3-json-source.js';
export type { S3SourceDependencies } from './s3-json-source.js';
export { credentialsFor, CREDENTIAL_ENV, MISSING_CREDENTIALS_HINT } from './aws/aws-credentials.js';
export type { AwsCredentials, AwsCredentialsProvider } from './aws/aws-credentials.js';
export { classifyAwsFailure } from './aws/aws-failure.js';
export type { AwsFailure } from './aws/aws-failure.js';
