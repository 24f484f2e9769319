import { RedshiftDataServiceException } from '@aws-sdk/client-redshift-data';
import { CancelledError, ConfigError, WarehouseError } from '@sparkify/core';
import type { PollClock } from './poll-clock.js';
import type { RedshiftDataPort, RedshiftTarget } from './redshift-data-port.js';
import { StatementClient } from './statement-client.js';

type Handler = (operation: string, input: Record<string, unknown>) => unknown;

/** A Data API that answers from a script: the SDK boundary, faked at the port. */
function scriptedPort(handler: Handler) {
  const calls: { operation: string; input: Record<string, unknown> }[] = [];
  const port = {
    send: async (command: { input: Record<string, unknown>; constructor: { name: string } }, options?: { abortSignal?: AbortSignal }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      calls.push({ operation, input: command.input });
      if (options?.abortSignal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      return { $metadata: {}, ...(handler(operation, command.input) as object) };
    },
  } as unknown as RedshiftDataPort;
  return { port, calls, of: (operation: string) => calls.filter((c) => c.operation === operation).map((c) => c.input) };
}

/** Time moves only when the client sleeps. */
class FakeClock implements PollClock {
  time = 0;
  readonly sleeps: number[] = [];
  onSleep: (() => void) | undefined;

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    this.onSleep?.();
    if (signal?.aborted) throw signal.reason;
  }
}

const target: RedshiftTarget = { kind: 'cluster', clusterIdentifier: 'dwh', database: 'dev', dbUser: 'awsuser' };

function serviceError(name: string, message: string, fault: 'client' | 'server' = 'client'): RedshiftDataServiceException {
  return new RedshiftDataServiceException({ name, message, $fault: fault, $metadata: { httpStatusCode: fault === 'server' ? 500 : 400 } });
}

function client(handler: Handler, clock = new FakeClock(), polling = {}) {
  const script = scriptedPort(handler);
  let token = 0;
  const statements = new StatementClient({ port: script.port, target, clock, polling, newToken: () => `token-${++token}` });
  return { statements, clock, ...script };
}

/** Describe answers: the statuses in order, then the last one forever. */
function statuses(...sequence: string[]): Handler {
  let polls = 0;
  return (operation) => {
    if (operation === 'ExecuteStatement' || operation === 'BatchExecuteStatement') return { Id: 'stmt-1' };
    if (operation === 'DescribeStatement') {
      const status = sequence[Math.min(polls++, sequence.length - 1)];
      return { Id: 'stmt-1', Status: status, ResultRows: 3, HasResultSet: false, RedshiftQueryId: 77, Error: status === 'FAILED' ? 'ERROR: relation "nowhere" does not exist' : undefined };
    }
    if (operation === 'CancelStatement') return { Status: true };
    throw new Error(`unexpected ${operation}`);
  };
}

