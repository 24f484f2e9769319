// Test helpers of @sparkify/redshift-emulator (the `./testing` subpath).
import path from 'node:path';
import type { Clock } from './engine/clock.js';
import type { Field } from './engine/data-api-types.js';
import type { RedshiftEmulator } from './engine/redshift-emulator.js';
import { FolderBucketStore } from './s3/folder-bucket-store.js';
import { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from './server/emulator-server.js';

/**
 * A clock that moves only when told: timers (session expiry, injected latency, WaitTimeSeconds)
 * fire on `advance`, so tests never wait on real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private ns = 0n;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  constructor(start = Date.UTC(2018, 10, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  monotonicNs(): bigint {
    return this.ns;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  setTimer(ms: number, fn: () => void): { cancel(): void } {
    const timer = { at: this.current + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward, firing the timers that fall due, in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.ns += BigInt(Math.max(0, due.at - this.current)) * 1_000_000n;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.ns += BigInt(target - this.current) * 1_000_000n;
    this.current = target;
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/** The cluster target tests use. */
export const TEST_TARGET = { ClusterIdentifier: 'emulator', Database: 'dev', DbUser: 'awsuser' } as const;

export interface SqlRun {
  id: string;
  status: string;
  error?: string;
  rowsAffected: number;
  /** Every row of every page, as plain values. */
  rows: Record<string, string | number | boolean | null>[];
}

/**
 * Runs one statement on an in-process emulator and reads the whole result: execute, wait for the
 * end (WaitTimeSeconds, no polling), describe, then every result page.
 */
export async function runSql(
  emulator: RedshiftEmulator,
  sql: string,
  options: { parameters?: Record<string, string>; sessionId?: string } = {},
): Promise<SqlRun> {
  const parameters = options.parameters ? Object.entries(options.parameters).map(([name, value]) => ({ name, value })) : undefined;
  const { Id } = await emulator.executeStatement({
    Sql: sql,
    ...(options.sessionId ? { SessionId: options.sessionId } : TEST_TARGET),
    ...(parameters ? { Parameters: parameters } : {}),
    WaitTimeSeconds: 30,
  });
  const described = await emulator.describeStatement({ Id, WaitTimeSeconds: 30 });
  const run: SqlRun = {
    id: Id,
    status: described.Status,
    ...(described.Error === undefined ? {} : { error: described.Error }),
    rowsAffected: described.ResultRows,
    rows: [],
  };
  if (described.Status !== 'FINISHED' || !described.HasResultSet) return run;
  let token: string | undefined;
  do {
    const page = await emulator.getStatementResult({ Id, ...(token ? { NextToken: token } : {}) });
    const names = page.ColumnMetadata.map((c) => c.name);
    for (const record of page.Records) run.rows.push(Object.fromEntries(record.map((field, i) => [names[i] ?? `col${i}`, fieldValue(field)])));
    token = page.NextToken;
  } while (token);
  return run;
}

/** The plain value of a Data API field. */
export function fieldValue(field: Field): string | number | boolean | null {
  if ('isNull' in field) return null;
  if ('booleanValue' in field) return field.booleanValue;
  if ('longValue' in field) return field.longValue;
  if ('doubleValue' in field) return field.doubleValue;
  return field.stringValue;
}

/** The Udacity sample in place (`../shared/data/udacity-sample` from the repository root). */
export const UDACITY_SAMPLE_DIR = path.resolve(process.cwd(), '../shared/data/udacity-sample');

/**
 * The sample as the bucket the original project loads from: `s3://udacity-dend/log_data`,
 * `s3://udacity-dend/song_data`, `s3://udacity-dend/log_json_path.json`. Read in place.
 */
export function udacitySampleBucket(bucket = 'udacity-dend', folder = UDACITY_SAMPLE_DIR): Record<string, FolderBucketStore> {
  return { [bucket]: new FolderBucketStore(bucket, folder) };
}

/** Fake credentials: any signature is accepted, but requests must be signed. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' } as const;

/** Settings for `new RedshiftDataClient(...)` against a test server. */
export function dataApiClientConfig(server: Pick<EmulatorServer, 'url'>) {
  return { endpoint: server.url, region: 'us-west-2', credentials: TEST_CREDENTIALS };
}

/** Settings for `new S3Client(...)` against a test server (path-style, checksums only when required). */
export function s3ClientConfig(server: Pick<EmulatorServer, 'url'>) {
  return {
    endpoint: server.url,
    region: 'us-west-2',
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}

/**
 * Starts an emulator server on a free port of 127.0.0.1 for a test file, serving `s3Dir` (if
 * any) and the Udacity sample as bucket `udacity-dend`. Close it in afterAll.
 */
export function startTestEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  return startEmulatorServer({ ...options, buckets: { ...udacitySampleBucket(), ...options.buckets } });
}
