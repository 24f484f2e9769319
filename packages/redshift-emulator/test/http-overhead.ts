// Measures the per-statement overhead of the emulator over HTTP with the real SDK client.
// Usage: pnpm tsx packages/redshift-emulator/test/http-overhead.ts [statements]
import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { startEmulatorServer } from '../src/index.js';
import { dataApiClientConfig } from '../src/testing.js';

const statements = Number(process.argv[2] ?? 300);
const target = { ClusterIdentifier: 'emulator', Database: 'dev', DbUser: 'awsuser' };

const server = await startEmulatorServer();
const client = new RedshiftDataClient(dataApiClientConfig(server));
try {
  const warm = await client.send(new ExecuteStatementCommand({ ...target, Sql: 'select 1', WaitTimeSeconds: 30 }));
  await client.send(new DescribeStatementCommand({ Id: warm.Id }));
  const start = performance.now();
  for (let i = 0; i < statements; i++) {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...target, Sql: 'select :i as i', Parameters: [{ name: 'i', value: String(i) }] }));
    await client.send(new DescribeStatementCommand({ Id, WaitTimeSeconds: 30 }));
    await client.send(new GetStatementResultCommand({ Id }));
  }
  const ms = (performance.now() - start) / statements;
  console.log(`over HTTP (execute + describe with WaitTimeSeconds + get result): ${ms.toFixed(2)} ms per statement, ${(ms / 3).toFixed(2)} ms per call`);
} finally {
  client.destroy();
  await server.close();
}
