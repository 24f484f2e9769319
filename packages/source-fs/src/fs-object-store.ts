import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { EventLoopSlices, fileUrlOf, InputDataError, throwIfAborted } from '@sparkify/core';
import { compareKeys, type ListOptions, type ObjectInfo, type ObjectStore, type OpenOptions, type StoreCallOptions } from '@sparkify/redshift-json';

/**
 * A local folder seen as an object store: keys are POSIX paths relative to the root, and
 * `list(prefix)` has S3 semantics (every key that starts with the prefix, sorted by key) while
 * walking only the directories that can match. Hidden files are objects like any other, as
 * they would be in S3.
 */
export interface FsObjectStoreOptions {
  /** The config path that named this folder (`resources.events.with.path`), for error locations. */
  configPath?: string;
}

export class FsObjectStore implements ObjectStore {
  readonly scheme = 'file';
  /**
   * Node's file read stream allocates each chunk's buffer for that read and keeps no hold of it
   * once pushed. Moved rather than copied to a parse worker, the bytes cost the main thread no
   * copy of its own (450 MB for 1M events) and no garbage to collect.
   */
  readonly transferableChunks = true;
  readonly root: string;
  private readonly configPath: string | undefined;

  constructor(root: string, options: FsObjectStoreOptions = {}) {
    this.root = path.resolve(root);
    this.configPath = options.configPath;
  }

  location(prefix: string): string {
    return this.uriOfPath(this.pathOf(prefix), prefix.endsWith('/') || prefix === '');
  }

  uri(key: string): string {
    return this.uriOfPath(this.pathOf(key), false);
  }

  storeInfo(): Record<string, string> {
    return { root: this.root };
  }

  /** The local path of a key. */
  pathOf(key: string): string {
    // Most keys are plain (no empty, "." or ".." segment): then joining is concatenating.
    if (PLAIN_KEY.test(key)) return childPath(this.root, key);
    return path.join(this.root, ...key.split('/').filter((part) => part !== ''));
  }

  /** With `headBytes`, each file is opened once, for its size and its head (instead of a stat, then an open for the head). */
  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const slash = prefix.lastIndexOf('/');
    const folderKey = slash < 0 ? '' : prefix.slice(0, slash + 1);
    const namePrefix = prefix.slice(slash + 1);
    await this.requireFolder(this.root, this.root);
    const folder = this.pathOf(folderKey);
    if (folderKey !== '') await this.requireFolder(folder, folder);
    const walk: Walk = { signal: options.signal, headBytes: options.headBytes, visited: new Set(), slices: new EventLoopSlices() };
    yield* this.walk({ path: folder, real: realpathSync(folder) }, folderKey, namePrefix, walk);
  }

  async open(key: string, options: OpenOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    throwIfAborted(options.signal);
    const file = this.pathOf(key);
    const handle = await open(file, 'r').catch((error: unknown) => {
      throw new InputDataError(`cannot open ${file}: ${(error as Error).message}`, { location: this.at(file), cause: error });
    });
    return createReadStream('', { fd: handle, highWaterMark: readBytes(options.size), ...(options.signal ? { signal: options.signal } : {}) });
  }

  /**
   * Synchronous on purpose: a few bytes of a local file, read at the source's description for
   * each of thousands of small files, cost microseconds each in a system call and far more in a
   * round trip through libuv's thread pool.
   */
  async readHead(key: string, length: number, options: StoreCallOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal);
    const fd = openSync(this.pathOf(key), 'r');
    try {
      return headOf(fd, length);
    } finally {
      closeSync(fd);
    }
  }

  private async requireFolder(folder: string, shown: string): Promise<void> {
    const info = await stat(folder).catch(() => undefined);
    if (info?.isDirectory()) return;
    throw new InputDataError(`${info ? 'not a folder' : 'no such folder'}: ${shown}`, {
      location: this.at(shown),
      hint: 'Check the path; relative paths are resolved against the pipeline file.',
    });
  }

  /**
   * Yields the files of `folder` (key prefix `folderKey`) whose names start with `namePrefix`,
   * recursing into matching folders, in global key order: siblings sort as `name/` for folders,
   * so `a.b` < `a/…` < `a0`, as the keys themselves do.
   *
   * Each folder is read with synchronous calls (listing 10,000 small files through libuv's
   * thread pool took 0.8 s, most of it in round trips), the event loop given a turn between
   * slices of them.
   */
  private async *walk(folder: Folder, folderKey: string, namePrefix: string, walk: Walk): AsyncGenerator<ObjectInfo> {
    throwIfAborted(walk.signal);
    await walk.slices.pause();
    // A symbolic link back up the tree would make the walk endless: enter each real folder once.
    if (walk.visited.has(folder.real)) return;
    walk.visited.add(folder.real);
    const entries: { name: string; sortKey: string; folder?: Folder; file?: ListedFile }[] = [];
    for (const entry of readdirSync(folder.path, { withFileTypes: true })) {
      if (!entry.name.startsWith(namePrefix)) continue;
      const kind = kindOf(entry, childPath(folder.path, entry.name), folder.real, walk.headBytes);
      if (kind === undefined) continue;
      if ('real' in kind) entries.push({ name: entry.name, sortKey: `${entry.name}/`, folder: kind });
      else entries.push({ name: entry.name, sortKey: entry.name, file: kind });
    }
    entries.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const entry of entries) {
      const key = folderKey + entry.name;
      if (entry.folder) {
        yield* this.walk(entry.folder, `${key}/`, '', walk);
        continue;
      }
      const { info, head } = entry.file!;
      yield { key, size: info.size, etag: `"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`, ...(head ? { head } : {}) };
    }
  }

  private at(file: string): { file: string; configPath?: string } {
    return this.configPath === undefined ? { file } : { file, configPath: this.configPath };
  }

  private uriOfPath(file: string, folder: boolean): string {
    const href = fileUrlOf(file);
    return folder && !href.endsWith('/') ? `${href}/` : href;
  }
}

