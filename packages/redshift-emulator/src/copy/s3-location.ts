import type { ObjectStore } from '@sparkify/redshift-json';
import { StatementFailure } from '../sql/statement-failure.js';

/**
 * Where COPY finds a bucket's objects: a store per bucket name. The HTTP server resolves buckets
 * to sub-folders of its S3 folder; in-process users pass MemoryObjectStores.
 */
export type BucketResolver = (bucket: string) => ObjectStore | undefined;

/** A bucket map or a resolver, as the emulator's options accept it. */
export type BucketStores = BucketResolver | Readonly<Record<string, ObjectStore>>;

export function toBucketResolver(stores: BucketStores | undefined): BucketResolver {
  if (stores === undefined) return () => undefined;
  if (typeof stores === 'function') return stores;
  return (bucket) => (Object.hasOwn(stores, bucket) ? stores[bucket] : undefined);
}

export interface S3Location {
  bucket: string;
  key: string;
}

/** Splits `s3://bucket/key`; Redshift refuses anything else with an S3 error. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  if (!match) throw new StatementFailure(`Invalid S3 URI '${uri}': expected s3://bucket/key`, { code: '22023' });
  return { bucket: match[1]!, key: match[2] ?? '' };
}

/** The bucket's store, or Redshift's "bucket does not exist" error. */
export function storeFor(resolve: BucketResolver, location: S3Location): ObjectStore {
  const store = resolve(location.bucket);
  if (!store) {
    throw new StatementFailure(`S3ServiceException:The specified bucket does not exist,Status 404,Error NoSuchBucket,Bucket ${location.bucket}`, {
      code: 'XX000',
    });
  }
  return store;
}
