import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError, loadPipelineFile } from '@sparkify/core';
import { createRootContainer, registryOf } from '../src/cli/composition-root.js';
import {
  copyDataset,
  dumpWarehouse,
  LOCAL_PIPELINE,
  REDSHIFT_PIPELINE,
  removeDir,
  runPipelineFile,
  tempDir,
  UDACITY_SAMPLE,
} from '../src/testing.js';

// Every kind of bad input: a clear message naming the file and line, the field or the config
// path; the exit code of its class; and the warehouse exactly as it was.
let dir: string;
let warehouse: string;
let before: Record<string, unknown[]>;

beforeAll(async () => {
  dir = await tempDir('sparkify-bad-input-');
  warehouse = join(dir, 'warehouse.duckdb');
  expect((await runPipelineFile(LOCAL_PIPELINE, { data: UDACITY_SAMPLE, warehouse })).error).toBeUndefined();
  before = await dumpWarehouse(LOCAL_PIPELINE, { data: UDACITY_SAMPLE, warehouse });
}, 60_000);

afterAll(async () => {
  await removeDir(dir);
});

const logsOf = (data: string) => join(data, 'log_data/2018/11');
async function firstLog(data: string): Promise<string> {
  return join(logsOf(data), (await readdir(logsOf(data))).sort()[0]!);
}

type Breaker = (data: string) => Promise<void>;
const cases: [string, Breaker, number, RegExp][] = [
  [
    'a malformed JSON record',
    async (d) => writeFile(await firstLog(d), `${await readFile(await firstLog(d), 'utf8')}\n{"artist": "x", "ts": 1541105830796,,}\n`),
    3,
    /2018-11-01-events\.json line 16: malformed JSON/,
  ],
  [
    'a truncated gzip file',
    async (d) => {
      const file = await firstLog(d);
      const zipped = gzipSync(await readFile(file));
      await rm(file);
      await writeFile(`${file}.gz`, zipped.subarray(0, Math.floor(zipped.length / 2)));
    },
    3,
    /2018-11-01-events\.json\.gz/,
  ],
  [
    'a ts that is not a number',
    async (d) => {
      const file = await firstLog(d);
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines[4] = lines[4]!.replace(/"ts":\d+/, '"ts":"yesterday"');
      await writeFile(file, lines.join('\n'));
    },
    3,
    /2018-11-01-events\.json line 5, column ts: .*"yesterday"/,
  ],
  ['a missing JSONPaths file', async (d) => rm(join(d, 'log_json_path.json')), 3, /log_json_path\.json/],
  ['a malformed JSONPaths file', async (d) => writeFile(join(d, 'log_json_path.json'), '{"jsonpaths": ["$[\'artist\'"'), 3, /JSONPaths file .*log_json_path\.json/],
  [
    'a JSONPaths file whose arity differs from the table',
    async (d) => writeFile(join(d, 'log_json_path.json'), JSON.stringify({ jsonpaths: ["$['artist']", "$['auth']"] })),
    3,
    /log_json_path\.json has 2 expression\(s\) but the target table has 18 column\(s\)/,
  ],
  [
    'an empty log folder',
    async (d) => {
      await rm(join(d, 'log_data'), { recursive: true });
      await mkdir(join(d, 'log_data'));
    },
    3,
    /no files match .*log_data/,
  ],
  ['a data folder without song_data', async (d) => rm(join(d, 'song_data'), { recursive: true }), 3, /song_data/],
];

describe('bad input on the local path', () => {
  it.each(cases)('%s', async (name, breakIt, exitCode, message) => {
    const data = await copyDataset(UDACITY_SAMPLE, join(dir, name.replace(/\W+/g, '-')));
    await breakIt(data);
    const run = await runPipelineFile(LOCAL_PIPELINE, { data, warehouse });
    expect(run.error?.exitCode).toBe(exitCode);
    expect(run.error?.message).toMatch(message);
    expect(await dumpWarehouse(LOCAL_PIPELINE, { data, warehouse })).toEqual(before);
  }, 60_000);

  it('a missing data folder', async () => {
    const run = await runPipelineFile(LOCAL_PIPELINE, { data: join(dir, 'no-such-folder'), warehouse });
    expect(run.error).toMatchObject({ kind: 'input', exitCode: 3, message: expect.stringContaining('no-such-folder') });
    expect(await dumpWarehouse(LOCAL_PIPELINE, { data: UDACITY_SAMPLE, warehouse })).toEqual(before);
  });
});

describe('bad config on the Redshift path, caught offline', () => {
  const load = (params: Record<string, string>, env: Record<string, string> = {}) =>
    loadPipelineFile(REDSHIFT_PIPELINE, { registry: registryOf(createRootContainer(env)), params, env });

  it.each([
    ['a malformed S3 URI', { s3: 's3:/udacity-dend' }, 'resources.events.with.uri', /not an S3 URI/],
    ['a bucket name S3 would refuse', { s3: 's3://Udacity_Dend' }, 'resources.events.with.uri', /bucket/i],
    ['a malformed IAM role ARN', { iamRole: 'arn:aws:iam::12345:role/dwhRole' }, 'resources.warehouse.with.iamRole', /IAM role ARN/],
    ['an unknown region', { region: 'mars-north-1' }, 'resources.events.with.region', /region/],
  ])('%s', async (_name, params, configPath, message) => {
    const error = await load(params).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).location.configPath).toBe(configPath);
  });

  it('rejects a table name such as "users; drop table songs" with its config path', async () => {
    const pipeline = JSON.parse(await readFile(LOCAL_PIPELINE, 'utf8')) as { steps: { with: Record<string, unknown> }[]; $schema?: string };
    pipeline.steps[1]!.with['table'] = 'users; drop table songs';
    const file = join(dir, 'injection.json');
    await writeFile(file, JSON.stringify(pipeline));
    const error = await loadPipelineFile(file, { registry: registryOf(createRootContainer({})), env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).location.configPath).toBe('steps[1].with.table');
  });

  it('an environment variable that is not set', async () => {
    const pipeline = JSON.parse(await readFile(REDSHIFT_PIPELINE, 'utf8')) as { params: Record<string, Record<string, unknown>> };
    pipeline.params['region'] = { type: 'string', default: '${env:SPARKIFY_NO_SUCH_VARIABLE}' };
    const file = join(dir, 'env.json');
    await writeFile(file, JSON.stringify(pipeline));
    await expect(loadPipelineFile(file, { registry: registryOf(createRootContainer({})), env: {} })).rejects.toThrow(
      /params\.region\.default: environment variable SPARKIFY_NO_SUCH_VARIABLE is not set/,
    );
  });
});
