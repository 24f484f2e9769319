// A worker thread of the ParsePool: reads objects' bytes, as the main thread sends them, into
// column chunks (readObjectColumns), and sends each chunk back as it is cut.
import { parentPort } from 'node:worker_threads';
import type { ColumnChunk } from './column-batch.js';
import { compileColumnPlan, readObjectColumns } from './object-column-reader.js';
import { type FromWorker, serializeError, type ToWorker, transferList } from './parse-protocol.js';

const port = parentPort!;
const inputs = new Map<number, ByteQueue>();

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'open': {
      const input = new ByteQueue(() => send({ kind: 'pulled', id: message.id }));
      inputs.set(message.id, input);
      const push = async (chunk: ColumnChunk): Promise<void> => send({ kind: 'chunk', id: message.id, chunk }, transferList(chunk.batch));
      readObjectColumns(input, message.object, compileColumnPlan(message.plan), push).then(
        () => send({ kind: 'done', id: message.id }),
        (error: unknown) => send({ kind: 'failed', id: message.id, error: serializeError(error) }),
      ).finally(() => inputs.delete(message.id));
      break;
    }
    case 'bytes':
      inputs.get(message.id)?.add(message.bytes);
      break;
    case 'end':
      inputs.get(message.id)?.end();
      break;
    case 'drop':
      inputs.get(message.id)?.fail(new Error('dropped'));
      break;
  }
});

port.postMessage('ready');

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** The bytes of one object as they arrive; `onPull` tells the sender each time one is taken. */
class ByteQueue implements AsyncIterable<Uint8Array> {
  private readonly items: Uint8Array[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly onPull: () => void) {}

  add(bytes: Uint8Array): void {
    this.items.push(bytes);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(error: Error): void {
    this.failure = error;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.items.shift();
      if (next) {
        this.onPull();
        yield next;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
