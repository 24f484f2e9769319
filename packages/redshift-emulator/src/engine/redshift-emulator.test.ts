import { ManualClock, runSql, TEST_TARGET } from '../testing.js';
import { DataApiError } from './data-api-errors.js';
import { RedshiftEmulator } from './redshift-emulator.js';

// One emulator (one PGlite boot) for the file; tests use their own tables.
const clock = new ManualClock();
const emulator = new RedshiftEmulator({ clock, pageSize: 3, maxActiveStatements: 25 });

afterAll(async () => {
  await emulator.close();
});

async function rejection(promise: Promise<unknown>): Promise<DataApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DataApiError) return error;
    throw error;
  }
  throw new Error('expected a Data API error');
}

async function settle(id: string) {
  return emulator.describeStatement({ Id: id, WaitTimeSeconds: 30 });
}

describe('ExecuteStatement, DescribeStatement, GetStatementResult', () => {
  it('returns an id at once, then the statement moves to FINISHED', async () => {
    const output = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 1 as one', StatementName: 'first' });
    expect(output.Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(output).toMatchObject({ ClusterIdentifier: 'emulator', Database: 'dev', DbUser: 'awsuser' });
    const early = await emulator.describeStatement({ Id: output.Id });
    expect(['SUBMITTED', 'PICKED', 'STARTED', 'FINISHED']).toContain(early.Status);
    const done = await settle(output.Id);
    expect(done).toMatchObject({ Id: output.Id, Status: 'FINISHED', HasResultSet: true, ResultRows: 1, QueryString: 'select 1 as one' });
    expect(done.Duration).toBeGreaterThanOrEqual(0);
    expect(done.RedshiftQueryId).toBeGreaterThan(0);
  });

  it('returns typed fields and column metadata', async () => {
    const run = await emulator.executeStatement({
      ...TEST_TARGET,
      Sql: `select 1::smallint as s, 2 as i, 9007199254740993::bigint as b, 1.5::float8 as d, 1.25::real as r,
                   12.30::decimal(10,2) as n, true as t, 'x'::varchar(5) as v, 'ab'::char(3) as c,
                   timestamp '2018-11-01 21:01:46.796' as ts, date '2018-11-30' as dt, null::int as z`,
      WaitTimeSeconds: 30,
    });
    const result = await emulator.getStatementResult({ Id: run.Id });
    expect(result.TotalNumRows).toBe(1);
    expect(result.Records[0]).toEqual([
      { longValue: 1 },
      { longValue: 2 },
      { longValue: 9007199254740992 },
      { doubleValue: 1.5 },
      { doubleValue: 1.25 },
      { stringValue: '12.30' },
      { booleanValue: true },
      { stringValue: 'x' },
      { stringValue: 'ab ' },
      { stringValue: '2018-11-01 21:01:46.796' },
      { stringValue: '2018-11-30' },
      { isNull: true },
    ]);
    expect(result.ColumnMetadata.map((c) => c.typeName)).toEqual([
      'int2', 'int4', 'int8', 'float8', 'float4', 'numeric', 'bool', 'varchar', 'bpchar', 'timestamp', 'date', 'int4',
    ]);
    expect(result.ColumnMetadata[0]).toMatchObject({ name: 's', label: 's', isSigned: true, nullable: 1 });
  });

  it('pages results with NextToken and reports TotalNumRows on every page', async () => {
    const { Id } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select x from (select 1 as x union all select 2 union all select 3 union all select 4 union all select 5) s order by x', WaitTimeSeconds: 30 });
    const first = await emulator.getStatementResult({ Id });
    expect(first.Records).toEqual([[{ longValue: 1 }], [{ longValue: 2 }], [{ longValue: 3 }]]);
    expect(first.TotalNumRows).toBe(5);
    expect(first.NextToken).toBeDefined();
    const second = await emulator.getStatementResult({ Id, NextToken: first.NextToken! });
    expect(second.Records).toEqual([[{ longValue: 4 }], [{ longValue: 5 }]]);
    expect(second.NextToken).toBeUndefined();
    expect((await rejection(emulator.getStatementResult({ Id, NextToken: 'bogus' }))).name).toBe('ValidationException');
  });

  it('binds :name parameters as Redshift converts them', async () => {
    await runSql(emulator, 'create table params_t (id int, name varchar(20), at timestamp)');
    const insert = await runSql(emulator, 'insert into params_t values (:id, :name, :at)', {
      parameters: { id: '7', name: "O'Brien :x", at: '2018-11-01 00:00:01' },
    });
    expect(insert).toMatchObject({ status: 'FINISHED', rowsAffected: 1 });
    const read = await runSql(emulator, "select id, name, at, ':id' as literal from params_t where id = :id", { parameters: { id: '7' } });
    expect(read.rows).toEqual([{ id: 7, name: "O'Brien :x", at: '2018-11-01 00:00:01', literal: ':id' }]);
  });

  it('reads backslash escapes in string literals as Redshift does, and keeps parameter values exact', async () => {
    const run = await runSql(emulator, "select 'a\\\\b' as one, 'tab\\there' as two, :p as three", { parameters: { p: 'x\\y' } });
    expect(run.rows).toEqual([{ one: 'a\\b', two: 'tab\there', three: 'x\\y' }]);
  });

  it('answers bad parameters with ValidationException', async () => {
    const missing = await rejection(emulator.executeStatement({ ...TEST_TARGET, Sql: 'select :a' }));
    expect(missing.name).toBe('ValidationException');
    expect(missing.message).toContain(':a');
    const unused = await rejection(emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 1', Parameters: [{ name: 'b', value: '1' }] }));
    expect(unused.message).toContain("'b' is not used");
  });

  it.each([
    [{ Database: 'dev', DbUser: 'u' }, 'ClusterIdentifier or WorkgroupName'],
    [{ ClusterIdentifier: 'c', WorkgroupName: 'w', Database: 'dev' }, 'not both'],
    [{ ClusterIdentifier: 'c', DbUser: 'u' }, 'Database is required'],
    [{ ClusterIdentifier: 'c', Database: 'dev' }, 'DbUser'],
    [{ WorkgroupName: 'w', Database: 'dev', DbUser: 'u' }, 'serverless'],
    [{ ClusterIdentifier: 'c', Database: 'dev', DbUser: 'u', WaitTimeSeconds: 31 }, 'WaitTimeSeconds'],
    [{ ClusterIdentifier: 'c', Database: 'dev', DbUser: 'u', ResultFormat: 'CSV' as const }, 'CSV'],
  ])('validates the target %j', async (target, message) => {
    const error = await rejection(emulator.executeStatement({ Sql: 'select 1', ...target }));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(message);
  });

  it('accepts a serverless workgroup', async () => {
    const output = await emulator.executeStatement({ WorkgroupName: 'wg', Database: 'dev', Sql: 'select 1', WaitTimeSeconds: 30 });
    expect(output).toMatchObject({ WorkgroupName: 'wg', Status: 'FINISHED', HasResultSet: true });
    expect(output.ClusterIdentifier).toBeUndefined();
  });

  it('fails statements with the database error', async () => {
    const syntax = await runSql(emulator, 'selec 1');
    expect(syntax.status).toBe('FAILED');
    expect(syntax.error).toBe('ERROR: syntax error at or near "selec"');
    const missing = await runSql(emulator, 'select * from no_such_table');
    expect(missing.error).toBe('ERROR: relation "no_such_table" does not exist');
    const two = await runSql(emulator, 'select 1; select 2');
    expect(two.error).toBe('ERROR: cannot insert multiple commands into a prepared statement');
    const postgresOnly = await runSql(emulator, 'insert into params_t values (1) on conflict do nothing');
    expect(postgresOnly.error).toMatch(/^ERROR: INSERT \.\.\. ON CONFLICT is not supported by Amazon Redshift/);
  });

  it('does not enforce PRIMARY KEY or UNIQUE, but keeps key columns NOT NULL', async () => {
    await runSql(emulator, 'create table keys_t (id int primary key, code varchar(5) unique, ref int references params_t(id)) diststyle all sortkey(id)');
    expect((await runSql(emulator, "insert into keys_t values (1, 'a', 99), (1, 'a', 99)")).status).toBe('FINISHED');
    expect((await runSql(emulator, 'select count(*) as n from keys_t')).rows).toEqual([{ n: 2 }]);
    const nullKey = await runSql(emulator, "insert into keys_t values (null, 'b', 1)");
    expect(nullKey.error).toContain('null value in column "id"');
  });

  it('generates IDENTITY(seed, step) values and refuses explicit ones', async () => {
    await runSql(emulator, 'create table identity_t (id bigint identity(0, 1), v varchar(4)) diststyle key distkey(v)');
    await runSql(emulator, "insert into identity_t (v) values ('a'), ('b')");
    expect((await runSql(emulator, 'select id, v from identity_t order by id')).rows).toEqual([
      { id: 0, v: 'a' },
      { id: 1, v: 'b' },
    ]);
    expect((await runSql(emulator, "insert into identity_t values (5, 'c')")).status).toBe('FAILED');
  });

  it('runs Redshift functions GETDATE, NVL, DATEADD and DATEDIFF', async () => {
    const run = await runSql(
      emulator,
      "select nvl(null::int, 3) as a, dateadd(day, 1, '2018-11-30'::timestamp) as b, datediff(hour, '2018-11-01 10:59'::timestamp, '2018-11-01 12:00'::timestamp) as c, getdate() is not null as d",
    );
    expect(run.rows).toEqual([{ a: 3, b: '2018-12-01 00:00:00', c: 2, d: true }]);
  });

  it('reports unknown statements and results that do not exist', async () => {
    const unknown = await rejection(emulator.describeStatement({ Id: '00000000-0000-0000-0000-000000000000' }));
    expect(unknown.name).toBe('ResourceNotFoundException');
    const ddl = await runSql(emulator, 'create table no_result_t (a int)');
    const noResult = await rejection(emulator.getStatementResult({ Id: ddl.id }));
    expect(noResult.name).toBe('ResourceNotFoundException');
    expect(noResult.message).toContain('Query does not have result');
    const failed = await runSql(emulator, 'select * from nothing_here');
    expect((await rejection(emulator.getStatementResult({ Id: failed.id }))).name).toBe('ValidationException');
  });

  it('replays a request with the same ClientToken', async () => {
    await runSql(emulator, 'create table token_t (a int)');
    const input = { ...TEST_TARGET, Sql: 'insert into token_t values (1)', ClientToken: 'token-1' };
    const first = await emulator.executeStatement(input);
    const second = await emulator.executeStatement(input);
    expect(second.Id).toBe(first.Id);
    await settle(first.Id);
    expect((await runSql(emulator, 'select count(*) as n from token_t')).rows).toEqual([{ n: 1 }]);
    const other = await rejection(emulator.executeStatement({ ...input, Sql: 'insert into token_t values (2)' }));
    expect(other.name).toBe('ValidationException');
  });

  it('lists statements by name prefix and status', async () => {
    await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 2', StatementName: 'listed-a', WaitTimeSeconds: 30 });
    await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 3', StatementName: 'listed-b', WaitTimeSeconds: 30 });
    const listed = await emulator.listStatements({ StatementName: 'listed-', Status: 'FINISHED' });
    expect(listed.Statements.map((s) => s.StatementName)).toEqual(['listed-b', 'listed-a']);
    expect(listed.Statements[0]).toMatchObject({ QueryString: 'select 3', IsBatchStatement: false, Status: 'FINISHED' });
    const paged = await emulator.listStatements({ StatementName: 'listed-', MaxResults: 1 });
    expect(paged.Statements).toHaveLength(1);
    expect(paged.NextToken).toBeDefined();
  });
});

describe('BatchExecuteStatement', () => {
  it('runs the statements as one transaction with sub-statement ids', async () => {
    const { Id } = await emulator.batchExecuteStatement({
      ...TEST_TARGET,
      Sqls: ['create table batch_t (a int)', 'insert into batch_t values (1), (2)', 'select a from batch_t order by a'],
      WaitTimeSeconds: 30,
    });
    const described = await settle(Id);
    expect(described.Status).toBe('FINISHED');
    expect(described.HasResultSet).toBe(true);
    expect(described.SubStatements?.map((s) => [s.Id, s.Status, s.ResultRows, s.HasResultSet])).toEqual([
      [`${Id}:1`, 'FINISHED', -1, false],
      [`${Id}:2`, 'FINISHED', 2, false],
      [`${Id}:3`, 'FINISHED', 2, true],
    ]);
    const result = await emulator.getStatementResult({ Id: `${Id}:3` });
    expect(result.Records).toEqual([[{ longValue: 1 }], [{ longValue: 2 }]]);
    expect((await emulator.describeStatement({ Id: `${Id}:2` })).QueryString).toBe('insert into batch_t values (1), (2)');
    expect((await rejection(emulator.getStatementResult({ Id }))).name).toBe('ValidationException');
  });

  it('rolls everything back when one statement fails', async () => {
    const { Id } = await emulator.batchExecuteStatement({
      ...TEST_TARGET,
      Sqls: ['create table batch_fail_t (a int)', 'insert into batch_fail_t values (1)', 'insert into batch_fail_t values (1, 2)', 'select 1'],
    });
    const described = await settle(Id);
    expect(described.Status).toBe('FAILED');
    expect(described.Error).toContain('INSERT has more expressions than target columns');
    expect(described.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'FINISHED', 'FAILED', 'ABORTED']);
    expect((await runSql(emulator, 'select * from batch_fail_t')).error).toContain('does not exist');
  });

  it('commits each statement on its own in AUTO_COMMIT mode', async () => {
    await runSql(emulator, 'create table autocommit_t (a int)');
    const { Id } = await emulator.batchExecuteStatement({
      ...TEST_TARGET,
      ExecutionMode: 'AUTO_COMMIT',
      Sqls: ['insert into autocommit_t values (1)', 'insert into autocommit_t values (1, 2)', 'insert into autocommit_t values (3)'],
    });
    const described = await settle(Id);
    expect(described.Status).toBe('FAILED');
    expect(described.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'FINISHED']);
    expect((await runSql(emulator, 'select a from autocommit_t order by a')).rows).toEqual([{ a: 1 }, { a: 3 }]);
  });

  it('refuses more than 40 statements', async () => {
    const error = await rejection(emulator.batchExecuteStatement({ ...TEST_TARGET, Sqls: Array.from({ length: 41 }, () => 'select 1') }));
    expect(error.name).toBe('ValidationException');
  });
});

