import { CancelledError, ConfigError, WarehouseError } from '@sparkify/core';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import {
  dataApiServiceError,
  EMULATOR_TARGET,
  FaultyDataPort,
  GatedBucket,
  networkErrors,
  SERIALIZATION_VIOLATION,
  VirtualPollClock,
} from '../testing.js';
import type { RetryEvent, RetryOptions } from './retry-policy.js';
import { StatementClient } from './statement-client.js';

// Retries proven against the in-process emulator, behind a port that injects faults: the
// statements really run (or not), so "nothing runs twice" is counted in the table.
const gated = new GatedBucket(new MemoryObjectStore({ 'rows/a.json': '{"a": 1}\n{"a": 2}\n' }, { scheme: 's3', bucket: 'gated' }));
const emulator = new RedshiftEmulator({ buckets: { gated } });
afterAll(() => emulator.close());

let tables = 0;

function setup(retry: Partial<RetryOptions> = {}, random = () => 0.5, onRetry: (event: RetryEvent) => void = () => {}) {
  const faulty = new FaultyDataPort(createEmulatorClient(emulator));
  const clock = new VirtualPollClock();
  const retries: RetryEvent[] = [];
  const statements = new StatementClient({
    port: faulty.port,
    target: EMULATOR_TARGET,
    clock,
    retry: { maxAttempts: 5, ...retry },
    random,
    onRetry: (event) => {
      retries.push(event);
      onRetry(event);
    },
  });
  const table = async (): Promise<string> => {
    const name = `retry_t${++tables}`;
    await statements.execute({ sql: `CREATE TABLE ${name} (a INT)` });
    return name;
  };
  const count = async (name: string): Promise<number> => {
    const done = await statements.execute({ sql: `SELECT COUNT(*) AS n FROM ${name}` });
    return Number((await statements.result(done.id, 'count')).rows[0]?.['n']);
  };
  const tokens = (operation: string) => faulty.of(operation).map((call) => call.input['ClientToken']);
  return { statements, faulty, clock, retries, table, count, tokens };
}

const RETRYABLE: [string, () => unknown][] = [
  ['ThrottlingException', () => dataApiServiceError('ThrottlingException', 'Rate exceeded')],
  ['throttling wrapped in a ValidationException', () => dataApiServiceError('ValidationException', 'Rate exceeded')],
  ['"Rate exceeded" under another name', () => dataApiServiceError('LimitExceededException', 'Rate exceeded')],
  ['ActiveStatementsExceededException', () => dataApiServiceError('ActiveStatementsExceededException', 'The number of active statements exceeds the limit.')],
  ['InternalServerException (500)', () => dataApiServiceError('InternalServerException', 'Internal error', 500)],
  ['a bare 503', () => dataApiServiceError('ServiceUnavailable', 'Service Unavailable', 503)],
  ['a connection reset', networkErrors.connectionReset],
  ['a socket hang up', networkErrors.socketHangUp],
  ['a socket timeout', networkErrors.socketTimeout],
];

