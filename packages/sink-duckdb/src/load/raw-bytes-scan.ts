import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { EventLoopSlices, throwIfAborted } from '@sparkify/core';

/** Bytes DuckDB's JSON reader skips between records as white space, where COPY sees text outside an object. */
const VERTICAL_TAB = 0x0b;
const FORM_FEED = 0x0c;
const LINE_FEED = 0x0a;

export interface RawFile {
  path: string;
  compression: 'gzip' | 'none';
}

export interface RawBytesScan {
  /** The first compressed file (in the given order) holding a vertical tab or a form feed. */
  verticalWhitespace?: string;
  /** The first file (in the given order) with a line longer than `lineLimit` bytes (line feed excluded). */
  longLine?: string;
}

export interface RawBytesScanOptions {
  /** The longest line allowed, in bytes. */
  lineLimit: number;
  signal?: AbortSignal;
  concurrency?: number;
  /** Bytes read at a time from an uncompressed file (tests make it small). */
  blockBytes?: number;
}

/**
 * Scans files' bytes on Node's side of the process, while DuckDB works on its own threads:
 * - compressed files, decompressed, for a vertical tab or a form feed: DuckDB's reader takes
 *   both for white space between records (C's isspace), where COPY, and the client path, reject
 *   the text as outside any object (inside a record both reject them: raw control characters).
 *   Uncompressed files are not looked at for them: DuckDB's read_text finds them (textCheck);
 * - every file for a line longer than `lineLimit`: a record read one a line is no longer than
 *   its line, so this bounds the record size COPY limits, without DuckDB framing every record a
 *   second time. An uncompressed file is not read whole: only the bytes before each point a
 *   line would have to end by (windowLines), with synchronous reads: a few of 64 KiB per file,
 *   which through libuv's thread pool waited a turn of a busy event loop each.
 */
export async function scanRawBytes(files: readonly RawFile[], options: RawBytesScanOptions): Promise<RawBytesScan> {
  const vertical: boolean[] = new Array(files.length).fill(false);
  const long: boolean[] = new Array(files.length).fill(false);
  let next = 0;
  let stop = false;
  const slices = new EventLoopSlices();
  const worker = async (): Promise<void> => {
    while (!stop && next < files.length) {
      const index = next++;
      throwIfAborted(options.signal);
      const file = files[index]!;
      const scanned = file.compression === 'gzip' ? await streamFile(file.path, options) : { vertical: false, longLine: windowLines(file.path, options) };
      vertical[index] = scanned.vertical;
      long[index] = scanned.longLine;
      // Either finding declines the load: the rest need not be read.
      if (scanned.vertical || scanned.longLine) stop = true;
      await slices.pause();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, files.length) }, worker));
  const first = (found: boolean[]) => {
    const at = found.indexOf(true);
    return at < 0 ? undefined : files[at]!.path;
  };
  const verticalWhitespace = first(vertical);
  const longLine = first(long);
  return { ...(verticalWhitespace === undefined ? {} : { verticalWhitespace }), ...(longLine === undefined ? {} : { longLine }) };
}

/**
 * Whether an uncompressed file has a line longer than the limit. A line starting at `start` is
 * short enough when a line feed lies within the `limit` bytes from it; the last such line feed
 * (found by reading backwards from the window's end, usually one block) starts the next line to
 * test, and every line between is shorter still. So a file of short lines costs one block read
 * per `limit` bytes, not a read of every byte.
 */
function windowLines(path: string, options: RawBytesScanOptions): boolean {
  const { lineLimit: limit, signal } = options;
  const blockBytes = options.blockBytes ?? 64 * 1024;
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const block = Buffer.allocUnsafe(blockBytes);
    let start = 0;
    // The last line (no line feed after it) is `size - start` bytes.
    while (size - start > limit) {
      throwIfAborted(signal);
      const feed = lastLineFeed(fd, block, start, start + limit);
      if (feed < 0) return true;
      start = feed + 1;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** The position of the last line feed in bytes [from, to] of the file, or -1. */
function lastLineFeed(fd: number, block: Buffer, from: number, to: number): number {
  let end = to + 1;
  while (end > from) {
    const begin = Math.max(from, end - block.length);
    const bytesRead = readSync(fd, block, 0, end - begin, begin);
    const at = block.subarray(0, bytesRead).lastIndexOf(LINE_FEED);
    if (at >= 0) return begin + at;
    end = begin;
  }
  return -1;
}

/**
 * A compressed file's decompressed bytes: vertical white space, and lines longer than the
 * limit. A chunk shorter than the limit cannot hold a long line between two of its line feeds,
 * so only its first and last line feeds are looked up; a longer chunk is measured line by line.
 */
async function streamFile(path: string, options: RawBytesScanOptions): Promise<{ vertical: boolean; longLine: boolean }> {
  const { lineLimit: limit, signal } = options;
  const stored = createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  const bytes = stored.pipe(createGunzip());
  stored.on('error', (error) => bytes.destroy(error));
  let longLine = false;
  let line = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      if (chunk.indexOf(VERTICAL_TAB) >= 0 || chunk.indexOf(FORM_FEED) >= 0) return { vertical: true, longLine };
      let feed = chunk.indexOf(LINE_FEED);
      if (feed < 0) {
        line += chunk.length;
      } else {
        longLine ||= line + feed > limit;
        const last = chunk.lastIndexOf(LINE_FEED);
        if (chunk.length > limit) {
          for (let from = feed + 1; feed < last; from = feed + 1) {
            feed = chunk.indexOf(LINE_FEED, from);
            longLine ||= feed - from > limit;
          }
        }
        line = chunk.length - last - 1;
      }
      longLine ||= line > limit;
      // Found: the load declines, the rest need not be decompressed.
      if (longLine) break;
    }
    return { vertical: false, longLine };
  } finally {
    stored.destroy();
    bytes.destroy();
  }
}