describe('sessions and transactions', () => {
  it('keeps temp tables and an open transaction across statements of a session', async () => {
    const first = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'create temp table stage (a int)', SessionKeepAliveSeconds: 60, WaitTimeSeconds: 30 });
    expect(first.SessionId).toBeDefined();
    const sessionId = first.SessionId!;
    expect((await runSql(emulator, 'begin', { sessionId })).status).toBe('FINISHED');
    await runSql(emulator, 'insert into stage values (1), (2)', { sessionId });
    expect((await runSql(emulator, 'select count(*) as n from stage', { sessionId })).rows).toEqual([{ n: 2 }]);

    // Another connection waits for the open transaction (one PGlite connection).
    const waiting = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 42 as answer' });
    expect((await emulator.describeStatement({ Id: waiting.Id })).Status).toBe('SUBMITTED');
    await runSql(emulator, 'rollback', { sessionId });
    expect((await settle(waiting.Id)).Status).toBe('FINISHED');
    expect((await runSql(emulator, 'select count(*) as n from stage', { sessionId })).rows).toEqual([{ n: 0 }]);
  });

  it('drops a one-statement session\'s temp table with it', async () => {
    expect((await runSql(emulator, 'create temp table lonely (a int)')).status).toBe('FINISHED');
    expect((await runSql(emulator, 'select * from lonely')).error).toContain('does not exist');
  });

  it('closes an idle session after SessionKeepAliveSeconds, rolling back its transaction', async () => {
    await runSql(emulator, 'create table expiry_t (a int)');
    const { SessionId } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'begin', SessionKeepAliveSeconds: 10, WaitTimeSeconds: 30 });
    await runSql(emulator, 'insert into expiry_t values (1)', { sessionId: SessionId! });
    const blocked = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select count(*) as n from expiry_t' });
    clock.advance(10_000);
    expect((await settle(blocked.Id)).Status).toBe('FINISHED');
    expect((await emulator.getStatementResult({ Id: blocked.Id })).Records).toEqual([[{ longValue: 0 }]]);
    const gone = await rejection(emulator.executeStatement({ Sql: 'select 1', SessionId: SessionId! }));
    expect(gone.name).toBe('ValidationException');
    expect(gone.message).toContain('not available');
  });

  it('refuses a second statement while the session is busy', async () => {
    const { SessionId } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 1', SessionKeepAliveSeconds: 60, WaitTimeSeconds: 30 });
    emulator.configureFaults({ latencyMs: 1000 });
    try {
      const slow = await emulator.executeStatement({ Sql: 'select 2', SessionId: SessionId! });
      const busy = await rejection(emulator.executeStatement({ Sql: 'select 3', SessionId: SessionId! }));
      expect(busy.message).toContain('busy');
      clock.advance(1000);
      expect((await settle(slow.Id)).Status).toBe('FINISHED');
    } finally {
      emulator.configureFaults({});
    }
  });

  it('fails statements after an error until the transaction ends, and commits with END', async () => {
    await runSql(emulator, 'create table aborted_t (a int)');
    const { SessionId } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'begin', SessionKeepAliveSeconds: 60, WaitTimeSeconds: 30 });
    const sessionId = SessionId!;
    await runSql(emulator, 'insert into aborted_t values (1)', { sessionId });
    expect((await runSql(emulator, 'select nope', { sessionId })).status).toBe('FAILED');
    expect((await runSql(emulator, 'select 1', { sessionId })).error).toContain('current transaction is aborted');
    await runSql(emulator, 'end', { sessionId });
    expect((await runSql(emulator, 'select count(*) as n from aborted_t')).rows).toEqual([{ n: 0 }]);
    await runSql(emulator, 'begin', { sessionId });
    await runSql(emulator, 'insert into aborted_t values (2)', { sessionId });
    await runSql(emulator, 'end', { sessionId });
    expect((await runSql(emulator, 'select a from aborted_t')).rows).toEqual([{ a: 2 }]);
  });

  it('commits the open transaction at TRUNCATE, as Redshift does', async () => {
    await runSql(emulator, 'create table truncate_t (a int)');
    await runSql(emulator, 'create table truncate_other (a int)');
    const { Id } = await emulator.batchExecuteStatement({
      ...TEST_TARGET,
      Sqls: ['insert into truncate_other values (1)', 'truncate truncate_t', 'insert into truncate_other values (2)', 'select nope'],
    });
    expect((await settle(Id)).Status).toBe('FAILED');
    expect((await runSql(emulator, 'select a from truncate_other')).rows).toEqual([{ a: 1 }]);
  });

  it('refuses VACUUM inside a transaction and ignores it outside', async () => {
    expect((await runSql(emulator, 'vacuum delete only keys_t to 75 percent')).status).toBe('FINISHED');
    const { Id } = await emulator.batchExecuteStatement({ ...TEST_TARGET, Sqls: ['select 1', 'vacuum'] });
    expect((await settle(Id)).Error).toBe('ERROR: VACUUM cannot run inside a transaction block');
  });
});

