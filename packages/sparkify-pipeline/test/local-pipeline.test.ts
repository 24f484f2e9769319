import { appendFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  copyDataset,
  dumpWarehouse,
  LOCAL_PIPELINE,
  queryPipeline,
  removeDir,
  runPipelineFile,
  tempDir,
  UDACITY_SAMPLE,
} from '../src/testing.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

const counts = async (params: Record<string, string>) =>
  Object.fromEntries(
    await Promise.all(
      ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time'].map(async (t) => [
        t,
        Number((await queryPipeline(LOCAL_PIPELINE, params, `SELECT COUNT(*) AS n FROM "${t}"`))[0]!['n']),
      ]),
    ),
  );

describe('pipelines/local.json on the Udacity sample', () => {
  const params = () => ({ data: UDACITY_SAMPLE, warehouse: join(dir, 'udacity.duckdb') });

  it('builds the warehouse with the expected figures, and the checks pass', async () => {
    const run = await runPipelineFile(LOCAL_PIPELINE, params());
    expect(run.error).toBeUndefined();
    expect(await counts(params())).toEqual({
      staging_events: 8056,
      staging_songs: 71,
      songplays: 6820,
      users: 96,
      songs: 71,
      artists: 69,
      time: 6813,
    });
    const [matched] = await queryPipeline(LOCAL_PIPELINE, params(), 'SELECT COUNT(song_id) AS n FROM songplays');
    expect(Number(matched!['n'])).toBe(1);
    const [paid] = await queryPipeline(LOCAL_PIPELINE, params(), "SELECT COUNT(*) AS n FROM users WHERE level = 'paid'");
    expect(Number(paid!['n'])).toBe(22);
    const [nulls] = await queryPipeline(LOCAL_PIPELINE, params(), 'SELECT COUNT(*) AS n FROM staging_events WHERE user_id IS NULL');
    expect(Number(nulls!['n'])).toBe(286);
    const checks = run.summary.steps.flatMap((s) => s.checks);
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    const loads = run.summary.steps.flatMap((s) => s.loads);
    for (const load of loads) expect(load.rowsRead).toBe(load.rowsLoaded + load.rowsRejected);
  });

  it('gives the same warehouse, row for row, when run again', async () => {
    const before = await dumpWarehouse(LOCAL_PIPELINE, params());
    const again = await runPipelineFile(LOCAL_PIPELINE, params());
    expect(again.error).toBeUndefined();
    expect(await dumpWarehouse(LOCAL_PIPELINE, params())).toEqual(before);
  });

  it('converts ts from epoch milliseconds and computes time parts', async () => {
    const rows = await queryPipeline(
      LOCAL_PIPELINE,
      params(),
      "SELECT start_time, hour, day, week, month, year, weekday FROM \"time\" WHERE start_time = TIMESTAMP '2018-11-30 00:22:07.796'",
    );
    expect(rows).toEqual([{ start_time: '2018-11-30 00:22:07.796', hour: 0, day: 30, week: 48, month: 11, year: 2018, weekday: 5 }]);
  });
});

describe('bad records', () => {
  let data: string;
  let badFile: string;
  const warehouse = () => join(dir, 'bad.duckdb');

  beforeAll(async () => {
    data = await copyDataset(UDACITY_SAMPLE, join(dir, 'bad-data'));
    const logs = join(data, 'log_data/2018/11');
    badFile = join(logs, (await readdir(logs)).sort()[3]!);
    // The sample's files end without a newline: the broken record lands on a line of its own.
    await appendFile(badFile, '\n{"artist": "Broken", "ts": 15415\n');
  });

  it('fails the run naming file and line, and leaves the warehouse as it was', async () => {
    const good = await runPipelineFile(LOCAL_PIPELINE, { data: UDACITY_SAMPLE, warehouse: warehouse() });
    expect(good.error).toBeUndefined();
    const before = await dumpWarehouse(LOCAL_PIPELINE, { data: UDACITY_SAMPLE, warehouse: warehouse() });

    const bad = await runPipelineFile(LOCAL_PIPELINE, { data, warehouse: warehouse() });
    expect(bad.error?.kind).toBe('input');
    expect(bad.error?.exitCode).toBe(3);
    expect(bad.error?.message).toContain(badFile);
    expect(bad.error?.message).toMatch(/line \d+/);
    expect(await dumpWarehouse(LOCAL_PIPELINE, { data: UDACITY_SAMPLE, warehouse: warehouse() })).toEqual(before);
  });

  it('skips up to maxErrors bad records, reports each, and accounts for every row', async () => {
    const run = await runPipelineFile(LOCAL_PIPELINE, { data, warehouse: warehouse(), maxErrors: '1' });
    expect(run.error).toBeUndefined();
    const load = run.summary.steps.flatMap((s) => s.loads).find((l) => l.table === 'staging_events')!;
    expect(load).toMatchObject({ rowsRead: 8057, rowsLoaded: 8056, rowsRejected: 1 });
    expect(load.rejected[0]!.file).toContain(badFile.split('/').pop()!);
    expect(load.rejected[0]!.line).toBeGreaterThan(0);
  });

  it('loads an empty data file as no rows, not an error', async () => {
    const empty = await copyDataset(UDACITY_SAMPLE, join(dir, 'empty-file-data'));
    await writeFile(join(empty, 'log_data/2018/11/2018-11-31-events.json'), '');
    const run = await runPipelineFile(LOCAL_PIPELINE, { data: empty, warehouse: join(dir, 'empty.duckdb') });
    expect(run.error).toBeUndefined();
  });
});

describe('pipelines/local.json on generated data', () => {
  it('passes every check on data with repeated ids, near-miss matches and level changes, and re-runs identically', async () => {
    const { generateDataset } = await import('../src/generator/generate-dataset.js');
    const data = join(dir, 'generated');
    await generateDataset({ out: data, events: 6000, songs: 400, seed: 7 });
    const params = { data, warehouse: join(dir, 'generated.duckdb') };
    const run = await runPipelineFile(LOCAL_PIPELINE, params);
    expect(run.error).toBeUndefined();
    expect(run.summary.steps.flatMap((s) => s.checks).filter((c) => !c.passed)).toEqual([]);
    const [rate] = await queryPipeline(LOCAL_PIPELINE, params, 'SELECT COUNT(song_id) * 1.0 / COUNT(*) AS r FROM songplays');
    expect(Number(rate!['r'])).toBeGreaterThan(0.4);
    const before = await dumpWarehouse(LOCAL_PIPELINE, params);
    expect((await runPipelineFile(LOCAL_PIPELINE, params)).error).toBeUndefined();
    expect(await dumpWarehouse(LOCAL_PIPELINE, params)).toEqual(before);
  });
});
