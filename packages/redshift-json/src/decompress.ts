import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InputDataError } from '@sparkify/core';

/** Compression a key's name announces. */
export function compressionFromKey(key: string): 'gzip' | 'none' {
  return key.toLowerCase().endsWith('.gz') ? 'gzip' : 'none';
}

/** How many bytes the gzip magic number takes: the head that sniffs compression. */
export const GZIP_MAGIC_BYTES = 2;

/** Whether bytes start with the gzip magic number 1f 8b. */
export function hasGzipMagic(head: Uint8Array): boolean {
  return head.length >= GZIP_MAGIC_BYTES && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * How to treat an object's bytes: `gzip` gunzips (a non-gzip object fails to decompress), `none`
 * passes them as stored (as COPY without GZIP does: gzip bytes then read as garbage), `detect`
 * gunzips only when the bytes start with the gzip magic number.
 */
export type DecompressMode = 'gzip' | 'none' | 'detect';

/**
 * The decompressed bytes of an object. An empty object is empty in every mode. A gzip stream
 * that is truncated or corrupt fails with InputDataError naming the object.
 */
export async function* decompressed(chunks: AsyncIterable<Uint8Array>, uri: string, mode: DecompressMode): AsyncGenerator<Uint8Array> {
  if (mode === 'none') {
    yield* chunks;
    return;
  }
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  if (headBytes === 0) return;
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  if (mode === 'detect' && !hasGzipMagic(first)) {
    yield first;
    if (!done) yield* rest;
    return;
  }
  yield* gunzip(first, done ? undefined : rest, uri);
}

async function* gunzip(first: Uint8Array, rest: AsyncIterable<Uint8Array> | undefined, uri: string): AsyncGenerator<Uint8Array> {
  async function* input(): AsyncGenerator<Uint8Array> {
    yield first;
    if (rest) yield* rest;
  }
  const inflater = createGunzip();
  const feeding = pipeline(Readable.from(input(), { objectMode: false }), inflater).catch((error: unknown) => error);
  try {
    for await (const chunk of inflater) yield chunk as Uint8Array;
  } catch (error) {
    throw asDecompressionError(error, uri);
  } finally {
    inflater.destroy();
  }
  const failure = await feeding;
  if (failure !== undefined) throw asDecompressionError(failure, uri);
}

function asDecompressionError(error: unknown, uri: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return error;
  const message = (error as Error).message;
  const what = code === 'Z_BUF_ERROR' ? 'is truncated' : 'is not valid gzip data';
  return new InputDataError(`${uri}: cannot decompress: the gzip stream ${what} (${message})`, {
    location: { file: uri },
    cause: error,
    hint: 'Re-upload the object, or remove it from the prefix; a .gz name or gzip magic bytes mean it is read as gzip.',
  });
}
