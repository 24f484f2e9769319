import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { throwIfAborted } from '@sparkify/core';
import type { ObjectInfo, ObjectStore, StoreCallOptions } from '@sparkify/redshift-json';
import { isS3NotFound, s3Error, type S3CallContext } from './s3-errors.js';
import type { S3Port } from './s3-port.js';

export interface S3ObjectStoreOptions {
  /** The S3 client (or anything with its `send` for ListObjectsV2, GetObject and HeadObject). */
  client: S3Port;
  bucket: string;
  /** The bucket's region, reported in storeInfo for a server-side COPY (`REGION`). */
  region?: string;
  /** The endpoint the client talks to, when it is not AWS (reported in storeInfo and errors). */
  endpoint?: string;
  /** Keys per ListObjectsV2 page (S3's MaxKeys); S3's own default, 1000, when absent. */
  pageSize?: number;
  /** Config path of the URI naming this bucket, for ConfigErrors. */
  configPath?: string;
}

/** Where a chunk-reading body comes from: the SDK's Node stream (or a web stream), async-iterable either way. */
type Body = AsyncIterable<Uint8Array> & { destroy?(): void };

/**
 * An S3 bucket as an ObjectStore for the JSON source: ListObjectsV2 with every page, keys in
 * S3's order, ETags and sizes as S3 reports them, object bodies streamed as they arrive.
 */
export class S3ObjectStore implements ObjectStore {
  readonly scheme = 's3';
  readonly bucket: string;
  private readonly client: S3Port;
  private readonly options: S3ObjectStoreOptions;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.options = options;
  }

  location(prefix: string): string {
    return this.uri(prefix);
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  storeInfo(): Record<string, string> {
    return {
      bucket: this.bucket,
      ...(this.options.region ? { region: this.options.region } : {}),
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    };
  }

  async *list(prefix: string, options: StoreCallOptions = {}): AsyncIterable<ObjectInfo> {
    const context = this.context('list the objects under', this.uri(prefix), options.signal);
    let token: string | undefined;
    do {
      throwIfAborted(options.signal);
      const command = new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
        ...(this.options.pageSize ? { MaxKeys: this.options.pageSize } : {}),
      });
      const page = await this.client.send(command, sendOptions(options.signal)).catch((error: unknown) => {
        throw s3Error(error, context);
      });
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, size: object.Size ?? 0, ...(object.ETag ? { etag: object.ETag } : {}) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async open(key: string, options: StoreCallOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    throwIfAborted(options.signal);
    const context = this.context('read', this.uri(key), options.signal);
    const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), sendOptions(options.signal)).catch((error: unknown) => {
      throw s3Error(error, context);
    });
    return streamBody(output.Body as Body | undefined, context);
  }

  /** The first bytes of an object through a ranged GET, to sniff gzip magic without reading it all. */
  async readHead(key: string, length: number, options: StoreCallOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal);
    const context = this.context('read', this.uri(key), options.signal);
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${Math.max(0, length - 1)}` });
    let output;
    try {
      output = await this.client.send(command, sendOptions(options.signal));
    } catch (error) {
      // An empty object has no byte 0: S3 answers 416 InvalidRange.
      if ((error as { name?: unknown }).name === 'InvalidRange') return new Uint8Array(0);
      throw s3Error(error, context);
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    // A server that ignores Range sends everything: stop once the head is there.
    for await (const chunk of streamBody(output.Body as Body | undefined, context)) {
      parts.push(chunk);
      size += chunk.byteLength;
      if (size >= length) break;
    }
    return Buffer.concat(parts).subarray(0, length);
  }

  /** An object's size and ETag, or undefined when there is no object with exactly this key. */
  async head(key: string, options: StoreCallOptions = {}): Promise<ObjectInfo | undefined> {
    throwIfAborted(options.signal);
    const context = this.context('check', this.uri(key), options.signal);
    try {
      const output = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), sendOptions(options.signal));
      return { key, size: output.ContentLength ?? 0, ...(output.ETag ? { etag: output.ETag } : {}) };
    } catch (error) {
      if (isS3NotFound(error) && !options.signal?.aborted) return undefined;
      throw s3Error(error, context);
    }
  }

  private context(action: string, uri: string, signal: AbortSignal | undefined): S3CallContext {
    const { endpoint, region, configPath } = this.options;
    return {
      action,
      uri,
      bucket: this.bucket,
      ...(endpoint ? { endpoint } : {}),
      ...(region ? { region } : {}),
      ...(configPath ? { configPath } : {}),
      ...(signal ? { signal } : {}),
    };
  }
}

function sendOptions(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}

/**
 * The body's chunks as they arrive. The run's signal is checked between chunks, and a body left
 * half-read (cancelled, failed, or enough of it read) is destroyed so its connection is freed.
 */
async function* streamBody(body: Body | undefined, context: S3CallContext): AsyncGenerator<Uint8Array> {
  if (!body) return;
  let finished = false;
  try {
    for await (const chunk of body) {
      throwIfAborted(context.signal);
      yield chunk;
    }
    finished = true;
  } catch (error) {
    throw s3Error(error, context);
  } finally {
    if (!finished) body.destroy?.();
  }
}
