import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { compareKeys, type ObjectInfo, type ObjectStore } from '@sparkify/redshift-json';
import type { S3Port, S3SendOptions } from './s3-port.js';

/** What the in-memory S3 saw, for assertions (pages listed, ranged reads...). */
export interface MemoryS3Calls {
  list: { prefix: string; maxKeys?: number; continuation?: string }[];
  get: { key: string; range?: string }[];
  head: string[];
}

/**
 * An S3Port over ObjectStores held in this process, one per bucket: ListObjectsV2 with MaxKeys
 * and continuation tokens, GetObject (with `bytes=a-b` ranges) and HeadObject, answering errors
 * with the SDK's exception shapes (NoSuchBucket, NoSuchKey, InvalidRange, NotFound). A fake for
 * tests of the S3 source without a server.
 */
export class MemoryS3Port implements S3Port {
  readonly calls: MemoryS3Calls = { list: [], get: [], head: [] };

  constructor(private readonly buckets: Readonly<Record<string, ObjectStore>>) {}

  send(command: ListObjectsV2Command, options?: S3SendOptions): Promise<ListObjectsV2CommandOutput>;
  send(command: GetObjectCommand, options?: S3SendOptions): Promise<GetObjectCommandOutput>;
  send(command: HeadObjectCommand, options?: S3SendOptions): Promise<HeadObjectCommandOutput>;
  async send(command: ListObjectsV2Command | GetObjectCommand | HeadObjectCommand, options: S3SendOptions = {}): Promise<unknown> {
    if (options.abortSignal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    if (command instanceof ListObjectsV2Command) return this.list(command);
    if (command instanceof GetObjectCommand) return this.get(command);
    return this.head(command);
  }

  private async list(command: ListObjectsV2Command): Promise<ListObjectsV2CommandOutput> {
    const { Bucket, Prefix = '', MaxKeys = 1000, ContinuationToken } = command.input;
    this.calls.list.push({ prefix: Prefix, ...(command.input.MaxKeys ? { maxKeys: MaxKeys } : {}), ...(ContinuationToken ? { continuation: ContinuationToken } : {}) });
    const store = this.bucket(Bucket);
    const after = ContinuationToken ? Buffer.from(ContinuationToken, 'base64url').toString('utf8') : undefined;
    const page: ObjectInfo[] = [];
    let truncated = false;
    for await (const info of store.list(Prefix)) {
      if (after !== undefined && compareKeys(info.key, after) <= 0) continue;
      if (page.length === MaxKeys) {
        truncated = true;
        break;
      }
      page.push(info);
    }
    const last = page.at(-1)?.key;
    return {
      $metadata: { httpStatusCode: 200 },
      Contents: page.map((info) => ({ Key: info.key, Size: info.size, ...(info.etag ? { ETag: info.etag } : {}) })),
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated && last !== undefined ? { NextContinuationToken: Buffer.from(last, 'utf8').toString('base64url') } : {}),
    };
  }

  private async get(command: GetObjectCommand): Promise<GetObjectCommandOutput> {
    const { Bucket, Key = '', Range } = command.input;
    this.calls.get.push({ key: Key, ...(Range ? { range: Range } : {}) });
    const bytes = await this.bytes(Bucket, Key, 'NoSuchKey');
    let body = bytes;
    if (Range) {
      const match = /^bytes=(\d+)-(\d+)$/.exec(Range);
      const start = Number(match?.[1] ?? 0);
      if (start >= bytes.byteLength) throw serviceError('InvalidRange', 416, 'The requested range is not satisfiable');
      body = bytes.subarray(start, Number(match?.[2] ?? bytes.byteLength - 1) + 1);
    }
    return { $metadata: { httpStatusCode: Range ? 206 : 200 }, ContentLength: body.byteLength, Body: Readable.from([body]) } as unknown as GetObjectCommandOutput;
  }

  private async head(command: HeadObjectCommand): Promise<HeadObjectCommandOutput> {
    const { Bucket, Key = '' } = command.input;
    this.calls.head.push(Key);
    const info = await this.info(Bucket, Key);
    if (!info) throw serviceError('NotFound', 404, 'UnknownError');
    return { $metadata: { httpStatusCode: 200 }, ContentLength: info.size, ...(info.etag ? { ETag: info.etag } : {}) };
  }

  private bucket(name: string | undefined): ObjectStore {
    const store = name === undefined ? undefined : this.buckets[name];
    if (!store) throw serviceError('NoSuchBucket', 404, 'The specified bucket does not exist');
    return store;
  }

  private async info(bucket: string | undefined, key: string): Promise<ObjectInfo | undefined> {
    for await (const info of this.bucket(bucket).list(key)) if (info.key === key) return info;
    return undefined;
  }

  private async bytes(bucket: string | undefined, key: string, missing: string): Promise<Buffer> {
    const store = this.bucket(bucket);
    if (!(await this.info(bucket, key))) throw serviceError(missing, 404, 'The specified key does not exist.');
    const parts: Uint8Array[] = [];
    for await (const chunk of await store.open(key)) parts.push(chunk);
    return Buffer.concat(parts);
  }
}

function serviceError(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}
