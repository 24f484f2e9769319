import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_PIPELINE, REPO_ROOT, removeDir, tempDir, UDACITY_SAMPLE, cliArgs } from '../src/testing.js';


/** Runs the real CLI as a user would, in a child process. */
function sparkify(args: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs([...args]), { cwd, env: { ...env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('sparkify-cli-');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('sparkify CLI', () => {
  it('runs with --json: every stdout line is one JSON event, ending with run.finished', async () => {
    const warehouse = join(dir, 'cli.duckdb');
    const { code, stdout, stderr } = await sparkify(['run', LOCAL_PIPELINE, '--json', '--param', `data=${UDACITY_SAMPLE}`, '--param', `warehouse=${warehouse}`]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(events[0]!.type).toBe('run.started');
    expect(events.at(-1)!.type).toBe('run.finished');

    const query = await sparkify(['query', LOCAL_PIPELINE, '--json', '--param', `warehouse=${warehouse}`, "SELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level"]);
    expect(query.code).toBe(0);
    expect(JSON.parse(query.stdout)).toEqual([
      { level: 'free', n: 74 },
      { level: 'paid', n: 22 },
    ]);
  });

  it('prints a summary with tables, rows and checks without --json, and no escape codes off a terminal', async () => {
    const { code, stdout } = await sparkify(['run', LOCAL_PIPELINE, '--param', `data=${UDACITY_SAMPLE}`, '--param', `warehouse=${join(dir, 'plain.duckdb')}`]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/songplays\s+6,820/);
    expect(stdout).toMatch(/checks: \d+ passed, 0 failed/);
    expect(stdout).not.toContain('\x1b[');
  });

  it('resolves relative --param paths against the directory the command is typed in', async () => {
    await writeFile(join(dir, 'marker'), '');
    const { code, stdout } = await sparkify(['validate', LOCAL_PIPELINE, '--json', '--param', 'warehouse=here.duckdb'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true });
    const plan = await sparkify(['plan', LOCAL_PIPELINE, '--json', '--param', 'warehouse=here.duckdb', '--param', `data=${UDACITY_SAMPLE}`], dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('CREATE TABLE');
  });

  it.each([
    [['validate', 'nope.json'], 2, /cannot read pipeline file .*nope\.json/],
    [['validate', LOCAL_PIPELINE, '--param', 'dta=x'], 2, /--param dta: the pipeline declares no param "dta"; did you mean "data"\?/],
    [['validate', LOCAL_PIPELINE, '--param', 'maxErrors=lots'], 2, /expects an integer/],
    [['run', LOCAL_PIPELINE, '--param', 'data=/no/such/folder', '--param', 'warehouse=:memory:'], 3, /\/no\/such\/folder/],
    [['rnu'], 2, /Did you mean run\?/i],
  ])('%j exits %i with a clear message', async (args, exitCode, message) => {
    const { code, stderr } = await sparkify(args);
    expect(stderr).toMatch(message);
    expect(code).toBe(exitCode);
  });

  it('says clearly that AWS credentials are missing, without a stack trace or probing instance metadata', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const { code, stderr } = await sparkify(['run', join(REPO_ROOT, 'pipelines/redshift.json'), '--param', 'endpoint=http://127.0.0.1:9'], REPO_ROOT, env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no AWS credentials for the endpoint http:\/\/127\.0\.0\.1:9/);
    expect(stderr).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports invalid JSON in a pipeline file with line and column', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "name": "x",\n  "steps": [\n    {"id": "a",}\n  ]\n}\n');
    const { code, stderr } = await sparkify(['validate', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:4:16: invalid JSON: a trailing comma before "}"`);
  });
});

describe('sparkify emulator', () => {
  it('prints exactly one line, "listening on URL", serves the Data API, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, cliArgs(['emulator', '--port', '0']), { cwd: REPO_ROOT, env: { ...process.env } });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('error', reject);
      child.on('close', (code) => reject(new Error(`emulator exited with ${code} before listening`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'RedshiftData.DescribeStatement',
        authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261125/us-west-2/redshift-data/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      },
      body: JSON.stringify({ Id: 'no-such-statement' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'ResourceNotFoundException' });
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stdout).toBe(`listening on ${url}\n`);
  }, 60_000);
});