interface Walk {
  signal: AbortSignal | undefined;
  headBytes: number | undefined;
  /** Real paths of the folders entered. */
  visited: Set<string>;
  slices: EventLoopSlices;
}

/** A folder to walk: its path as reached, and its real path (symbolic links resolved). */
interface Folder {
  path: string;
  real: string;
}

interface ListedFile {
  info: Stats;
  head?: Buffer;
}

/**
 * A folder, a file (with its stat, and its head when asked for), or undefined for anything else
 * (sockets, broken links, removed while listing). A folder that is no link lies in its parent's
 * real path: only a link costs a realpath.
 */
function kindOf(entry: Dirent, full: string, parentReal: string, headBytes: number | undefined): Folder | ListedFile | undefined {
  if (entry.isDirectory()) return { path: full, real: childPath(parentReal, entry.name) };
  if (!entry.isFile() && !entry.isSymbolicLink()) return undefined;
  const opened = headBytes === undefined ? undefined : openWithHead(full, headBytes);
  const info = opened?.info ?? statSync(full, { throwIfNoEntry: false });
  if (info?.isDirectory()) return { path: full, real: realpathSync(full) };
  if (!info?.isFile()) return undefined;
  return opened ?? { info };
}

/**
 * One open for a file's stat and its first bytes; undefined where it cannot be opened (a stat by
 * path then decides, and reading it later fails with its own error). Non-blocking, so that a
 * link to a named pipe is not waited on.
 */
function openWithHead(full: string, headBytes: number): ListedFile | undefined {
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    return info.isFile() ? { info, head: headOf(fd, headBytes) } : { info };
  } finally {
    closeSync(fd);
  }
}

/** The first `length` bytes of an open file (fewer if it is shorter). */
function headOf(fd: number, length: number): Buffer {
  const head = Buffer.alloc(length);
  return head.subarray(0, readSync(fd, head, 0, length, 0));
}

const POSIX = path.sep === '/';

/** A relative key of non-empty segments, none of them "." or "..". */
const PLAIN_KEY = /^(?:(?!\.\.?\/)[^/]+\/)*(?!\.\.?$)[^/]+$/;

/**
 * path.join(folder, name) for a normalized folder and a name path.join would not change (a
 * directory entry's, or a plain key): on POSIX a concatenation, where path.join normalizes the
 * whole path again (once per listed file, 10% of a listing's time).
 */
function childPath(folder: string, name: string): string {
  if (!POSIX) return path.join(folder, name);
  return folder.endsWith('/') ? `${folder}${name}` : `${folder}/${name}`;
}

/**
 * Bytes per read: 256 KiB, or a file's listed size when smaller. Each read allocates a buffer of
 * this size, and a file takes at least two reads (the last finds its end): 10,000 song files of
 * 250 bytes allocated 20,000 buffers of 256 KiB, reading 15-20% slower than with buffers of their size.
 */
function readBytes(size: number | undefined): number {
  const most = 256 * 1024;
  // One byte more than listed: the read that finds the end fits in the same buffer size.
  return size === undefined ? most : Math.min(most, Math.max(1024, size + 1));
}
