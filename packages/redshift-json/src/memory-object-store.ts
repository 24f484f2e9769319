import { createHash } from 'node:crypto';
import { InputDataError, throwIfAborted } from '@sparkify/core';
import { compareKeys, type ListOptions, type ObjectInfo, type ObjectStore, type StoreCallOptions } from './object-store.js';

export interface MemoryObjectStoreOptions {
  /** URI scheme, `memory` by default; `s3` makes it stand in for a bucket. */
  scheme?: string;
  /** The bucket (URI authority), `test` by default. */
  bucket?: string;
  /** Bytes per chunk when an object is read, small in tests to exercise chunk boundaries. Default 64 KiB. */
  chunkSize?: number;
}

/** An ObjectStore held in memory: a fake for tests and the emulator's in-process S3. */
export class MemoryObjectStore implements ObjectStore {
  readonly scheme: string;
  readonly bucket: string;
  private readonly chunkSize: number;
  private readonly objects = new Map<string, { bytes: Uint8Array; etag: string }>();

  constructor(objects: Record<string, Uint8Array | string> = {}, options: MemoryObjectStoreOptions = {}) {
    this.scheme = options.scheme ?? 'memory';
    this.bucket = options.bucket ?? 'test';
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    for (const [key, bytes] of Object.entries(objects)) this.put(key, bytes);
  }

  put(key: string, content: Uint8Array | string): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.objects.set(key, { bytes, etag: `"${createHash('md5').update(bytes).digest('hex')}"` });
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  keys(): string[] {
    return [...this.objects.keys()].sort(compareKeys);
  }

  location(prefix: string): string {
    return `${this.scheme}://${this.bucket}/${prefix}`;
  }

  uri(key: string): string {
    return `${this.scheme}://${this.bucket}/${key}`;
  }

  storeInfo(): Record<string, string> {
    return { bucket: this.bucket };
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const { headBytes } = options;
    for (const key of this.keys()) {
      throwIfAborted(options.signal);
      if (!key.startsWith(prefix)) continue;
      const object = this.objects.get(key);
      if (!object) continue;
      const info: ObjectInfo = { key, size: object.bytes.byteLength, etag: object.etag };
      yield headBytes === undefined ? info : { ...info, head: object.bytes.subarray(0, headBytes) };
    }
  }

  async open(key: string, options: StoreCallOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    throwIfAborted(options.signal);
    const bytes = this.get(key);
    const chunkSize = this.chunkSize;
    const signal = options.signal;
    return (async function* chunks() {
      for (let at = 0; at < bytes.byteLength; at += chunkSize) {
        throwIfAborted(signal);
        yield bytes.subarray(at, at + chunkSize);
      }
    })();
  }

  async readHead(key: string, length: number, options: StoreCallOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal);
    return this.get(key).subarray(0, length);
  }

  private get(key: string): Uint8Array {
    const object = this.objects.get(key);
    if (!object) throw new InputDataError(`no object ${this.uri(key)}`, { location: { file: this.uri(key) } });
    return object.bytes;
  }
}
