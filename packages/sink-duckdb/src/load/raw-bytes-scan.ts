import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { throwIfAborted } from '@sparkify/core';

/** Bytes DuckDB's JSON reader skips between records as white space, where COPY sees text outside an object. */
const VERTICAL_TAB = 0x0b;
const FORM_FEED = 0x0c;

export interface RawFile {
  path: string;
  compression: 'gzip' | 'none';
}

/**
 * The first file (in the given order) whose decompressed bytes hold a vertical tab or a form
 * feed, or undefined. DuckDB's reader takes both for white space between records (C's isspace);
 * COPY, and the client path, reject the text as outside any object. Inside a record they are
 * errors for both (raw control characters), so any occurrence means the server path cannot be
 * sure. A memchr over bytes the page cache usually holds: cheap next to parsing them.
 */
export async function findVerticalWhitespace(files: readonly RawFile[], options: { signal?: AbortSignal; concurrency?: number } = {}): Promise<string | undefined> {
  const found: boolean[] = new Array(files.length).fill(false);
  let next = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop && next < files.length) {
      const index = next++;
      throwIfAborted(options.signal);
      if (await holdsVerticalWhitespace(files[index]!, options.signal)) {
        found[index] = true;
        stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, files.length) }, worker));
  const at = found.indexOf(true);
  return at < 0 ? undefined : files[at]!.path;
}

async function holdsVerticalWhitespace(file: RawFile, signal: AbortSignal | undefined): Promise<boolean> {
  const stored = createReadStream(file.path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  const bytes = file.compression === 'gzip' ? stored.pipe(createGunzip()) : stored;
  if (bytes !== stored) stored.on('error', (error) => bytes.destroy(error));
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      if (chunk.indexOf(VERTICAL_TAB) >= 0 || chunk.indexOf(FORM_FEED) >= 0) return true;
    }
    return false;
  } finally {
    stored.destroy();
    if (bytes !== stored) bytes.destroy();
  }
}
