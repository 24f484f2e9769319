import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorServer } from '@sparkify/redshift-emulator';
import { REDSHIFT_PIPELINE, REPO_ROOT, removeDir, startSampleEmulator, tempDir, cliArgs, type SampleEmulator } from '../src/testing.js';

// Secrets never appear in output, --json events, plan, error messages or files the tool writes.
const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIDSPARKIFYTEST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-Kx9q-7f3e-never-print',
  AWS_SESSION_TOKEN: 'session-token-Zq81-never-print',
  SPARKIFY_SECRET_ARN: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:dwh-creds-Ab12Cd',
};
const MUST_NOT_APPEAR = [SECRETS.AWS_SECRET_ACCESS_KEY, SECRETS.AWS_SESSION_TOKEN, SECRETS.SPARKIFY_SECRET_ARN, 'Db-Pass-w0rd-never-print'];

function sparkify(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs([...args]), { cwd: REPO_ROOT, env: { ...process.env, ...SECRETS } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

let server: EmulatorServer;
let sample: SampleEmulator;
let dir: string;
let secretPipeline: string;

beforeAll(async () => {
  dir = await tempDir('sparkify-secrets-');
  sample = await startSampleEmulator();
  server = sample.server;
  // The Redshift pipeline authenticating with a Secrets Manager ARN read from a ${secret:…} value.
  const pipeline = JSON.parse(await readFile(REDSHIFT_PIPELINE, 'utf8')) as { params: Record<string, Record<string, unknown>>; $schema?: string };
  pipeline.params['secretArn'] = { ...pipeline.params['secretArn'], default: '${secret:SPARKIFY_SECRET_ARN}' };
  pipeline.params['dbUser'] = { ...pipeline.params['dbUser'], default: '' };
  delete pipeline.$schema;
  secretPipeline = join(dir, 'redshift-secret.json');
  await writeFile(secretPipeline, JSON.stringify(pipeline));
  await writeFile(
    join(dir, 'dwh.cfg'),
    "[CLUSTER]\nHOST=dwhcluster.abc.us-west-2.redshift.amazonaws.com\nDB_NAME=dwh\nDB_USER=dwhuser\nDB_PASSWORD='Db-Pass-w0rd-never-print'\nDB_PORT=5439\n[IAM_ROLE]\nARN=arn:aws:iam::123456789012:role/dwhRole\n[S3]\nLOG_DATA=s3://udacity-dend/log_data\nLOG_JSONPATH=s3://udacity-dend/log_json_path.json\nSONG_DATA=s3://udacity-dend/song_data\n",
  );
}, 60_000);

afterAll(async () => {
  await sample?.close();
  await removeDir(dir);
});

const endpoint = () => `endpoint=${server.url}`;

it.each([
  ['run --json', () => ['run', secretPipeline, '--json', '--param', endpoint()], 0],
  ['run', () => ['run', secretPipeline, '--param', endpoint()], 0],
  ['plan', () => ['plan', secretPipeline, '--param', endpoint()], 0],
  ['plan --json', () => ['plan', secretPipeline, '--json', '--param', endpoint()], 0],
  ['validate --json', () => ['validate', secretPipeline, '--json'], 0],
  ['a failing run (unreachable endpoint)', () => ['run', secretPipeline, '--param', 'endpoint=http://127.0.0.1:9'], 4],
  ['a failing run, --json', () => ['run', secretPipeline, '--json', '--param', 'endpoint=http://127.0.0.1:9'], 4],
  ['a config error', () => ['run', secretPipeline, '--param', endpoint(), '--param', 'region=nowhere'], 2],
  ['etl --config dwh.cfg', () => ['etl', '--config', join(dir, 'dwh.cfg'), '--endpoint', 'http://127.0.0.1:9'], 4],
])('%s prints no secret', async (_name, args, exitCode) => {
  const { code, output } = await sparkify(args());
  for (const secret of MUST_NOT_APPEAR) expect(output).not.toContain(secret);
  expect(code).toBe(exitCode);
}, 60_000);

it('shows secrets redacted in plan', async () => {
  const { output } = await sparkify(['plan', secretPipeline, '--json', '--param', endpoint()]);
  expect(output).not.toContain(SECRETS.SPARKIFY_SECRET_ARN);
  expect(JSON.parse(output)).toMatchObject({ pipeline: 'sparkify-redshift' });
}, 60_000);

it('redacts a secret that flows into printed places: an error naming a path built from it', async () => {
  const folder = join(dir, 'private-folder-never-print');
  const pipeline = JSON.parse(await readFile(join(REPO_ROOT, 'pipelines/local.json'), 'utf8')) as { params: Record<string, Record<string, unknown>>; $schema?: string };
  pipeline.params['data'] = { ...pipeline.params['data'], default: '${secret:SPARKIFY_DATA}' };
  delete pipeline.$schema;
  const file = join(dir, 'local-secret-data.json');
  await writeFile(file, JSON.stringify(pipeline));
  for (const json of [false, true]) {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
      const args = ['run', file, '--param', 'warehouse=:memory:', ...(json ? ['--json'] : [])];
      const child = spawn(process.execPath, cliArgs([...args]), { cwd: REPO_ROOT, env: { ...process.env, SPARKIFY_DATA: folder } });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit ?? -1, output: text }));
    });
    expect(code).toBe(3);
    expect(output).toMatch(/no such folder: \*\*\*/);
    expect(output).not.toContain('private-folder-never-print');
  }
}, 60_000);
