import {
  CancelledError,
  InputDataError,
  type JsonMapping,
  type ReadOptions,
  type ReadProgress,
  type RejectedRecord,
  type RowBatch,
  type Source,
  type SourceDescription,
  type SourceObject,
  EventLoopSlices,
  throwIfAborted,
  type TimeFormat,
} from '@sparkify/core';
import { setMaxListeners } from 'node:events';
import { Channel } from './channel.js';
import { compressionFromKey, GZIP_MAGIC_BYTES, hasGzipMagic } from './decompress.js';
import { type JsonPathsResolution } from './jsonpaths.js';
import { loadJsonPaths } from './jsonpaths-loader.js';
import { findPrefixOvermatches, type ObjectInfo, type ObjectStore } from './object-store.js';
import { type ColumnarBatch } from './column-batch.js';
import { ColumnConsumer, type ColumnItem, columnProducer } from './column-parser.js';
import { readObjectChunks, type Chunk, type ObjectToRead } from './object-reader.js';
import { compileRowMapper, type RecordMapping } from './record-mapping.js';

/** How records map to columns: `auto`, `auto ignorecase`, or a JSONPaths object (in `store`, default the data store). */
export type JsonMappingSpec =
  | { mode: 'auto' }
  | { mode: 'auto ignorecase' }
  | { mode: 'jsonpaths'; key: string; store?: ObjectStore };

export interface JsonObjectSourceOptions {
  store: ObjectStore;
  /** Key prefix with S3 semantics: every key that starts with it is read. */
  prefix: string;
  mapping: JsonMappingSpec;
  /** Default 'auto'. */
  timeFormat?: TimeFormat;
  /**
   * `auto` (default): gzip when the key ends in `.gz` or the bytes start with the gzip magic
   * number. `gzip` / `none`: every object is (or is not) gzip, as COPY's GZIP keyword says; the
   * Redshift emulator uses these to fail where COPY would.
   */
  compression?: 'auto' | 'gzip' | 'none';
  /** Objects read at once; default 4. */
  concurrency?: number;
  /** Rows per batch; default 2000. */
  batchRows?: number;
  /** Rejected records kept in a failed read's error details; default 1000 (all are counted). */
  maxReportedRejections?: number;
  /**
   * `readColumns` parses objects larger than this (bytes as listed) on worker threads, smaller
   * ones on this thread; default 256 KiB. 0: every object on a worker; Infinity: none.
   */
  workerObjectBytes?: number;
}

interface Described {
  description: SourceDescription;
  mapping: RecordMapping;
}

/** Chunks of one object a producer may hold ahead of the consumer. */
const CHANNEL_CAPACITY = 4;
/**
 * The same for columnar reads (a worker's column chunks, or pieces of bytes the consumer parses).
 * Objects are consumed in key order, so a worker parsing the next object stalls once its channel
 * is full; a whole ordinary object's worth keeps the workers busy (2,048 rows a chunk: some 32k
 * rows, a few tens of MB per object at most).
 */
const COLUMN_CHANNEL_CAPACITY = 16;

/**
 * A Source of JSON records stored under a prefix, read with Redshift COPY ... FORMAT AS JSON
 * semantics (redshift-reference.md §1). Reads several objects at once but hands rows on in key
 * order, each object buffering at most a few batches, so output is deterministic and memory flat.
 */
export class JsonObjectSource implements Source {
  private readonly store: ObjectStore;
  private readonly prefix: string;
  private readonly mappingSpec: JsonMappingSpec;
  private readonly timeFormat: TimeFormat;
  private readonly compression: 'auto' | 'gzip' | 'none';
  private readonly concurrency: number;
  private readonly batchRows: number;
  private readonly maxReported: number;
  private readonly workerObjectBytes: number;
  private described: Described | undefined;

  constructor(options: JsonObjectSourceOptions) {
    this.store = options.store;
    this.prefix = options.prefix;
    this.mappingSpec = options.mapping;
    this.timeFormat = options.timeFormat ?? 'auto';
    this.compression = options.compression ?? 'auto';
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.batchRows = Math.max(1, options.batchRows ?? 2000);
    this.maxReported = options.maxReportedRejections ?? 1000;
    this.workerObjectBytes = options.workerObjectBytes ?? 256 * 1024;
  }

