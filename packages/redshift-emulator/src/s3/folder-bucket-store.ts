import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputDataError, throwIfAborted } from '@sparkify/core';
import { compareKeys, type ObjectInfo, type ObjectStore, type StoreCallOptions } from '@sparkify/redshift-json';

/** An object as the S3 API describes it. */
export interface StoredObject {
  key: string;
  size: number;
  /** Quoted MD5 of the content, as S3 gives for a single-part upload. */
  etag: string;
  lastModified: Date;
}

/** S3 bucket names (bucketnamingrules), so a name is always one safe folder. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * One S3 bucket kept as a local folder: key `a/b/c.json` is the file `<folder>/a/b/c.json`.
 * Serves COPY (as an ObjectStore, with S3's prefix semantics) and the emulator's S3 API.
 */
export class FolderBucketStore implements ObjectStore {
  readonly scheme = 's3';
  private readonly etags = new Map<string, { mtimeMs: number; size: number; etag: string }>();

  constructor(
    readonly bucket: string,
    readonly folder: string,
  ) {}

  location(prefix: string): string {
    return `s3://${this.bucket}/${prefix}`;
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  storeInfo(): Record<string, string> {
    return { bucket: this.bucket, folder: this.folder };
  }

  /** Every key starting with `prefix`, in S3's (UTF-8 byte) order. */
  async *list(prefix: string, options: StoreCallOptions = {}): AsyncIterable<ObjectInfo> {
    for (const entry of await this.listEntries(prefix, options.signal)) {
      yield { key: entry.key, size: entry.size };
    }
  }

  /** Like `list`, with ETags and modification times, for ListObjectsV2. */
  async listObjects(prefix: string, signal?: AbortSignal): Promise<StoredObject[]> {
    const entries = await this.listEntries(prefix, signal);
    const objects: StoredObject[] = [];
    for (const entry of entries) {
      objects.push({ key: entry.key, size: entry.size, lastModified: entry.lastModified, etag: await this.etagOf(entry.key, entry.file, entry.mtimeMs, entry.size) });
    }
    return objects;
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const file = this.fileOf(key);
    if (!file) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { key, size: info.size, lastModified: info.mtime, etag: await this.etagOf(key, file, info.mtimeMs, info.size) };
  }

  async open(key: string, options: StoreCallOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    throwIfAborted(options.signal);
    const file = this.fileOf(key);
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) throw new InputDataError(`no object ${this.uri(key)}`, { location: { file: this.uri(key) } });
    return createReadStream(file, { highWaterMark: 256 * 1024, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Bytes `start`..`end` inclusive, as a stream (GetObject with Range). */
  openRange(key: string, start: number, end: number): AsyncIterable<Uint8Array> {
    const file = this.fileOf(key);
    if (!file) throw new InputDataError(`no object ${this.uri(key)}`);
    return createReadStream(file, { start, end, highWaterMark: 256 * 1024 });
  }

  async readHead(key: string, length: number): Promise<Uint8Array> {
    const file = this.fileOf(key);
    if (!file) throw new InputDataError(`no object ${this.uri(key)}`);
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Writes an object whole (write to a temporary file, then rename) and returns its ETag. */
  async put(key: string, content: Uint8Array): Promise<string> {
    const file = this.fileOf(key);
    if (!file) throw new InputDataError(`key ${JSON.stringify(key)} cannot be stored in a folder (empty, absolute, or with . or .. segments)`);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Date.now()}.upload`;
    await writeFile(temporary, content);
    await rename(temporary, file);
    const info = await stat(file);
    const etag = `"${createHash('md5').update(content).digest('hex')}"`;
    this.etags.set(key, { mtimeMs: info.mtimeMs, size: info.size, etag });
    return etag;
  }

  async delete(key: string): Promise<void> {
    const file = this.fileOf(key);
    if (file) await rm(file, { force: true });
    this.etags.delete(key);
  }

  /** The file of a key, or undefined for keys a folder cannot hold. */
  fileOf(key: string): string | undefined {
    if (key === '' || key.startsWith('/') || key.includes('\\') || key.includes('\0')) return undefined;
    const segments = key.split('/');
    if (segments.some((segment) => segment === '.' || segment === '..' || segment === '')) return undefined;
    return path.join(this.folder, ...segments);
  }

  private async listEntries(prefix: string, signal?: AbortSignal) {
    const found: { key: string; file: string; size: number; mtimeMs: number; lastModified: Date }[] = [];
    const walk = async (folder: string, keyPrefix: string): Promise<void> => {
      throwIfAborted(signal);
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const key = keyPrefix + entry.name;
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          // Descend only where keys can still start with the prefix.
          const asFolder = `${key}/`;
          if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) await walk(full, asFolder);
        } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.endsWith('.upload')) {
          const info = await stat(full);
          found.push({ key, file: full, size: info.size, mtimeMs: info.mtimeMs, lastModified: info.mtime });
        }
      }
    };
    await walk(this.folder, '');
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  private async etagOf(key: string, file: string, mtimeMs: number, size: number): Promise<string> {
    const cached = this.etags.get(key);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.etag;
    const hash = createHash('md5');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const etag = `"${hash.digest('hex')}"`;
    this.etags.set(key, { mtimeMs, size, etag });
    return etag;
  }
}

/** Buckets as sub-folders of one folder (`<s3Dir>/<bucket>/<key>`). */
export class FolderBuckets {
  private readonly stores = new Map<string, FolderBucketStore>();

  constructor(readonly root: string) {}

  /** The bucket's store when its folder exists. */
  async get(bucket: string): Promise<FolderBucketStore | undefined> {
    if (!BUCKET_NAME.test(bucket)) return undefined;
    const folder = path.join(this.root, bucket);
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) return undefined;
    return this.store(bucket);
  }

  /** The store of a bucket name, whether or not its folder exists yet (COPY resolves lazily). */
  store(bucket: string): FolderBucketStore {
    let store = this.stores.get(bucket);
    if (!store) {
      store = new FolderBucketStore(bucket, path.join(this.root, bucket));
      this.stores.set(bucket, store);
    }
    return store;
  }

  async create(bucket: string): Promise<FolderBucketStore> {
    await mkdir(path.join(this.root, bucket), { recursive: true });
    return this.store(bucket);
  }

  async names(): Promise<{ name: string; created: Date }[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    const names: { name: string; created: Date }[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || !BUCKET_NAME.test(entry.name)) continue;
      const info = await stat(path.join(this.root, entry.name));
      names.push({ name: entry.name, created: info.birthtime });
    }
    return names.sort((a, b) => compareKeys(a.name, b.name));
  }

  /** A BucketResolver for COPY: bucket names with a folder resolve to their store. */
  resolver(): (bucket: string) => FolderBucketStore | undefined {
    return (bucket) => (BUCKET_NAME.test(bucket) && existsSync(path.join(this.root, bucket)) ? this.store(bucket) : undefined);
  }
}
