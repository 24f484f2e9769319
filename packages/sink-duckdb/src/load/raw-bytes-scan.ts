import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { throwIfAborted } from '@sparkify/core';

/** Bytes DuckDB's JSON reader skips between records as white space, where COPY sees text outside an object. */
const VERTICAL_TAB = 0x0b;
const FORM_FEED = 0x0c;
const LINE_FEED = 0x0a;

export interface RawFile {
  path: string;
  compression: 'gzip' | 'none';
}

export interface RawBytesScan {
  /** The first file (in the given order) holding a vertical tab or a form feed. */
  verticalWhitespace?: string;
  /** The longest line of any file, in bytes (line feed excluded). */
  longestLine: number;
}

/**
 * Scans the files' (decompressed) bytes on Node's side of the process, while DuckDB works on
 * its own threads:
 * - for a vertical tab or a form feed: DuckDB's reader takes both for white space between
 *   records (C's isspace), where COPY, and the client path, reject the text as outside any
 *   object (inside a record both reject them: raw control characters);
 * - for the longest line: a record read one a line is no longer than its line, so this bounds
 *   the record size COPY limits, without DuckDB framing every record a second time.
 * memchr over bytes the page cache usually holds: cheap next to parsing them.
 */
export async function scanRawBytes(files: readonly RawFile[], options: { signal?: AbortSignal; concurrency?: number } = {}): Promise<RawBytesScan> {
  const vertical: boolean[] = new Array(files.length).fill(false);
  let longestLine = 0;
  let next = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop && next < files.length) {
      const index = next++;
      throwIfAborted(options.signal);
      const scanned = await scanFile(files[index]!, options.signal);
      longestLine = Math.max(longestLine, scanned.longestLine);
      if (scanned.vertical) {
        vertical[index] = true;
        stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, files.length) }, worker));
  const at = vertical.indexOf(true);
  return at < 0 ? { longestLine } : { verticalWhitespace: files[at]!.path, longestLine };
}

async function scanFile(file: RawFile, signal: AbortSignal | undefined): Promise<{ vertical: boolean; longestLine: number }> {
  const stored = createReadStream(file.path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  const bytes = file.compression === 'gzip' ? stored.pipe(createGunzip()) : stored;
  if (bytes !== stored) stored.on('error', (error) => bytes.destroy(error));
  let longestLine = 0;
  let line = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      if (chunk.indexOf(VERTICAL_TAB) >= 0 || chunk.indexOf(FORM_FEED) >= 0) return { vertical: true, longestLine };
      let from = 0;
      for (let end = chunk.indexOf(LINE_FEED); end >= 0; end = chunk.indexOf(LINE_FEED, from)) {
        longestLine = Math.max(longestLine, line + end - from);
        line = 0;
        from = end + 1;
      }
      line += chunk.length - from;
    }
    return { vertical: false, longestLine: Math.max(longestLine, line) };
  } finally {
    stored.destroy();
    if (bytes !== stored) bytes.destroy();
  }
}
