import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListDatabasesCommand,
  type BatchExecuteStatementCommandOutput,
  type CancelStatementCommandOutput,
  type DescribeStatementCommandOutput,
  type ExecuteStatementCommandOutput,
  type GetStatementResultCommandOutput,
  type ListStatementsCommandOutput,
} from '@aws-sdk/client-redshift-data';
import type {
  BatchExecuteStatementOutput,
  CancelStatementOutput,
  DescribeStatementOutput,
  ExecuteStatementOutput,
  GetStatementResultOutput,
  ListStatementsOutput,
} from '../engine/data-api-types.js';
import { RedshiftEmulator } from '../engine/redshift-emulator.js';
import { TEST_TARGET } from '../testing.js';
import { createEmulatorClient } from './emulator-client.js';

// The emulator's outputs must stay assignable to the SDK's (checked by `pnpm typecheck`).
type Sdk<T> = Omit<T, '$metadata'>;
type Assert<T extends true> = T;
export type OutputsMatchTheSdk = [
  Assert<ExecuteStatementOutput extends Sdk<ExecuteStatementCommandOutput> ? true : false>,
  Assert<BatchExecuteStatementOutput extends Sdk<BatchExecuteStatementCommandOutput> ? true : false>,
  Assert<DescribeStatementOutput extends Sdk<DescribeStatementCommandOutput> ? true : false>,
  Assert<GetStatementResultOutput extends Sdk<GetStatementResultCommandOutput> ? true : false>,
  Assert<CancelStatementOutput extends Sdk<CancelStatementCommandOutput> ? true : false>,
  Assert<ListStatementsOutput extends Sdk<ListStatementsCommandOutput> ? true : false>,
];

const emulator = new RedshiftEmulator();
afterAll(async () => {
  await emulator.close();
});

describe('createEmulatorClient', () => {
  const client = createEmulatorClient(emulator);

  it('runs the SDK command objects in process', async () => {
    const { Id } = await client.send<ExecuteStatementCommandOutput>(new ExecuteStatementCommand({ ...TEST_TARGET, Sql: 'select 41 + 1 as answer' }));
    const described = await client.send<DescribeStatementCommandOutput>(new DescribeStatementCommand({ Id, WaitTimeSeconds: 30 }));
    expect(described.Status).toBe('FINISHED');
    expect(described.$metadata.httpStatusCode).toBe(200);
    const result = await client.send<GetStatementResultCommandOutput>(new GetStatementResultCommand({ Id }));
    expect(result.Records).toEqual([[{ longValue: 42 }]]);
    const batch = await client.send<BatchExecuteStatementCommandOutput>(new BatchExecuteStatementCommand({ ...TEST_TARGET, Sqls: ['select 1', 'select 2'], WaitTimeSeconds: 30 }));
    expect(batch.Id).toBeDefined();
  });

  it('fits a port typed with the SDK outputs', async () => {
    interface DataApiPort {
      send(command: ExecuteStatementCommand): Promise<ExecuteStatementCommandOutput>;
    }
    const port: DataApiPort = client;
    expect((await port.send(new ExecuteStatementCommand({ ...TEST_TARGET, Sql: 'select 1' }))).Id).toBeDefined();
  });

  it('refuses operations the emulator does not implement, and aborted calls', async () => {
    await expect(client.send(new ListDatabasesCommand({ Database: 'dev' }))).rejects.toMatchObject({ name: 'ValidationException' });
    const aborted = AbortSignal.abort();
    await expect(client.send(new ExecuteStatementCommand({ ...TEST_TARGET, Sql: 'select 1' }), { abortSignal: aborted })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
