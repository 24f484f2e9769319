import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { FolderBucketStore } from '../s3/folder-bucket-store.js';
import { startEmulatorServer, type EmulatorServer } from './emulator-server.js';

const SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const target = { ClusterIdentifier: 'emulator', Database: 'dev', DbUser: 'awsuser' };

let s3Dir: string;
let server: EmulatorServer;
let data: RedshiftDataClient;
let s3: S3Client;

beforeAll(async () => {
  s3Dir = await mkdtemp(path.join(tmpdir(), 'emulator-s3-'));
  await mkdir(path.join(s3Dir, 'lake', 'events', '2018'), { recursive: true });
  for (const [key, text] of Object.entries({
    'events/2018/a.json': '{"id": 1}\n{"id": 2}\n',
    'events/2018/b.json': '{"id": 3}\n',
    'events/c.json': '{"id": 4}\n',
    'events_old/d.json': '{"id": 5}\n',
    'top.json': '{"id": 6}\n',
  })) {
    await mkdir(path.dirname(path.join(s3Dir, 'lake', key)), { recursive: true });
    await writeFile(path.join(s3Dir, 'lake', key), text);
  }
  server = await startEmulatorServer({
    s3Dir,
    pageSize: 2,
    buckets: { 'udacity-dend': new FolderBucketStore('udacity-dend', SAMPLE) },
  });
  data = new RedshiftDataClient({ endpoint: server.url, region: 'us-west-2', credentials, maxAttempts: 1 });
  s3 = new S3Client({
    endpoint: server.url,
    region: 'us-west-2',
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
});

afterAll(async () => {
  data?.destroy();
  s3?.destroy();
  await server?.close();
  await rm(s3Dir, { recursive: true, force: true });
});

async function finished(id: string) {
  const described = await data.send(new DescribeStatementCommand({ Id: id, WaitTimeSeconds: 30 }));
  return described;
}

describe('the Data API over HTTP with @aws-sdk/client-redshift-data', () => {
  it('executes, describes and pages through a result', async () => {
    const { Id, CreatedAt } = await data.send(
      new ExecuteStatementCommand({ ...target, Sql: 'select x, :label as label from (select 1 as x union all select 2 union all select 3) s order by x', Parameters: [{ name: 'label', value: 'n' }] }),
    );
    expect(CreatedAt).toBeInstanceOf(Date);
    const described = await finished(Id!);
    expect(described).toMatchObject({ Id, Status: 'FINISHED', HasResultSet: true, ResultRows: 3, Database: 'dev', ClusterIdentifier: 'emulator' });
    expect(described.CreatedAt).toBeInstanceOf(Date);
    expect(described.QueryParameters).toEqual([{ name: 'label', value: 'n' }]);
    const first = await data.send(new GetStatementResultCommand({ Id }));
    expect(first.Records).toEqual([
      [{ longValue: 1 }, { stringValue: 'n' }],
      [{ longValue: 2 }, { stringValue: 'n' }],
    ]);
    expect(first.TotalNumRows).toBe(3);
    expect(first.ColumnMetadata?.map((c) => [c.name, c.typeName])).toEqual([
      ['x', 'int4'],
      ['label', 'varchar'],
    ]);
    const second = await data.send(new GetStatementResultCommand({ Id, NextToken: first.NextToken }));
    expect(second.Records).toEqual([[{ longValue: 3 }, { stringValue: 'n' }]]);
    expect(second.NextToken).toBeUndefined();
  });

  it('runs a batch as one transaction and fetches results by sub-statement id', async () => {
    const { Id } = await data.send(
      new BatchExecuteStatementCommand({ ...target, Sqls: ['create table http_batch (a int, b boolean)', 'insert into http_batch values (1, true), (2, null)', 'select a, b from http_batch order by a'] }),
    );
    const described = await finished(Id!);
    expect(described.Status).toBe('FINISHED');
    expect(described.SubStatements?.map((s) => s.Id)).toEqual([`${Id}:1`, `${Id}:2`, `${Id}:3`]);
    const result = await data.send(new GetStatementResultCommand({ Id: `${Id}:3` }));
    expect(result.Records).toEqual([
      [{ longValue: 1 }, { booleanValue: true }],
      [{ longValue: 2 }, { isNull: true }],
    ]);
  });

  it('reports a failed statement with its database error', async () => {
    const { Id } = await data.send(new ExecuteStatementCommand({ ...target, Sql: 'select distinct on (a) a from http_batch' }));
    const described = await finished(Id!);
    expect(described.Status).toBe('FAILED');
    expect(described.Error).toMatch(/^ERROR: SELECT DISTINCT ON is not supported by Amazon Redshift/);
  });

  it('cancels a statement waiting behind an open transaction', async () => {
    const begin = await data.send(new ExecuteStatementCommand({ ...target, Sql: 'begin', SessionKeepAliveSeconds: 60 }));
    await finished(begin.Id!);
    const queued = await data.send(new ExecuteStatementCommand({ ...target, Sql: 'select 1' }));
    expect((await data.send(new CancelStatementCommand({ Id: queued.Id }))).Status).toBe(true);
    expect((await finished(queued.Id!)).Status).toBe('ABORTED');
    const end = await data.send(new ExecuteStatementCommand({ Sql: 'rollback', SessionId: begin.SessionId }));
    expect((await finished(end.Id!)).Status).toBe('FINISHED');
  });

  it('answers errors with the SDK exception classes', async () => {
    const validation = await data.send(new ExecuteStatementCommand({ Database: 'dev', Sql: 'select 1' })).catch((e: unknown) => e);
    expect(validation).toBeInstanceOf(ValidationException);
    expect((validation as ValidationException).message).toContain('ClusterIdentifier or WorkgroupName');
    expect((validation as ValidationException).$metadata.httpStatusCode).toBe(400);
    const missing = await data.send(new DescribeStatementCommand({ Id: '3f0a3c1e-0000-4000-8000-000000000000' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists statements', async () => {
    await data.send(new ExecuteStatementCommand({ ...target, Sql: 'select 1', StatementName: 'http-listed', WaitTimeSeconds: 30 }));
    const listed = await data.send(new ListStatementsCommand({ StatementName: 'http-listed' }));
    expect(listed.Statements?.[0]).toMatchObject({ StatementName: 'http-listed', Status: 'FINISHED', IsBatchStatement: false });
    expect(listed.Statements?.[0]?.CreatedAt).toBeInstanceOf(Date);
  });

  it('runs the Sparkify COPY from a bucket, through the S3 folder', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'paths/ids.json', Body: '{"jsonpaths": ["$.id"]}' }));
    const { Id } = await data.send(
      new BatchExecuteStatementCommand({
        ...target,
        Sqls: [
          'create table http_ids (id int)',
          "copy http_ids from 's3://lake/events' iam_role 'arn:aws:iam::123456789012:role/dwhRole' format as json 's3://lake/paths/ids.json' region 'us-west-2'",
          'select count(*) as n from http_ids',
        ],
      }),
    );
    expect((await finished(Id!)).Status).toBe('FINISHED');
    expect((await data.send(new GetStatementResultCommand({ Id: `${Id}:3` }))).Records).toEqual([[{ longValue: 5 }]]);
    const sample = await data.send(
      new BatchExecuteStatementCommand({
        ...target,
        Sqls: [
          'create table http_songs (num_songs int, artist_id varchar(64), artist_latitude float, artist_longitude float, artist_location varchar(1024), artist_name varchar(1024), song_id varchar(64), title varchar(1024), duration float, year int)',
          "copy http_songs from 's3://udacity-dend/song_data' iam_role default format as json 'auto'",
        ],
      }),
    );
    const described = await finished(sample.Id!);
    expect(described.SubStatements?.[1]?.ResultRows).toBe(71);
  });

  it('refuses unsigned requests', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'RedshiftData.ListStatements' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect((await fetch(`${server.url}/lake/top.json`)).status).toBe(403);
  });

  it('throttles every call at faultRate 1', async () => {
    const throttled = await startEmulatorServer({ faultRate: 1, seed: 3 });
    const client = new RedshiftDataClient({ endpoint: throttled.url, region: 'us-west-2', credentials, maxAttempts: 1 });
    try {
      const error = await client.send(new ListStatementsCommand({})).catch((e: unknown) => e);
      expect((error as Error).name).toBe('ThrottlingException');
      expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    } finally {
      client.destroy();
      await throttled.close();
    }
  });
});

