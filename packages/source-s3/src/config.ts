// What other packages need of source-s3 without loading the AWS SDK (`@sparkify/source-s3/config`):
// S3 URIs and the AWS config fields, for config schemas and COPY commands.
export { parseS3Uri, s3UriProblem, bucketNameProblem, formatS3Uri } from './s3-uri.js';
export type { S3Location } from './s3-uri.js';
export { AWS_REGION_PATTERN, awsRegionSchema, awsEndpointSchema } from './aws/aws-config-schemas.js';
