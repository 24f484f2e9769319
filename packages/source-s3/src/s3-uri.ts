import { ConfigError } from '@sparkify/core';

/** An S3 location: a bucket and a key (or key prefix, possibly empty). */
export interface S3Location {
  bucket: string;
  key: string;
}

/**
 * Why a bucket name breaks S3's naming rules (general purpose buckets), or undefined when it
 * keeps them: 3-63 characters of lower-case letters, digits, dots and hyphens, starting and
 * ending with a letter or digit, no `..`, not an IP address, none of the reserved prefixes and
 * suffixes. (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
 */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return 'a bucket name has 3 to 63 characters';
  if (!/^[a-z0-9.-]+$/.test(bucket)) return 'a bucket name has only lower-case letters, digits, dots (.) and hyphens (-)';
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) return 'a bucket name starts and ends with a letter or a digit';
  if (bucket.includes('..')) return 'a bucket name has no two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'a bucket name is not an IP address';
  const reservedPrefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((prefix) => bucket.startsWith(prefix));
  if (reservedPrefix) return `a bucket name does not start with "${reservedPrefix}" (reserved)`;
  const reservedSuffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((suffix) => bucket.endsWith(suffix));
  if (reservedSuffix) return `a bucket name does not end with "${reservedSuffix}" (reserved)`;
  return undefined;
}

/** Why `uri` is not an `s3://bucket/key-or-prefix` URI S3 would accept, or undefined when it is one. */
export function s3UriProblem(uri: string): string | undefined {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(uri);
  if (!match) return /^[a-z0-9+.-]+:/i.test(uri) ? 'it must start with s3://' : 'expected s3://bucket/prefix';
  const bucket = match[1] ?? '';
  const key = match[2] ?? '';
  if (bucket === '') return 'the bucket name is missing';
  const problem = bucketNameProblem(bucket);
  if (problem) return `bucket "${bucket}": ${problem}`;
  if (Buffer.byteLength(key, 'utf8') > 1024) return 'an S3 key has at most 1024 bytes';
  // Control characters are legal in keys but never intended in a config value, and they would
  // end up inside SQL (COPY ... FROM) and log lines.
  if (/\p{Cc}/u.test(key)) return 'the key contains a control character (newline, tab...)';
  return undefined;
}

/**
 * Parses `s3://bucket/key-or-prefix`. Anything else (`s3:/x`, `https://…`, a bucket name S3
 * would refuse, a key with control characters) is a ConfigError naming `configPath`.
 */
export function parseS3Uri(uri: string, configPath?: string): S3Location {
  const problem = s3UriProblem(uri);
  if (problem) {
    throw new ConfigError(`${configPath ? `${configPath}: ` : ''}"${uri}" is not an S3 URI: ${problem}`, {
      ...(configPath ? { location: { configPath } } : {}),
      hint: 'write it as s3://bucket/prefix, e.g. s3://udacity-dend/log_data',
    });
  }
  const slash = uri.indexOf('/', 5);
  return slash < 0 ? { bucket: uri.slice(5), key: '' } : { bucket: uri.slice(5, slash), key: uri.slice(slash + 1) };
}

/** `s3://bucket/key`. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}
