import type { ObjectInfo, ObjectStore, StoreCallOptions } from '@sparkify/redshift-json';
import { z } from 'zod';
import { StatementFailure } from '../sql/statement-failure.js';
import { parseS3Uri, storeFor, type BucketResolver } from './s3-location.js';

const manifestSchema = z.object({
  entries: z.array(
    z.object({
      url: z.string(),
      mandatory: z.boolean().optional(),
      meta: z.object({ content_length: z.number().optional() }).passthrough().optional(),
    }),
  ),
});

/** The objects of one bucket that a manifest names, as a store listing exactly them. */
export interface ManifestGroup {
  bucket: string;
  store: ObjectStore;
}

/**
 * Reads a COPY manifest (`{"entries":[{"url":"s3://…","mandatory":true}]}`, see
 * loading-data-files-using-manifest) and returns, per bucket, a store that lists exactly the
 * named objects that exist. A missing mandatory object fails the COPY; so does a manifest that
 * names no existing object.
 */
export async function readManifest(resolve: BucketResolver, uri: string, options: StoreCallOptions): Promise<ManifestGroup[]> {
  const location = parseS3Uri(uri);
  const store = storeFor(resolve, location);
  const text = await readText(store, location.key, options, uri);
  let entries;
  try {
    entries = manifestSchema.parse(JSON.parse(text)).entries;
  } catch (error) {
    throw new StatementFailure(`Manifest file ${uri} is not valid: expected {"entries": [{"url": "s3://bucket/key", "mandatory": true}]}`, {
      code: 'XX000',
      cause: error,
    });
  }
  const groups = new Map<string, { store: ObjectStore; found: ObjectInfo[] }>();
  for (const entry of entries) {
    const target = parseS3Uri(entry.url);
    const bucketStore = storeFor(resolve, target);
    const info = await findExact(bucketStore, target.key, options);
    if (!info) {
      if (entry.mandatory) {
        throw new StatementFailure(`Manifest file ${uri}: mandatory file ${entry.url} does not exist`, { code: 'XX000' });
      }
      continue;
    }
    const group = groups.get(target.bucket) ?? { store: bucketStore, found: [] };
    group.found.push(info);
    groups.set(target.bucket, group);
  }
  if (groups.size === 0) throw new StatementFailure(`Manifest file ${uri} names no existing file: nothing to load`, { code: 'XX000' });
  return [...groups].map(([bucket, group]) => ({ bucket, store: new ListedKeysStore(group.store, group.found) }));
}

async function findExact(store: ObjectStore, key: string, options: StoreCallOptions): Promise<ObjectInfo | undefined> {
  for await (const info of store.list(key, options)) {
    if (info.key === key) return info;
  }
  return undefined;
}

async function readText(store: ObjectStore, key: string, options: StoreCallOptions, uri: string): Promise<string> {
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of await store.open(key, options)) parts.push(chunk);
  } catch (error) {
    throw new StatementFailure(`Manifest file ${uri} could not be read: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'XX000',
      cause: error,
    });
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A view of a store that lists only the given objects (a manifest's entries). */
class ListedKeysStore implements ObjectStore {
  readonly scheme: string;
  readHead?: ObjectStore['readHead'];

  constructor(
    private readonly base: ObjectStore,
    private readonly objects: readonly ObjectInfo[],
  ) {
    this.scheme = base.scheme;
    if (base.readHead) this.readHead = base.readHead.bind(base);
  }

  location(prefix: string): string {
    return this.base.location(prefix);
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const sorted = [...this.objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const info of sorted) if (info.key.startsWith(prefix)) yield info;
  }

  open(key: string, options?: StoreCallOptions): Promise<AsyncIterable<Uint8Array>> {
    return this.base.open(key, options);
  }

  uri(key: string): string {
    return this.base.uri(key);
  }

  storeInfo(): Record<string, string> {
    return this.base.storeInfo();
  }
}
