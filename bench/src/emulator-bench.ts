// The Redshift pipeline's work against the emulator: COPY (events through their JSONPaths
// file, songs with auto) and the transforms, in-process; then what the sink adds per statement
// over the emulator's own execution time, in-process and over HTTP.
// Usage: emulator-bench.ts DATA_DIR STATEMENTS
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { createEmulatorClient, FolderBuckets, RedshiftEmulator, startEmulatorServer } from '@sparkify/redshift-emulator';
import { RedshiftSink, type RedshiftDataPort } from '@sparkify/sink-redshift';
import { JsonObjectSource } from '@sparkify/redshift-json';
import { sparkifyTables, sparkifyTransforms, stagingEvents, stagingSongs } from '@sparkify/sparkify-pipeline';
import { PhaseTimer, report } from './phase-timer.js';

const [dataArg, statementsArg] = process.argv.slice(2);
if (!dataArg) throw new Error('usage: emulator-bench.ts DATA_DIR [STATEMENTS]');
// Absolute: the bucket is a symbolic link to it, made in another folder.
const data = resolve(dataArg);
const statements = Number(statementsArg ?? 200);
const target = { kind: 'cluster', clusterIdentifier: 'bench', database: 'dev', dbUser: 'awsuser' } as const;
process.env['AWS_ACCESS_KEY_ID'] ??= 'bench';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'bench';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

/** Records the emulator's own execution time (DescribeStatement Duration) of every finished statement. */
function measuring(port: RedshiftDataPort, durationsMs: Map<string, number>): RedshiftDataPort {
  return {
    async send(command: never, options?: never) {
      const output = (await port.send(command, options)) as { Id?: string; Status?: string; Duration?: number };
      if (output.Status === 'FINISHED' && output.Id && output.Duration !== undefined) durationsMs.set(output.Id, output.Duration / 1e6);
      return output as never;
    },
  } as RedshiftDataPort;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Median of (sink wall time − emulator execution time) over trivial statements. */
async function overheadPerStatement(port: RedshiftDataPort): Promise<number> {
  const durations = new Map<string, number>();
  const sink = new RedshiftSink({ port: measuring(port, durations), target });
  await sink.query('SELECT 1'); // warm-up: the database boots
  const overheads: number[] = [];
  for (let i = 0; i < statements; i++) {
    durations.clear();
    const started = performance.now();
    await sink.query(`SELECT ${i} AS n`);
    const wall = performance.now() - started;
    const executed = [...durations.values()].reduce((a, b) => a + b, 0);
    overheads.push(wall - executed);
  }
  await sink.close();
  return median(overheads);
}

const timer = new PhaseTimer();
const dataDir = await mkdtemp(join(tmpdir(), 'sparkify-bench-pglite-'));
const buckets = await mkdtemp(join(tmpdir(), 'sparkify-bench-s3-'));
await symlink(data, join(buckets, 'bench'), 'dir');
try {
  const folders = new FolderBuckets(buckets).resolver();
  const emulator = new RedshiftEmulator({ dataDir, buckets: folders });
  const sink = new RedshiftSink({ port: createEmulatorClient(emulator), target, iamRole: 'arn:aws:iam::123456789012:role/bench' });
  // The bucket as the emulator sees it: the sources describe s3:// objects, and COPY reads them.
  const store = folders('bench');
  if (!store) throw new Error(`${data} is not a folder the emulator can serve as a bucket`);
  await timer.time('boot', () => sink.query('SELECT 1'));
  await sink.begin();
  await timer.time('create_tables', () => sink.transaction(sparkifyTables.map((t) => sink.dialect.renderCreateTable(t))));
  const copied = await timer.time('copy_events', () =>
    sink.load({
      source: new JsonObjectSource({ store, prefix: 'log_data', mapping: { mode: 'jsonpaths', key: 'log_json_path.json' }, timeFormat: 'epochmillisecs' }),
      table: stagingEvents,
      maxErrors: 0,
    }),
  );
  await timer.time('copy_songs', () => sink.load({ source: new JsonObjectSource({ store, prefix: 'song_data', mapping: { mode: 'auto' } }), table: stagingSongs, maxErrors: 0 }),
  );
  await timer.time('transform', async () => {
    for (const transform of sparkifyTransforms) await sink.transaction(transform.statements);
  });
  await sink.commit();
  await sink.close();
  const inProcess = await overheadPerStatement(createEmulatorClient(emulator));
  await emulator.close();

  const server = await startEmulatorServer({ tempDataDir: true });
  const client = new RedshiftDataClient({ endpoint: server.url, region: 'us-west-2', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const overHttp = await overheadPerStatement(client as unknown as RedshiftDataPort);
  client.destroy();
  await server.close();
  report({ events: copied.rowsLoaded, copyPath: copied.path, phases: timer.phases, overheadMs: { inProcess, http: overHttp } });
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await rm(buckets, { recursive: true, force: true });
}
