import { joinConfigPath } from '@sparkify/core';
import { JsonObjectSource, type JsonMappingSpec } from '@sparkify/redshift-json';
import type { AwsCredentials } from './aws/aws-credentials.js';
import type { SourceS3Config } from './plugin.js';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore } from './s3-object-store.js';
import type { S3Port } from './s3-port.js';
import { parseS3Uri } from './s3-uri.js';

export interface S3SourceDependencies {
  /** The config path of this source's `with`, for error locations. */
  configPath?: string;
  /** A client to use instead of one built from the config (tests; a shared client). */
  client?: S3Port;
  /** Explicit credentials for the client built from the config. */
  credentials?: AwsCredentials;
  /** Keys per listing page (tests use a small one to cross pages). */
  pageSize?: number;
}

/** The JSON source over S3; the plugin's `create` in pure form. No request is made here. */
export function createS3JsonSource(config: SourceS3Config, dependencies: S3SourceDependencies = {}): JsonObjectSource {
  const at = (key: string) => (dependencies.configPath === undefined ? key : joinConfigPath(dependencies.configPath, [key]));
  const endpoint = config.endpoint || undefined;
  const client =
    dependencies.client ??
    createS3Client({
      region: config.region,
      ...(endpoint ? { endpoint } : {}),
      ...(config.forcePathStyle === undefined ? {} : { forcePathStyle: config.forcePathStyle }),
      ...(dependencies.credentials ? { credentials: dependencies.credentials } : {}),
    });
  const storeFor = (bucket: string, configPath: string) =>
    new S3ObjectStore({
      client,
      bucket,
      region: config.region,
      ...(endpoint ? { endpoint } : {}),
      ...(dependencies.pageSize ? { pageSize: dependencies.pageSize } : {}),
      configPath,
    });
  const data = parseS3Uri(config.uri, at('uri'));
  let mapping: JsonMappingSpec = { mode: config.format ?? 'auto' };
  if (config.jsonPaths !== undefined) {
    const paths = parseS3Uri(config.jsonPaths, at('jsonPaths'));
    mapping = { mode: 'jsonpaths', store: storeFor(paths.bucket, at('jsonPaths')), key: paths.key };
  }
  return new JsonObjectSource({
    store: storeFor(data.bucket, at('uri')),
    prefix: data.key,
    mapping,
    timeFormat: config.timeFormat,
    concurrency: config.concurrency,
  });
}