  async describe(options: { signal?: AbortSignal } = {}): Promise<SourceDescription> {
    return (await this.describeOnce(options.signal)).description;
  }

  read(options: ReadOptions): AsyncIterable<RowBatch> {
    return this.readBatches(options);
  }

  private async describeOnce(signal: AbortSignal | undefined): Promise<Described> {
    throwIfAborted(signal);
    if (this.described) return this.described;
    const location = this.store.location(this.prefix);
    const listed: ObjectInfo[] = [];
    // The heads that sniff compression, read as the store lists where it can (one open per local file).
    const sniff = this.compression === 'auto' && this.store.readHead !== undefined;
    for await (const info of this.store.list(this.prefix, { signal, ...(sniff ? { headBytes: GZIP_MAGIC_BYTES } : {}) })) listed.push(info);
    throwIfAborted(signal);
    if (listed.length === 0) {
      const noun = this.store.scheme === 'file' ? 'files' : 'objects';
      throw new InputDataError(`no ${noun} match ${location}`, {
        location: { file: location },
        hint: `COPY reads every ${this.store.scheme === 'file' ? 'file' : 'object'} whose key starts with the prefix; check the path for typos and that the data is there.`,
      });
    }
    const objects = await this.withCompression(listed, signal);
    const resolution = await this.resolveMapping(signal);
    const warnings = this.preflightWarnings(objects, resolution);
    const mapping: RecordMapping = resolution?.kind === 'jsonpaths' ? { mode: 'jsonpaths', file: resolution.file } : { mode: this.mappingSpec.mode === 'auto ignorecase' ? 'auto ignorecase' : 'auto' };
    const described: Described = {
      description: {
        location,
        scheme: this.store.scheme,
        objects,
        format: 'json',
        mapping: describeMapping(mapping),
        timeFormat: this.timeFormat,
        store: { ...this.store.storeInfo(), prefix: this.prefix },
        warnings,
      },
      mapping,
    };
    this.described = described;
    return described;
  }

  /** Compression by name, or by magic bytes where the store can read an object's head cheaply. */
  private async withCompression(listed: readonly ObjectInfo[], signal: AbortSignal | undefined): Promise<SourceObject[]> {
    const objects: SourceObject[] = listed.map((info) => ({
      uri: this.store.uri(info.key),
      key: info.key,
      size: info.size,
      ...(info.etag === undefined ? {} : { etag: info.etag }),
      compression: this.compression === 'auto' ? compressionFromKey(info.key) : this.compression,
    }));
    const readHead = this.store.readHead?.bind(this.store);
    if (!readHead || this.compression !== 'auto') return objects;
    const unread: SourceObject[] = [];
    for (const [i, object] of objects.entries()) {
      if (object.compression !== 'none' || object.size < GZIP_MAGIC_BYTES) continue;
      const head = listed[i]!.head;
      if (head === undefined) unread.push(object);
      else if (hasGzipMagic(head)) object.compression = 'gzip';
    }
    const slices = new EventLoopSlices();
    await forEachLimited(unread, this.concurrency, async (object) => {
      if (hasGzipMagic(await readHead(object.key, GZIP_MAGIC_BYTES, { signal }))) object.compression = 'gzip';
      // A store whose readHead is synchronous would otherwise hold the event loop for the whole listing.
      await slices.pause();
    });
    return objects;
  }

  private async resolveMapping(signal: AbortSignal | undefined): Promise<JsonPathsResolution | undefined> {
    const spec = this.mappingSpec;
    if (spec.mode !== 'jsonpaths') return undefined;
    return loadJsonPaths(spec.store ?? this.store, spec.key, { signal });
  }

