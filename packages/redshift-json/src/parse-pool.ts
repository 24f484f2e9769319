import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CancelledError, PipelineError } from '@sparkify/core';
import type { ColumnChunk } from './column-batch.js';
import type { ColumnPlan } from './object-column-reader.js';
import type { ObjectToRead } from './object-reader.js';
import { deserializeError, type FromWorker, type ToWorker } from './parse-protocol.js';

/** Byte chunks of one object sent ahead of the worker, and chunks back not yet taken by the consumer. */
const BYTES_AHEAD = 2;
const CHUNKS_AHEAD = 2;

/**
 * Worker threads that parse objects into column chunks (parse-worker.ts), shared by every read of
 * the process: JSON parsing and conversion, most of a client-side load's work, then runs beside
 * the thread that writes the rows. The main thread reads each object's bytes (any ObjectStore)
 * and sends them on, a few chunks ahead at most; the worker sends chunks back as it cuts them.
 */
export class ParsePool {
  private nextId = 0;
  private active = 0;

  constructor(private readonly workers: PoolWorker[]) {}

  /** The process's pool, or undefined when workers cannot start here (then parse on this thread). */
  static shared(): Promise<ParsePool | undefined> {
    shared ??= ParsePool.start(workerEntry());
    return shared;
  }

  /** A pool of workers started from `entry`; undefined, with a process warning, when they cannot start. */
  static async start(entry: WorkerEntry): Promise<ParsePool | undefined> {
    if ('missing' in entry) return cannotStart(entry.missing);
    const count = Math.max(1, Math.min(4, availableParallelism()));
    const started = await Promise.allSettled(Array.from({ length: count }, () => startWorker(entry)));
    const workers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (!failed) return new ParsePool(workers);
    for (const worker of workers) void worker.worker.terminate();
    return cannotStart(failed.reason instanceof Error ? failed.reason.message : String(failed.reason));
  }

  /**
   * Reads one object on the least busy worker. `transferable` (ObjectStore.transferableChunks):
   * the chunks of `stored` may be moved to the worker; else each is copied first.
   */
  async parse(
    stored: AsyncIterable<Uint8Array>,
    object: ObjectToRead,
    plan: ColumnPlan,
    push: (chunk: ColumnChunk) => Promise<void>,
    signal: AbortSignal,
    transferable = false,
  ): Promise<void> {
    const live = this.workers.filter((w) => !w.exited);
    if (live.length === 0) throw this.workers[0]!.exited!;
    const worker = live.reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
    const session = new Session(this.nextId++, worker, push);
    if (this.active++ === 0) for (const w of this.workers) w.worker.ref();
    try {
      await session.run(stored, object, plan, signal, transferable);
    } finally {
      if (--this.active === 0) for (const w of this.workers) w.worker.unref();
    }
  }

  /** Objects being read on the workers (0 once every read is over, finished or cancelled). */
  get sessions(): number {
    return this.workers.reduce((sum, worker) => sum + worker.sessions.size, 0);
  }
}

let shared: Promise<ParsePool | undefined> | undefined;

function cannotStart(why: string): undefined {
  process.emitWarning(`parse workers cannot start (${why}): JSON is parsed on the main thread`, { code: 'SPARKIFY_PARSE_WORKERS' });
  return undefined;
}

/** How to start a worker: a module URL, or (from TypeScript source) a bootstrap to evaluate; or why there is none. */
export type WorkerEntry = { url: URL } | { code: string } | { missing: string };

/**
 * Set by the CLI bundle's build (esbuild `define`): the bundled parse worker's file URL. The
 * bundle's chunks sit in a folder of their own, so the worker cannot be found next to this code.
 */
declare const SPARKIFY_PARSE_WORKER_URL: string | undefined;

/**
 * The bundle's worker; else parse-worker next to this module, `.js` when built. From `.ts`
 * source (under tsx or jest) a worker gets no loader hooks of its parent's, so a bootstrap
 * registers tsx (a development dependency, there when running from source) first.
 */
