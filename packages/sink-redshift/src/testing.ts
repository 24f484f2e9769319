// Test helpers of @sparkify/sink-redshift (the `./testing` subpath): clocks that never wait on
// real time, a recording port, the emulator target. (The emulator's in-process engine is a
// RedshiftDataPort through its own `createEmulatorClient`.)
import type { Clock } from '@sparkify/redshift-emulator';
import type { PollClock } from './data-api/poll-clock.js';
import type { DataApiSendOptions, RedshiftDataPort, RedshiftTarget } from './data-api/redshift-data-port.js';

/** The next turn of the event loop: lets other work (the emulator's statements, sockets) progress. */
function nextTurn(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearImmediate(handle);
      reject(signal?.reason);
    };
    const handle = setImmediate(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A poll clock whose waits last one event-loop turn, whatever they ask for; it records them. */
export class ImmediatePollClock implements PollClock {
  readonly sleeps: number[] = [];

  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return nextTurn(signal);
  }
}

/**
 * A clock for the emulator whose sleeps (injected latency) last one event-loop turn. With
 * `faults: { latencyMs: 1 }` every statement stays PICKED for one turn, so a CancelStatement sent
 * as soon as the run is aborted finds it still running, deterministically and without waiting.
 * Timers (session expiry) are real and unref'd.
 */
export const turnClock: Clock = {
  now: () => Date.now(),
  monotonicNs: () => process.hrtime.bigint(),
  sleep: (_ms, signal) => nextTurn(signal),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** The provisioned-cluster target the sink's tests use against the emulator. */
export const EMULATOR_TARGET: RedshiftTarget = { kind: 'cluster', clusterIdentifier: 'emulator', database: 'dev', dbUser: 'awsuser' };

/** A Data API call as a RecordingDataPort saw it. */
export interface RecordedCall {
  /** The command's name without `Command`: `ExecuteStatement`, `DescribeStatement`... */
  operation: string;
  input: Record<string, unknown>;
}

/** Wraps a port and records every command sent through it, for assertions on what the sink sent. */
export class RecordingDataPort {
  readonly calls: RecordedCall[] = [];
  readonly port: RedshiftDataPort;

  constructor(inner: RedshiftDataPort) {
    const send = (command: { input: object; constructor: { name: string } }, options?: DataApiSendOptions): Promise<unknown> => {
      this.calls.push({ operation: command.constructor.name.replace(/Command$/, ''), input: { ...command.input } });
      return (inner.send as (c: unknown, o?: DataApiSendOptions) => Promise<unknown>)(command, options);
    };
    this.port = { send } as RedshiftDataPort;
  }

  /** The calls of one operation. */
  of(operation: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.input);
  }
}

/**
 * Sink contract cases the Data API or the emulator cannot pass as written, with why; each is
 * covered another way in redshift-sink.test.ts.
 */
export const DATA_API_CONTRACT_SKIPS: Readonly<Record<string, string>> = {
  'round-trips every column type through execute and query':
    'BIGINT travels as a JSON number (longValue) and loses precision above 2^53 in the SDK and the emulator; and the emulator reads backslashes in literals as Postgres does, not as Redshift (covered without them in redshift-sink.test.ts)',
  'reads expressions in the documented value shapes': 'BIGINT travels as a JSON number (longValue) and loses precision above 2^53 (covered without it in redshift-sink.test.ts)',
  'loads every column type':
    'the rows load exactly, but reading BIGINT 2^53+1 back through the Data API loses precision, and the emulator keeps backslashes doubled (covered in redshift-sink.test.ts, the bigint read as VARCHAR)',
  'quotes identifiers and literals': 'the emulator reads backslashes in string literals literally (standard_conforming_strings), Redshift as escapes; the dialect escapes for Redshift',
};