describe('StatementClient retries', () => {
  it.each(RETRYABLE)('retries %s on every call and runs the statement once, with one ClientToken', async (_name, error) => {
    const { statements, faulty, retries, table, count, tokens } = setup();
    const name = await table();
    faulty.failNext('ExecuteStatement', error, 2).failNext('DescribeStatement', error, 2);
    const done = await statements.execute({ sql: `INSERT INTO ${name} VALUES (1)` });
    expect(done.resultRows).toBe(1);
    const insertTokens = tokens('ExecuteStatement').slice(-3);
    expect(new Set(insertTokens).size).toBe(1);
    expect(faulty.of('ExecuteStatement').slice(-3).map((call) => call.sent)).toEqual([false, false, true]);

    faulty.failNext('BatchExecuteStatement', error, 2);
    await statements.batch([`INSERT INTO ${name} VALUES (2)`, `INSERT INTO ${name} VALUES (3)`]);
    expect(new Set(tokens('BatchExecuteStatement')).size).toBe(1);
    expect(tokens('BatchExecuteStatement')).toHaveLength(3);

    faulty.failNext('GetStatementResult', error, 2);
    expect(await count(name)).toBe(3);
    expect(faulty.unused).toBe(0);
    expect(retries.map((r) => r.operation)).toEqual([
      'ExecuteStatement',
      'ExecuteStatement',
      'DescribeStatement',
      'DescribeStatement',
      'BatchExecuteStatement',
      'BatchExecuteStatement',
      'GetStatementResult',
      'GetStatementResult',
    ]);
  });

  it('resends a submission whose answer was lost with the same ClientToken: the emulator answers with the first Id and runs it once', async () => {
    const { statements, faulty, table, count, tokens } = setup();
    const name = await table();
    faulty.failNext('ExecuteStatement', networkErrors.connectionReset, 2, { afterSend: true });
    const polled = faulty.of('DescribeStatement').length;
    const done = await statements.execute({ sql: `INSERT INTO ${name} VALUES (1)` });
    const submissions = faulty.of('ExecuteStatement').slice(-3);
    expect(submissions.map((call) => call.sent)).toEqual([true, true, true]);
    expect(new Set(tokens('ExecuteStatement').slice(-3)).size).toBe(1);
    expect(faulty.of('DescribeStatement').slice(polled).every((call) => call.input['Id'] === done.id)).toBe(true);

    faulty.failNext('BatchExecuteStatement', networkErrors.socketTimeout, 1, { afterSend: true });
    await statements.batch([`INSERT INTO ${name} VALUES (2)`, `INSERT INTO ${name} VALUES (3)`]);
    expect(await count(name)).toBe(3);
  });

  it('retries CancelStatement and the Describe that waits for the cancelled statement to stop', async () => {
    const { statements, faulty } = setup();
    await statements.execute({ sql: 'CREATE TABLE gated_t (a INT)' });
    gated.reset();
    const controller = new AbortController();
    const copy = statements.execute({ sql: "COPY gated_t FROM 's3://gated/rows/' IAM_ROLE default FORMAT AS JSON 'auto'", signal: controller.signal });
    await gated.opened;
    const throttling = () => dataApiServiceError('ThrottlingException', 'Rate exceeded');
    faulty.failNext('CancelStatement', throttling, 2).failNext('DescribeStatement', throttling, 1);
    controller.abort(new Error('SIGINT'));
    await expect(copy).rejects.toBeInstanceOf(CancelledError);
    const cancels = faulty.of('CancelStatement');
    expect(cancels).toHaveLength(3);
    const id = String(cancels[0]?.input['Id']);
    expect(cancels.map((call) => call.input['Id'])).toEqual([id, id, id]);
    expect((await emulator.describeStatement({ Id: id })).Status).toBe('ABORTED');
  });

  it.each([
    ['a ValidationException that is not throttling', () => dataApiServiceError('ValidationException', 'Cluster dwh not found'), WarehouseError],
    ['ResourceNotFoundException', () => dataApiServiceError('ResourceNotFoundException', 'Query does not exist'), WarehouseError],
    ['AccessDeniedException', () => dataApiServiceError('AccessDeniedException', 'not authorized'), ConfigError],
    ['a refused connection (a wrong or stopped endpoint)', networkErrors.refused, WarehouseError],
  ])('throws %s at once', async (_name, error, type) => {
    const { statements, faulty, retries, clock } = setup();
    faulty.failNext('ExecuteStatement', error);
    await expect(statements.execute({ sql: 'SELECT 1' })).rejects.toBeInstanceOf(type);
    expect(faulty.of('ExecuteStatement')).toHaveLength(1);
    faulty.failNext('DescribeStatement', error);
    await expect(statements.execute({ sql: 'SELECT 1' })).rejects.toBeInstanceOf(type);
    expect(faulty.of('DescribeStatement')).toHaveLength(1);
    expect(retries).toEqual([]);
    expect(clock.sleeps).toEqual([]);
  });

  it('never resends a statement that ran and FAILED (an SQL or data error)', async () => {
    const { statements, faulty, retries } = setup();
    const error = await statements.execute({ sql: 'SELECT * FROM nowhere_at_all' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({ message: expect.stringContaining('does not exist'), details: { retryable: false } });
    expect(faulty.of('ExecuteStatement')).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('gives up after maxAttempts, naming the count and the setting', async () => {
    const { statements, faulty } = setup({ maxAttempts: 4 });
    faulty.always = { operations: ['ExecuteStatement'], error: () => dataApiServiceError('ThrottlingException', 'Rate exceeded') };
    const error = await statements.execute({ sql: 'SELECT 1' }).catch((caught: unknown) => caught);
    expect(faulty.of('ExecuteStatement')).toHaveLength(4);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({
      message: expect.stringMatching(/ThrottlingException: Rate exceeded \(gave up after 4 attempts in \d+\.\d s\)$/),
      hint: expect.stringContaining('maxAttempts 4'),
      details: { code: 'ThrottlingException', retryable: true, attempts: 4 },
    });
  });

  it('gives up when the next attempt would start after retryTotalSeconds', async () => {
    const { statements, faulty, clock } = setup({ maxAttempts: 1000, baseDelayMs: 2000, maxDelayMs: 2000, totalMs: 10_000 }, () => 0.9999);
    faulty.always = { operations: ['DescribeStatement'], error: networkErrors.connectionReset };
    const error = await statements.execute({ sql: 'SELECT 1' }).catch((caught: unknown) => caught);
    // Backoffs of 1999 ms: the sixth attempt starts at 9995 ms, a seventh would start past 10 s.
    expect(faulty.of('DescribeStatement')).toHaveLength(6);
    expect(clock.now()).toBe(9995);
    expect(error).toMatchObject({ kind: 'warehouse', hint: expect.stringContaining('retryTotalSeconds 10') });
  });

  it('stops at once with CancelledError when the run is aborted during a backoff', async () => {
    const { statements, faulty, retries, clock } = setup({ maxAttempts: 100 });
    faulty.always = { operations: ['ExecuteStatement'], error: () => dataApiServiceError('ThrottlingException', 'Rate exceeded') };
    const controller = new AbortController();
    const running = statements.execute({ sql: 'SELECT 1', signal: controller.signal });
    // The abort comes while the client waits to retry.
    await new Promise(setImmediate);
    expect(retries).toHaveLength(1);
    controller.abort(new Error('SIGINT'));
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect(faulty.of('ExecuteStatement')).toHaveLength(1);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('cancels a statement whose submission was lost when the abort comes during the backoff: none is left running unseen', async () => {
    const controller = new AbortController();
    const { statements, faulty, retries } = setup({ maxAttempts: 100 }, () => 0.5, (event) => event.operation === 'ExecuteStatement' && controller.abort(new Error('SIGINT')));
    await statements.execute({ sql: 'CREATE TABLE gated_lost (a INT)' });
    gated.reset();
    faulty.failNext('ExecuteStatement', networkErrors.connectionReset, 1, { afterSend: true });
    const copy = statements.execute({ sql: "COPY gated_lost FROM 's3://gated/rows/' IAM_ROLE default FORMAT AS JSON 'auto'", signal: controller.signal });
    await expect(copy).rejects.toMatchObject({ kind: 'cancelled', message: 'cancelled while waiting to retry ExecuteStatement' });
    expect(retries.map((r) => r.operation)).toEqual(['ExecuteStatement']);
    // One more submission with the same token learnt the Id of the COPY the lost one had started.
    const submissions = faulty.of('ExecuteStatement').slice(-2);
    expect(submissions.map((call) => call.sent)).toEqual([true, true]);
    expect(submissions[1]?.input['ClientToken']).toBe(submissions[0]?.input['ClientToken']);
    const id = String(faulty.of('CancelStatement')[0]?.input['Id']);
    expect((await emulator.describeStatement({ Id: id })).Status).toBe('ABORTED');
    expect((await emulator.listStatements({ Status: 'ALL' })).Statements.filter((st) => st.QueryString?.includes('gated_lost FROM'))).toHaveLength(1);
  });

  it('does not resubmit when every failed attempt was refused (nothing can have started)', async () => {
    const controller = new AbortController();
    const { statements, faulty } = setup({ maxAttempts: 100 }, () => 0.5, () => controller.abort(new Error('SIGINT')));
    faulty.failNext('ExecuteStatement', () => dataApiServiceError('ThrottlingException', 'Rate exceeded'));
    await expect(statements.execute({ sql: 'SELECT 1', signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(faulty.of('ExecuteStatement')).toHaveLength(1);
    expect(faulty.of('CancelStatement')).toHaveLength(0);
  });

  it('cancels the running statement when the abort comes during a DescribeStatement backoff', async () => {
    const { statements, faulty, retries } = setup({ maxAttempts: 100 });
    await statements.execute({ sql: 'CREATE TABLE gated_d (a INT)' });
    gated.reset();
    const controller = new AbortController();
    const copy = statements.execute({ sql: "COPY gated_d FROM 's3://gated/rows/' IAM_ROLE default FORMAT AS JSON 'auto'", signal: controller.signal });
    await gated.opened;
    faulty.always = { operations: ['DescribeStatement'], error: () => dataApiServiceError('ThrottlingException', 'Rate exceeded') };
    await new Promise(setImmediate);
    faulty.always = undefined;
    expect(retries.at(-1)?.operation).toBe('DescribeStatement');
    controller.abort(new Error('SIGINT'));
    await expect(copy).rejects.toBeInstanceOf(CancelledError);
    const id = String(faulty.of('CancelStatement')[0]?.input['Id']);
    expect((await emulator.describeStatement({ Id: id })).Status).toBe('ABORTED');
  });
});

describe('StatementClient and serialization conflicts (Redshift error 1023)', () => {
  afterEach(() => emulator.configureFaults({}));

  /** Fails the first `times` statements that match with Redshift's serialization error. */
  function conflict(pattern: RegExp, times = 1): void {
    let left = times;
    emulator.configureFaults({ failStatement: (sql) => (pattern.test(sql) && left-- > 0 ? SERIALIZATION_VIOLATION : undefined) });
  }

  it('runs a statement of its own again, whole, with a new ClientToken: its transaction was rolled back', async () => {
    const { statements, retries, table, count, tokens } = setup();
    const name = await table();
    conflict(new RegExp(`INSERT INTO ${name}`));
    await statements.execute({ sql: `INSERT INTO ${name} VALUES (1)` });
    const submissions = tokens('ExecuteStatement').slice(-2);
    expect(new Set(submissions).size).toBe(2);
    expect(retries.map((r) => r.operation)).toEqual(['statement']);
    conflict(new RegExp(`INSERT INTO ${name}`));
    await statements.batch([`INSERT INTO ${name} VALUES (2)`, `INSERT INTO ${name} VALUES (3)`]);
    expect(await count(name)).toBe(3);
  });

  it('inside a session reports that another run holds the tables, and does not resend', async () => {
    const { statements, faulty, table } = setup();
    const name = await table();
    const begin = await statements.execute({ sql: 'BEGIN', keepAliveSeconds: 60 });
    conflict(new RegExp(`INSERT INTO ${name}`));
    const error = await statements.execute({ sql: `INSERT INTO ${name} VALUES (1)`, sessionId: begin.sessionId!, label: 'load staging_events' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({
      message: expect.stringMatching(/^another run holds the tables: Redshift cancelled "load staging_events" because another transaction wrote the same tables/),
      hint: expect.stringContaining('nothing of this run was committed'),
      details: { code: 'SerializationConflict', retryable: false },
    });
    expect(faulty.of('ExecuteStatement').filter((call) => String(call.input['Sql']).startsWith('INSERT'))).toHaveLength(1);
    await statements.execute({ sql: 'ROLLBACK', sessionId: begin.sessionId! });
  });
});
