import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineTable, InputDataError, type Sink, type TableSpec } from '@sparkify/core';
import { describeSinkContract, memorySource } from '@sparkify/core/testing';
import { startEmulatorServer, type EmulatorServer } from '@sparkify/redshift-emulator';
import { createS3JsonSource, sourceS3ConfigSchema, type AwsCredentials } from '@sparkify/source-s3';
import { stagingEventsTable, stagingSongsTable, UDACITY_SAMPLE, UDACITY_SAMPLE_ROWS } from '@sparkify/source-s3/testing';
import { createRedshiftDataClient } from '../data-api/redshift-data-client.js';
import { DATA_API_CONTRACT_SKIPS, EMULATOR_TARGET, ImmediatePollClock } from '../testing.js';
import { RedshiftSink } from './redshift-sink.js';

// One emulator server for the file, reached only over HTTP by the real SDK clients. Its S3
// serves a temporary folder: `udacity-dend` links to the real sample, `sink-http` holds test files.
const credentials: AwsCredentials = { accessKeyId: 'emulator', secretAccessKey: 'emulator' };
let root: string;
let server: EmulatorServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sink-redshift-http-'));
  await symlink(UDACITY_SAMPLE, path.join(root, 'udacity-dend'), 'dir');
  await mkdir(path.join(root, 'sink-http', 'bad'), { recursive: true });
  const good = (id: number) => `{"id": ${id}, "name": "n${id}"}`;
  await writeFile(path.join(root, 'sink-http', 'bad', 'a.json'), [good(1), '{"id": "x", "name": "n2"}', good(3), 'not json', good(5)].join('\n'));
  server = await startEmulatorServer({ s3Dir: root, latencyMs: 1 });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function httpSink(): RedshiftSink {
  const client = createRedshiftDataClient({ region: 'us-west-2', endpoint: server.url, credentials });
  return new RedshiftSink({
    port: client,
    target: EMULATOR_TARGET,
    endpoint: server.url,
    iamRole: 'arn:aws:iam::123456789012:role/dwhRole',
    clock: new ImmediatePollClock(),
    onClose: () => client.destroy(),
  });
}

describeSinkContract('RedshiftSink over the emulator (HTTP, the real SDK client)', async () => ({ sink: httpSink(), source: memorySource }), {
  slowQuery: 'SELECT 1 AS slow',
  skipTests: DATA_API_CONTRACT_SKIPS,
});

describe('RedshiftSink over HTTP loading from the emulator S3', () => {
  let sink: Sink;
  beforeEach(() => {
    sink = httpSink();
  });
  afterEach(() => sink.close());

  const s3Source = (config: Record<string, unknown>) => createS3JsonSource(sourceS3ConfigSchema.parse({ endpoint: server.url, ...config }), { credentials });

  async function recreate(table: TableSpec): Promise<void> {
    await sink.transaction([sink.dialect.renderDropTable(table.name), sink.dialect.renderCreateTable(table)]);
  }

  it('decodes the wire values into the documented shapes', async () => {
    const result = await sink.query(
      "SELECT CAST(1 AS INTEGER) + 1 AS two, CAST('12.50' AS DECIMAL(10,2)) AS money, CAST('2018-11-01 21:01:46.5' AS TIMESTAMP) AS at, " +
        "CAST('2018-11-01 23:01:46.5+02' AS TIMESTAMPTZ) AS at_tz, CAST('2018-11-01' AS DATE) AS day, CAST(NULL AS INTEGER) AS nothing, 1 = 1 AS yes, CAST(0.25 AS DOUBLE PRECISION) AS quarter",
    );
    expect(result.rows).toEqual([{ two: 2, money: '12.50', at: '2018-11-01 21:01:46.5', at_tz: '2018-11-01 21:01:46.5', day: '2018-11-01', nothing: null, yes: true, quarter: 0.25 }]);
  });

  it('COPYs the Udacity sample in one unit of work: 8056 events and 71 songs', async () => {
    await recreate(stagingEventsTable);
    await recreate(stagingSongsTable);
    await sink.begin();
    const events = await sink.load({
      source: s3Source({ uri: 's3://udacity-dend/log_data', jsonPaths: 's3://udacity-dend/log_json_path.json', timeFormat: 'epochmillisecs' }),
      table: stagingEventsTable,
      maxErrors: 0,
    });
    const songs = await sink.load({ source: s3Source({ uri: 's3://udacity-dend/song_data' }), table: stagingSongsTable, maxErrors: 0 });
    await sink.commit();
    expect(events).toMatchObject({ rowsRead: UDACITY_SAMPLE_ROWS.stagingEvents, rowsLoaded: UDACITY_SAMPLE_ROWS.stagingEvents, path: 'server' });
    expect(songs).toMatchObject({ rowsRead: UDACITY_SAMPLE_ROWS.stagingSongs, rowsLoaded: UDACITY_SAMPLE_ROWS.stagingSongs, path: 'server' });
    const counts = await sink.query('SELECT (SELECT COUNT(*) FROM staging_events) AS events, (SELECT COUNT(*) FROM staging_songs) AS songs');
    expect(counts.rows).toEqual([{ events: UDACITY_SAMPLE_ROWS.stagingEvents, songs: UDACITY_SAMPLE_ROWS.stagingSongs }]);
  });

  it('reports a failed COPY with its load errors (file, line, reason) and leaves the table unchanged; MAXERROR lets them through', async () => {
    const table = defineTable({ name: 'sink_http_events', columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'varchar(8)' }] });
    await recreate(table);
    const source = () => s3Source({ uri: 's3://sink-http/bad/' });
    const error = await sink.load({ source: source(), table, maxErrors: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputDataError);
    expect(error).toMatchObject({
      message: expect.stringContaining('COPY into sink_http_events failed: 2 bad record(s), more than maxErrors (1) allows; first: s3://sink-http/bad/a.json line 2, column id'),
      location: { file: 's3://sink-http/bad/a.json', line: 2 },
      details: { rejectedCount: 2, rejected: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 4, reason: expect.any(String) })] },
    });
    expect((await sink.query('SELECT COUNT(*) AS n FROM sink_http_events')).rows).toEqual([{ n: 0 }]);
    expect(await sink.load({ source: source(), table, maxErrors: 2 })).toMatchObject({ rowsRead: 5, rowsLoaded: 3, rowsRejected: 2 });
  });
});