describe('StatementClient', () => {
  it('sends the target and a fresh ClientToken per statement, polls at once, then backs off 2 ms doubling to 1 s', async () => {
    const waits = Array.from({ length: 11 }, () => 'STARTED');
    const { statements, clock, of } = client(statuses('SUBMITTED', ...waits, 'FINISHED'));
    const done = await statements.execute({ sql: 'INSERT INTO t VALUES (1)', label: 'insert one' });
    expect(done).toEqual({ id: 'stmt-1', resultRows: 3, hasResultSet: false, redshiftQueryId: 77 });
    expect(clock.sleeps).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000, 1000]);
    expect(of('ExecuteStatement')).toEqual([
      { Sql: 'INSERT INTO t VALUES (1)', ClientToken: 'token-1', ClusterIdentifier: 'dwh', Database: 'dev', DbUser: 'awsuser', StatementName: 'insert one' },
    ]);
    await statements.execute({ sql: 'SELECT 1' });
    expect(of('ExecuteStatement')[1]).toMatchObject({ ClientToken: 'token-2' });
  });

  it('runs in a session by its id, without the target', async () => {
    const { statements, of } = client(statuses('FINISHED'));
    await statements.execute({ sql: 'SELECT 1', sessionId: 'session-9' });
    await statements.execute({ sql: 'BEGIN', keepAliveSeconds: 600 });
    expect(of('ExecuteStatement')).toEqual([
      { Sql: 'SELECT 1', ClientToken: 'token-1', SessionId: 'session-9' },
      { Sql: 'BEGIN', ClientToken: 'token-2', ClusterIdentifier: 'dwh', Database: 'dev', DbUser: 'awsuser', SessionKeepAliveSeconds: 600 },
    ]);
  });

  it('reports a FAILED statement with the database error, the statement id and the SQL', async () => {
    const { statements } = client(statuses('STARTED', 'FAILED'));
    const error = await statements.execute({ sql: 'SELECT * FROM nowhere', label: 'count' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({
      message: 'Redshift refused "count": ERROR: relation "nowhere" does not exist',
      location: { statementId: 'stmt-1', sql: 'SELECT * FROM nowhere' },
      hint: expect.stringContaining('check the table name'),
      details: { statementId: 'stmt-1', retryable: false, redshiftQueryId: 77 },
    });
  });

  it('reports the failed sub-statement of a batch', async () => {
    const { statements, of } = client((operation) => {
      if (operation === 'BatchExecuteStatement') return { Id: 'batch-1' };
      return {
        Id: 'batch-1',
        Status: 'FAILED',
        Error: 'ERROR: syntax error at or near "SELEC"',
        SubStatements: [
          { Id: 'batch-1:1', Status: 'ABORTED', QueryString: 'INSERT INTO t VALUES (1)' },
          { Id: 'batch-1:2', Status: 'FAILED', QueryString: 'SELEC 1', Error: 'ERROR: syntax error at or near "SELEC"' },
        ],
      };
    });
    const error = await statements.batch(['INSERT INTO t VALUES (1)', 'SELEC 1']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'warehouse',
      message: 'Redshift refused a statement (statement 2 of 2): ERROR: syntax error at or near "SELEC"',
      location: { statementId: 'batch-1:2', sql: 'SELEC 1' },
    });
    expect(of('BatchExecuteStatement')).toEqual([{ Sqls: ['INSERT INTO t VALUES (1)', 'SELEC 1'], ClientToken: 'token-1', ClusterIdentifier: 'dwh', Database: 'dev', DbUser: 'awsuser' }]);
  });

  it('reports an ABORTED statement as cancelled', async () => {
    const { statements } = client(statuses('ABORTED'));
    await expect(statements.execute({ sql: 'SELECT 1' })).rejects.toBeInstanceOf(CancelledError);
  });

  it('cancels the statement when the signal aborts while it runs', async () => {
    const controller = new AbortController();
    const { statements, clock, of } = client(statuses('STARTED', 'STARTED', 'STARTED', 'ABORTED'));
    clock.onSleep = () => clock.sleeps.length === 2 && controller.abort();
    const error = await statements.execute({ sql: 'SELECT slow()', signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ location: { statementId: 'stmt-1', sql: 'SELECT slow()' } });
    expect(of('CancelStatement')).toEqual([{ Id: 'stmt-1' }]);
  });

  it('cancels a statement that passes its deadline and says so', async () => {
    const { statements, of } = client(statuses('STARTED'), new FakeClock(), { statementTimeoutMs: 3000 });
    const error = await statements.execute({ sql: 'SELECT slow()' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({ message: 'statement stmt-1 did not finish within 3 s; it was cancelled', details: { retryable: true } });
    expect(of('CancelStatement')).toEqual([{ Id: 'stmt-1' }]);
  });

  it('reads every result page and decodes the fields by column type', async () => {
    const columns = [
      { name: 'id', typeName: 'int4' },
      { name: 'at', typeName: 'timestamptz' },
      { name: 'amount', typeName: 'numeric' },
    ];
    const pages: Record<string, unknown> = {
      first: { Records: [[{ longValue: 1 }, { stringValue: '2018-11-01 21:01:46.796+00' }, { stringValue: '1.50' }]], ColumnMetadata: columns, NextToken: 'p2' },
      p2: { Records: [[{ longValue: 2 }, { isNull: true }, { stringValue: '-0.25' }]], ColumnMetadata: columns, NextToken: 'p3' },
      p3: { Records: [], ColumnMetadata: columns },
    };
    const { statements, of } = client((operation, input) => (operation === 'GetStatementResult' ? pages[(input['NextToken'] as string | undefined) ?? 'first'] : {}));
    const result = await statements.result('stmt-1', 'SELECT ...');
    expect(result).toEqual({
      columns: [
        { name: 'id', type: 'int4' },
        { name: 'at', type: 'timestamptz' },
        { name: 'amount', type: 'numeric' },
      ],
      rows: [
        { id: 1, at: '2018-11-01 21:01:46.796', amount: '1.50' },
        { id: 2, at: null, amount: '-0.25' },
      ],
    });
    expect(of('GetStatementResult')).toEqual([{ Id: 'stmt-1' }, { Id: 'stmt-1', NextToken: 'p2' }, { Id: 'stmt-1', NextToken: 'p3' }]);
  });

  it.each([
    ['ThrottlingException', 'Rate exceeded', 'client', WarehouseError, true],
    ['ValidationException', 'Rate exceeded', 'client', WarehouseError, true],
    ['ActiveStatementsExceededException', 'too many', 'client', WarehouseError, true],
    ['InternalServerException', 'oops', 'server', WarehouseError, true],
    ['DatabaseConnectionException', 'no connection', 'server', WarehouseError, true],
    ['ValidationException', 'Cluster dwh not found', 'client', WarehouseError, false],
    ['ResourceNotFoundException', 'Query does not exist', 'client', WarehouseError, false],
    ['AccessDeniedException', 'not authorized', 'client', ConfigError, undefined],
  ] as const)('maps %s (%s) to %p, retryable %p', async (name, message, fault, type, retryable) => {
    const { statements } = client(() => {
      throw serviceError(name, message, fault);
    });
    const error = await statements.execute({ sql: 'SELECT 1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(`${name}: ${message}`);
    expect((error as Error).message).toContain('cluster dwh, database dev');
    if (retryable !== undefined) expect(error).toMatchObject({ details: { retryable, code: name } });
  });

  it('maps missing credentials to a ConfigError saying what to set', async () => {
    const { statements } = client(() => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    });
    const error = await statements.execute({ sql: 'SELECT 1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ hint: expect.stringContaining('AWS_ACCESS_KEY_ID') });
  });
});
