import { InputDataError, throwIfAborted } from '@sparkify/core';
import { hasGzipMagic } from './decompress.js';
import { MAX_JSONPATHS_FILE_BYTES, parseJsonPathsFile, type JsonPathsResolution } from './jsonpaths.js';
import type { ObjectStore, StoreCallOptions } from './object-store.js';

/** Reads and parses a JSONPaths file from a store (a single object key, never a prefix). */
export async function loadJsonPaths(store: ObjectStore, key: string, options: StoreCallOptions = {}): Promise<JsonPathsResolution> {
  const uri = store.uri(key);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of await store.open(key, options)) {
    throwIfAborted(options.signal);
    size += chunk.byteLength;
    if (size > MAX_JSONPATHS_FILE_BYTES) {
      throw new InputDataError(`JSONPaths file ${uri} is larger than ${MAX_JSONPATHS_FILE_BYTES} bytes: is it really a JSONPaths file?`, { location: { file: uri } });
    }
    parts.push(chunk);
  }
  const bytes = Buffer.concat(parts);
  if (hasGzipMagic(bytes)) {
    throw new InputDataError(`JSONPaths file ${uri} is gzip-compressed: COPY reads JSONPaths files as plain UTF-8 text`, { location: { file: uri } });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InputDataError(`JSONPaths file ${uri} is not valid UTF-8`, { location: { file: uri }, cause: error });
  }
  return parseJsonPathsFile(text, uri);
}