describe('CancelStatement and limits', () => {
  it('aborts a queued statement', async () => {
    const { SessionId } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'begin', SessionKeepAliveSeconds: 60, WaitTimeSeconds: 30 });
    const queued = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 1' });
    expect(await emulator.cancelStatement({ Id: queued.Id })).toEqual({ Status: true });
    expect((await emulator.describeStatement({ Id: queued.Id })).Status).toBe('ABORTED');
    const again = await rejection(emulator.cancelStatement({ Id: queued.Id }));
    expect(again.message).toContain('already in ABORTED state');
    await runSql(emulator, 'rollback', { sessionId: SessionId! });
  });

  it('aborts a picked statement and runs nothing of it', async () => {
    await runSql(emulator, 'create table cancel_t (a int)');
    emulator.configureFaults({ latencyMs: 5000 });
    let id: string;
    try {
      ({ Id: id } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'insert into cancel_t values (1)' }));
      await Promise.resolve();
    } finally {
      emulator.configureFaults({});
    }
    expect(await emulator.cancelStatement({ Id: id })).toEqual({ Status: true });
    expect((await emulator.describeStatement({ Id: id })).Status).toBe('ABORTED');
    expect((await runSql(emulator, 'select count(*) as n from cancel_t')).rows).toEqual([{ n: 0 }]);
  });

  it('answers with ActiveStatementsExceededException past the limit', async () => {
    const { SessionId } = await emulator.executeStatement({ ...TEST_TARGET, Sql: 'begin', SessionKeepAliveSeconds: 60, WaitTimeSeconds: 30 });
    const queued: string[] = [];
    let error: DataApiError | undefined;
    for (let i = 0; i < 30 && !error; i++) {
      try {
        queued.push((await emulator.executeStatement({ ...TEST_TARGET, Sql: 'select 1' })).Id);
      } catch (e) {
        error = e as DataApiError;
      }
    }
    expect(error?.name).toBe('ActiveStatementsExceededException');
    await emulator.cancelStatement({ Id: queued.pop()! });
    await runSql(emulator, 'rollback', { sessionId: SessionId! });
    for (const id of queued) expect((await settle(id)).Status).toBe('FINISHED');
  });

  it('throttles a seeded fraction of calls, the same ones for the same seed', async () => {
    const outcomes = async (): Promise<string[]> => {
      emulator.configureFaults({ faultRate: 0.5, seed: 7 });
      const seen: string[] = [];
      try {
        for (let i = 0; i < 20; i++) {
          seen.push(await emulator.listStatements({ MaxResults: 1 }).then(() => 'ok', (e: DataApiError) => e.name));
        }
      } finally {
        emulator.configureFaults({});
      }
      return seen;
    };
    const first = await outcomes();
    expect(first).toContain('ThrottlingException');
    expect(first).toContain('ok');
    expect(await outcomes()).toEqual(first);
  });

  it('fails chosen statements on purpose', async () => {
    emulator.configureFaults({ failStatement: (sql) => (sql.includes('fail me') ? 'injected failure' : undefined) });
    try {
      expect((await runSql(emulator, "select 'fail me'")).error).toBe('ERROR: injected failure');
      expect((await runSql(emulator, 'select 1')).status).toBe('FINISHED');
    } finally {
      emulator.configureFaults({});
    }
  });
});
