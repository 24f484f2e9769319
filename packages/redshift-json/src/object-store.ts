/**
 * The narrow slice of an object store a JSON source needs: list keys under a prefix with S3
 * semantics, open an object as bytes, and name things by URI. A local folder, S3 and an
 * in-memory map all fit.
 */

export interface ObjectInfo {
  /** Key relative to the store root, `/`-separated (`log_data/2018/11/x.json`). */
  key: string;
  size: number;
  etag?: string;
  /** The object's first bytes (fewer if it is shorter), where ListOptions.headBytes asked and the store read them as it listed. */
  head?: Uint8Array;
}

export interface StoreCallOptions {
  signal?: AbortSignal;
}

export interface ListOptions extends StoreCallOptions {
  /**
   * Asks for each object's first `headBytes` bytes in ObjectInfo.head, to sniff compression. A
   * store that can read them as it lists (a local folder opens each file once, for its size and
   * its head) returns them; any other leaves `head` out, and `readHead` reads them.
   */
  headBytes?: number;
}

export interface OpenOptions extends StoreCallOptions {
  /** The object's size as listed, when known: a store may size its reads by it (a hint; the object may have changed). */
  size?: number;
}

export interface ObjectStore {
  /** URI scheme of `uri()` and `location()`: `file`, `s3`, `memory`... */
  readonly scheme: string;
  /** URI of a key prefix (`s3://bucket/log_data`, `file:///data/log_data`). */
  location(prefix: string): string;
  /**
   * Every object whose key *starts with* `prefix` (so `log_data` also matches `log_data_old/x`
   * and `log_data.bak`), in every "folder" below, sorted by key in UTF-8 byte order as S3's
   * ListObjectsV2 returns them. Streams: a large listing is not held in memory by the store.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** The object's bytes, as stored (possibly gzip). Fails with InputDataError when it is missing. */
  open(key: string, options?: OpenOptions): Promise<AsyncIterable<Uint8Array>>;
  /**
   * The first `length` bytes (fewer if the object is shorter), to sniff compression. Optional:
   * without it, compression is known from the extension until the object is read.
   */
  readHead?(key: string, length: number, options?: StoreCallOptions): Promise<Uint8Array>;
  /**
   * Whether each chunk `open` yields is a whole buffer of its own, which the store neither keeps
   * nor reuses once yielded: a reader may then move it to a worker thread (transfer it) instead
   * of copying it. Absent: false, and readers copy.
   */
  readonly transferableChunks?: boolean;
  /** Full URI of a key. */
  uri(key: string): string;
  /** Store-specific facts for SourceDescription.store (bucket, region, root...). */
  storeInfo(): Record<string, string>;
}

/** Compares keys in UTF-8 byte order (S3's listing order), not UTF-16 code-unit order. */
export function compareKeys(a: string, b: string): number {
  // Code-unit order equals code-point (and so UTF-8 byte) order except for surrogates vs U+E000-U+FFFF.
  if (!hasHighChars(a) && !hasHighChars(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function hasHighChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0xd800) return true;
  return false;
}

/** Objects found under `prefix` that another name also starts with (`log_data_old/…` for `log_data`). */
export interface PrefixOvermatch {
  /** The sibling name the prefix also matched: `log_data_old/`, `log_data.bak`. */
  name: string;
  objects: number;
}

/**
 * When a prefix names a folder or an object exactly (`log_data` with `log_data/…` present) but
 * also matches other names (`log_data_old/…`, `log_data.bak`), COPY loads those too: list them.
 * A prefix that matches only by name start (`custdata` → `custdata1.txt`, `custdata2.txt`) is
 * taken as intended and yields nothing.
 */
export function findPrefixOvermatches(prefix: string, keys: Iterable<string>): PrefixOvermatch[] {
  if (prefix === '' || prefix.endsWith('/')) return [];
  let exact = false;
  const others = new Map<string, number>();
  for (const key of keys) {
    const rest = key.slice(prefix.length);
    if (rest === '' || rest.startsWith('/')) {
      exact = true;
      continue;
    }
    const slash = rest.indexOf('/');
    const lastSegment = prefix.slice(prefix.lastIndexOf('/') + 1);
    const name = lastSegment + (slash < 0 ? rest : rest.slice(0, slash + 1));
    others.set(name, (others.get(name) ?? 0) + 1);
  }
  if (!exact) return [];
  return [...others].map(([name, objects]) => ({ name, objects }));
}