  private preflightWarnings(objects: SourceObject[], resolution: JsonPathsResolution | undefined): string[] {
    const warnings: string[] = [];
    const location = this.store.location(this.prefix);
    const over = findPrefixOvermatches(this.prefix, objects.map((o) => o.key));
    if (over.length > 0) {
      const list = over.map((o) => `${o.name} (${o.objects} ${o.objects === 1 ? 'object' : 'objects'})`).join(', ');
      warnings.push(
        `prefix ${location} also matches ${list}: COPY loads every key that starts with the prefix; end it with "/" (or use a manifest) to load only ${this.prefix.slice(this.prefix.lastIndexOf('/') + 1)}/`,
      );
    }
    if (resolution) {
      const uri = resolution.kind === 'jsonpaths' ? resolution.file.uri : resolution.uri;
      if (objects.some((o) => o.uri === uri)) {
        warnings.push(`the JSONPaths file ${uri} lies under the data prefix ${location}: COPY reads it as a data file too (its object is loaded as a record); move it out of the prefix`);
      }
      if (resolution.kind === 'auto') warnings.push(resolution.reason);
    }
    const gzip = objects.filter((o) => o.compression === 'gzip').length;
    if (gzip > 0 && gzip < objects.length) {
      warnings.push(`${gzip} of ${objects.length} objects under ${location} are gzip-compressed: one Redshift COPY reads either all objects as GZIP or none, so a server-side load of this prefix fails`);
    }
    return warnings;
  }

  /**
   * Converted rows in column batches (see ColumnBatch), for sinks that write columns at once:
   * the same rows, rejections, progress and failures as `read`, in the same order. Objects above
   * `workerObjectBytes` are parsed on worker threads where they can start (see ParsePool), the
   * rest on this one, in order, consecutive small objects into one batch (see ColumnConsumer).
   */
  readColumns(options: ReadOptions): AsyncIterable<ColumnarBatch> {
    return this.readColumnBatches(options);
  }

  private async *readBatches(options: ReadOptions): AsyncGenerator<RowBatch> {
    const { mapping } = await this.describeOnce(options.signal);
    const mapper = compileRowMapper(mapping, options.columns, this.timeFormat);
    const produce: Producer<Chunk> = async (object, stored, push, signal) =>
      readObjectChunks(stored, this.objectToRead(object), mapper, this.batchRows, push, signal);
    let batch: RowBatch = { rows: [], rejected: [] };
    for await (const chunk of this.readChunks(options, produce, (item) => [item])) {
      for (const record of chunk.rejected) batch.rejected.push(record);
      for (const row of chunk.rows) {
        batch.rows.push(row);
        if (batch.rows.length === this.batchRows) {
          yield batch;
          throwIfAborted(options.signal);
          batch = { rows: [], rejected: [] };
        }
      }
    }
    if (batch.rows.length > 0 || batch.rejected.length > 0) yield batch;
  }

  private async *readColumnBatches(options: ReadOptions): AsyncGenerator<ColumnarBatch> {
    const { mapping } = await this.describeOnce(options.signal);
    // Compiled here, so a JSONPaths file that does not fit the columns fails before any object is read.
    const plan = { columns: options.columns, mapping, timeFormat: this.timeFormat, batchRows: this.batchRows };
    const consumer = new ColumnConsumer(plan);
    const parse = columnProducer(plan, this.workerObjectBytes, this.store.transferableChunks === true);
    const produce: Producer<ColumnItem> = (object, stored, push, signal) => parse(stored, { ...this.objectToRead(object), size: object.size }, push, signal);
    const take = (item: ColumnItem, object: SourceObject) => consumer.take(item, object.uri);
    for await (const stretch of this.readChunks(options, produce, take, COLUMN_CHANNEL_CAPACITY)) yield* stretch.batches;
    const rest = consumer.flush();
    if (rest) yield rest;
  }

  private objectToRead(object: SourceObject): ObjectToRead {
    const mode = this.compression === 'auto' && object.compression === 'none' ? 'detect' : object.compression;
    return { uri: object.uri, mode };
  }

