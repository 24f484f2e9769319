import { MemoryObjectStore, type ObjectInfo, type ObjectStore, type StoreCallOptions } from '@sparkify/redshift-json';
import { RedshiftEmulator } from '../engine/redshift-emulator.js';
import { runSql, TEST_TARGET } from '../testing.js';

/** A bucket whose objects open only when the test says so: COPY is then STARTED and waiting. */
class GatedStore implements ObjectStore {
  readonly scheme = 's3';
  private readonly inner = new MemoryObjectStore({ 'rows/a.json': '{"a": 1}\n{"a": 2}\n' }, { scheme: 's3', bucket: 'gated' });
  private reached!: () => void;
  opened = new Promise<void>((resolve) => (this.reached = resolve));

  reset(): void {
    this.opened = new Promise<void>((resolve) => (this.reached = resolve));
  }
  location(prefix: string): string {
    return this.inner.location(prefix);
  }
  uri(key: string): string {
    return this.inner.uri(key);
  }
  storeInfo(): Record<string, string> {
    return this.inner.storeInfo();
  }
  list(prefix: string, options?: StoreCallOptions): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix, options);
  }
  /** Never opens: waits for the COPY to be cancelled. */
  open(_key: string, options: StoreCallOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    this.reached();
    return new Promise((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
    });
  }
}

const gated = new GatedStore();
const emulator = new RedshiftEmulator({ buckets: { gated } });
afterAll(async () => {
  await emulator.close();
});

const COPY = "copy cancel_t from 's3://gated/rows/' iam_role default format as json 'auto'";

describe('CancelStatement on a running COPY', () => {
  beforeAll(async () => {
    await runSql(emulator, 'create table cancel_t (a int)');
  });

  beforeEach(() => {
    gated.reset();
  });

  it('aborts it and loads nothing', async () => {
    const { Id } = await emulator.executeStatement({ ...TEST_TARGET, Sql: COPY });
    await gated.opened;
    expect((await emulator.describeStatement({ Id })).Status).toBe('STARTED');
    expect(await emulator.cancelStatement({ Id })).toEqual({ Status: true });
    const described = await emulator.describeStatement({ Id });
    expect(described.Status).toBe('ABORTED');
    expect((await runSql(emulator, 'select count(*) as n from cancel_t')).rows).toEqual([{ n: 0 }]);
  });

  it('rolls back the session transaction it runs in', async () => {
    const { SessionId } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'begin', SessionKeepAliveSeconds: 60, WaitTimeSeconds: 30 });
    const sessionId = SessionId!;
    await runSql(emulator, 'insert into cancel_t values (10)', { sessionId });
    const { Id } = await emulator.executeStatement({ Sql: COPY, SessionId: sessionId });
    await gated.opened;
    await emulator.cancelStatement({ Id });
    expect((await emulator.describeStatement({ Id })).Status).toBe('ABORTED');
    expect((await runSql(emulator, 'select count(*) as n from cancel_t', { sessionId })).rows).toEqual([{ n: 0 }]);
    expect((await runSql(emulator, 'select count(*) as n from cancel_t')).status).toBe('FINISHED');
  });

  it('aborts a batch at the running sub-statement', async () => {
    const { Id } = await emulator.batchExecuteStatement({ ...TEST_TARGET, Sqls: ['insert into cancel_t values (20)', COPY, 'select 1'] });
    await gated.opened;
    await emulator.cancelStatement({ Id });
    const described = await emulator.describeStatement({ Id });
    expect(described.Status).toBe('ABORTED');
    expect(described.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'ABORTED', 'ABORTED']);
    expect((await runSql(emulator, 'select count(*) as n from cancel_t')).rows).toEqual([{ n: 0 }]);
  });
});