function workerEntry(): WorkerEntry {
  if (typeof SPARKIFY_PARSE_WORKER_URL === 'string') return existing(new URL(SPARKIFY_PARSE_WORKER_URL));
  const here = import.meta.url;
  const extension = /\.[cm]?[jt]s$/.exec(here)?.[0] ?? '.js';
  const url = new URL(`./parse-worker${extension}`, here);
  if (!extension.endsWith('ts')) return existing(url);
  if (!existsSync(fileURLToPath(url))) return { missing: `${url.href} is missing` };
  try {
    const tsx = new URL('./esm/api/index.mjs', pathToFileURL(createRequire(here).resolve('tsx'))).href;
    return { code: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })` };
  } catch {
    return { missing: 'tsx, which runs it from TypeScript source, is not installed' };
  }
}

function existing(url: URL): WorkerEntry {
  return existsSync(fileURLToPath(url)) ? { url } : { missing: `${url.href} is missing` };
}

class PoolWorker {
  readonly sessions = new Map<number, Session>();
  /** Set once the thread is gone (a crash): its sessions fail, and no new one comes to it. */
  exited: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (message: FromWorker | 'ready') => {
      if (message !== 'ready') this.sessions.get(message.id)?.receive(message);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      this.exited = new PipelineError('internal', `a parse worker exited (code ${code})`);
      this.failAll(this.exited);
    });
  }

  private failAll(error: unknown): void {
    for (const session of this.sessions.values()) session.fail(error);
  }

  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}

/**
 * A worker's young generation, smaller than V8's default (tens of MiB per thread): what a worker
 * allocates lives briefly (bytes in, batches transferred out), so a larger one mostly holds
 * garbage awaiting a scavenge, resident memory for nothing.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

function startWorker(entry: { url: URL } | { code: string }): Promise<PoolWorker> {
  return new Promise((resolve, reject) => {
    const worker = 'url' in entry ? new Worker(entry.url, { resourceLimits: WORKER_LIMITS }) : new Worker(entry.code, { eval: true, resourceLimits: WORKER_LIMITS });
    const fail = (error: unknown): void => {
      void worker.terminate();
      reject(error);
    };
    worker.once('error', fail);
    worker.once('exit', fail);
    worker.once('message', (message) => {
      worker.off('error', fail);
      worker.off('exit', fail);
      if (message !== 'ready') return fail(new Error('parse worker did not start'));
      worker.unref();
      resolve(new PoolWorker(worker));
    });
  });
}

/**
 * Whether a chunk may be transferred as it is: its store gives up its buffers, and the view
 * spans the whole buffer (a view into a larger one, a pool's slab say, would detach what else
 * lives there). Otherwise a copy of its own is transferred: the store may own and reuse its buffer.
 */
function movable(bytes: Uint8Array, transferable: boolean): boolean {
  return transferable && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

/** One object on one worker: bytes out (a few ahead), chunks back to `push` in order. */
class Session {
  private bytesAhead = 0;
  private chunksAhead = 0;
  private pushed: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private finished = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly id: number,
    private readonly worker: PoolWorker,
    private readonly push: (chunk: ColumnChunk) => Promise<void>,
  ) {}

  async run(stored: AsyncIterable<Uint8Array>, object: ObjectToRead, plan: ColumnPlan, signal: AbortSignal, transferable: boolean): Promise<void> {
    this.worker.sessions.set(this.id, this);
    const onAbort = (): void => this.fail(new CancelledError('cancelled', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.worker.post({ kind: 'open', id: this.id, object, plan });
      for await (const bytes of stored) {
        await this.until(() => this.bytesAhead < BYTES_AHEAD && this.chunksAhead < CHUNKS_AHEAD);
        this.bytesAhead++;
        const sent = movable(bytes, transferable) ? bytes : new Uint8Array(bytes);
        this.worker.post({ kind: 'bytes', id: this.id, bytes: sent }, [sent.buffer as ArrayBuffer]);
      }
      this.worker.post({ kind: 'end', id: this.id });
      await this.until(() => this.finished);
      await this.pushed;
    } catch (error) {
      this.worker.post({ kind: 'drop', id: this.id });
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.worker.sessions.delete(this.id);
    }
  }

  receive(message: FromWorker): void {
    switch (message.kind) {
      case 'pulled':
        this.bytesAhead--;
        break;
      case 'chunk':
        this.chunksAhead++;
        this.pushed = this.pushed.then(() => this.push(message.chunk)).then(() => {
          this.chunksAhead--;
          this.notify();
        });
        this.pushed.catch((error: unknown) => this.fail(error));
        break;
      case 'done':
        this.finished = true;
        break;
      case 'failed':
        this.fail(deserializeError(message.error));
        break;
    }
    this.notify();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.notify();
  }

  /** Waits until `ready()` holds; throws the session's failure. */
  private async until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      if (ready()) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