describe('S3 over HTTP with @aws-sdk/client-s3', () => {
  it('lists a prefix page by page with continuation tokens', async () => {
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'lake', Prefix: 'events' })) {
      pages += 1;
      for (const object of page.Contents ?? []) keys.push(object.Key!);
    }
    expect(keys).toEqual(['events/2018/a.json', 'events/2018/b.json', 'events/c.json', 'events_old/d.json']);
    expect(pages).toBe(2);
  });

  it('rolls keys up into common prefixes with a delimiter', async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'events/', Delimiter: '/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['events/c.json']);
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['events/2018/']);
    expect(listed.KeyCount).toBe(2);
    expect(listed.Contents?.[0]).toMatchObject({ Size: 10, ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
    expect(listed.Contents?.[0]?.LastModified).toBeInstanceOf(Date);
  });

  it('puts, heads and gets objects, whole and by range', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'new/file name.json', Body: '{"hello": "world"}' }));
    expect(put.ETag).toBe('"49dfdd54b01cbcd2d2ab5e9e5ee6b9b9"');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'new/file name.json' }));
    expect(head).toMatchObject({ ContentLength: 18, ETag: put.ETag });
    const whole = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'new/file name.json' }));
    expect(await whole.Body?.transformToString()).toBe('{"hello": "world"}');
    const range = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'new/file name.json', Range: 'bytes=2-6' }));
    expect(await range.Body?.transformToString()).toBe('hello');
    expect(range.ContentRange).toBe('bytes 2-6/18');
  });

  it('accepts uploads with the SDK default checksums (aws-chunked bodies)', async () => {
    const client = new S3Client({ endpoint: server.url, region: 'us-west-2', credentials, forcePathStyle: true, maxAttempts: 1 });
    try {
      await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'checksummed.json', Body: Buffer.from('{"id": 9}\n') }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'checksummed.json' }));
      expect(await got.Body?.transformToString()).toBe('{"id": 9}\n');
      const streamed = Readable.from([Buffer.from('{"id": 10}\n'), Buffer.from('{"id": 11}\n')]);
      await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'streamed.json', Body: streamed, ContentLength: 22 }));
      const read = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'streamed.json' }));
      expect(await read.Body?.transformToString()).toBe('{"id": 10}\n{"id": 11}\n');
    } finally {
      client.destroy();
    }
  });

  it('creates buckets, lists them and deletes objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'fresh-bucket' }));
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toEqual(['fresh-bucket', 'lake']);
    await s3.send(new PutObjectCommand({ Bucket: 'fresh-bucket', Key: 'x/y.json', Body: '{}' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'fresh-bucket', Key: 'x/y.json' }));
    const gone = await s3.send(new HeadObjectCommand({ Bucket: 'fresh-bucket', Key: 'x/y.json' })).catch((e: unknown) => e);
    expect((gone as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  });

  it('answers missing keys and buckets as S3 does', async () => {
    const missingKey = await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'nope.json' })).catch((e: unknown) => e);
    expect(missingKey).toBeInstanceOf(NoSuchKey);
    const missingHead = await s3.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'nope.json' })).catch((e: unknown) => e);
    expect((missingHead as S3ServiceException).$metadata.httpStatusCode).toBe(404);
    const missingBucket = await s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })).catch((e: unknown) => e);
    expect((missingBucket as S3ServiceException).name).toBe('NoSuchBucket');
  });
});