  /**
   * The chunks of every object in key order, several objects read at once, each buffering a few
   * items at most; `take` makes the chunks of an item, in order, as they are consumed. Counts
   * progress and rejections, and fails once they exceed maxErrors.
   */
  private async *readChunks<I, C extends ReadChunk>(
    options: ReadOptions,
    produce: Producer<I>,
    take: (item: I, object: SourceObject) => Iterable<C>,
    capacity = CHANNEL_CAPACITY,
  ): AsyncGenerator<C> {
    const { signal } = options;
    throwIfAborted(signal);
    const { description } = await this.describeOnce(signal);
    const objects = description.objects;
    const progress: ReadProgress = {
      objectsDone: 0,
      objectsTotal: objects.length,
      bytesDone: 0,
      bytesTotal: objects.reduce((sum, o) => sum + o.size, 0),
      rowsRead: 0,
      rowsRejected: 0,
    };
    const reject = new RejectionTracker(options.maxErrors, this.maxReported);
    const stop = new AbortController();
    const producerSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    // Every object being read listens for the abort (a reader of song files has thousands in turn).
    setMaxListeners(0, producerSignal);
    const concurrency = Math.max(1, options.concurrency ?? this.concurrency);
    const channels: (Channel<I> | undefined)[] = [];
    const start = (index: number): void => {
      const object = objects[index];
      if (!object || channels[index]) return;
      const channel = new Channel<I>(capacity);
      channels[index] = channel;
      void this.produce(object, produce, channel, producerSignal);
    };
    try {
      for (let i = 0; i < Math.min(concurrency, objects.length); i++) start(i);
      for (let index = 0; index < objects.length; index++) {
        const channel = channels[index]!;
        for (;;) {
          const item = await channel.next(signal);
          throwIfAborted(signal);
          if (item === undefined) break;
          for (const chunk of take(item, objects[index]!)) {
            progress.bytesDone += chunk.bytes;
            progress.rowsRead += chunk.records;
            progress.rowsRejected += chunk.rejected.length;
            reject.add(chunk.rejected, progress.rowsRead);
            yield chunk;
            options.onProgress?.({ ...progress });
          }
        }
        channels[index] = undefined; // consumed: let it go
        progress.objectsDone++;
        options.onProgress?.({ ...progress });
        start(index + concurrency);
      }
    } catch (error) {
      if (signal?.aborted && !(error instanceof CancelledError)) throw new CancelledError('cancelled', { cause: error });
      throw error;
    } finally {
      stop.abort();
      for (const channel of channels) channel?.cancel();
    }
  }

  /** Reads one object into its channel; never rejects (failures travel through the channel). */
  private async produce<C>(object: SourceObject, produce: Producer<C>, channel: Channel<C>, signal: AbortSignal): Promise<void> {
    try {
      const stored = await this.store.open(object.key, { signal, size: object.size });
      await produce(object, stored, (chunk) => channel.push(chunk), signal);
      channel.close();
    } catch (error) {
      channel.fail(error);
    }
  }
}

/** What every chunk of an object carries, rows or columns. */
interface ReadChunk {
  rejected: RejectedRecord[];
  bytes: number;
  records: number;
}

/** Reads one object's stored bytes into chunks, handing each to `push` (which waits while the consumer is behind). */
type Producer<C> = (object: SourceObject, stored: AsyncIterable<Uint8Array>, push: (chunk: C) => Promise<void>, signal: AbortSignal) => Promise<void>;

function describeMapping(mapping: RecordMapping): JsonMapping {
  if (mapping.mode === 'jsonpaths') return { mode: 'jsonpaths', uri: mapping.file.uri, paths: [...mapping.file.paths] };
  return { mode: mapping.mode };
}

/** Counts rejections and fails the read once more than maxErrors are rejected. */
class RejectionTracker {
  private count = 0;
  private readonly kept: RejectedRecord[] = [];

  constructor(
    private readonly maxErrors: number,
    private readonly maxKept: number,
  ) {}

  add(records: RejectedRecord[], rowsRead: number): void {
    if (records.length === 0) return;
    for (const record of records) if (this.kept.length < this.maxKept) this.kept.push(record);
    this.count += records.length;
    if (this.count <= this.maxErrors) return;
    const first = this.kept[0]!;
    const where = `${first.file} line ${first.line}${first.column ? `, column ${first.column}` : ''}`;
    throw new InputDataError(
      `${this.count} record(s) rejected, more than maxErrors (${this.maxErrors}) allows; first: ${where}: ${first.reason}${first.value !== undefined ? ` (value ${JSON.stringify(first.value)})` : ''}`,
      {
        location: { file: first.file, line: first.line, ...(first.column ? { field: first.column } : {}) },
        hint: `Fix the input, or raise maxErrors to skip up to that many bad records (Redshift MAXERROR). Rejected records are listed in the error details.`,
        details: { rejected: [...this.kept], rejectedCount: this.count, rowsRead, maxErrors: this.maxErrors },
      },
    );
  }
}

async function forEachLimited<T>(items: T[], limit: number, action: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await action(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

