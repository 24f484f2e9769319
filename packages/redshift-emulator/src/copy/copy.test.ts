import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { RedshiftEmulator } from '../engine/redshift-emulator.js';
import { FolderBucketStore } from '../s3/folder-bucket-store.js';
import { runSql, TEST_TARGET } from '../testing.js';

const SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');
const FIXTURES = path.resolve(process.cwd(), 'packages/redshift-emulator/test/fixtures/category');
const ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'";

const docs = new MemoryObjectStore(
  Object.fromEntries(
    ['category_object_auto.json', 'category_object_paths.json', 'category_jsonpath.json', 'category_array_data.json', 'category_array_jsonpath.json'].map(
      (name) => [name, readFileSync(path.join(FIXTURES, name))],
    ),
  ),
  { scheme: 's3', bucket: 'mybucket' },
);
const loads = new MemoryObjectStore({}, { scheme: 's3', bucket: 'loads', chunkSize: 7 });

const emulator = new RedshiftEmulator({
  buckets: { mybucket: docs, loads, 'udacity-dend': new FolderBucketStore('udacity-dend', SAMPLE) },
  copy: { batchRows: 1000 },
});

afterAll(async () => {
  await emulator.close();
});

async function ok(sql: string) {
  const run = await runSql(emulator, sql);
  if (run.status !== 'FINISHED') throw new Error(`${sql}: ${run.error}`);
  return run;
}

const CATEGORY = 'create table category (catid smallint not null distkey sortkey, catgroup varchar(10), catname varchar(10), catdesc varchar(50))';

describe('COPY from JSON: the developer guide examples (r_COPY_command_examples)', () => {
  beforeEach(async () => {
    await ok('drop table if exists category');
    await ok(CATEGORY);
  });

  it("loads objects with 'auto', ignoring unknown keys and accepting objects back to back", async () => {
    const copy = await ok(`copy category from 's3://mybucket/category_object_auto.json' ${ROLE} json 'auto'`);
    expect(copy.rowsAffected).toBe(5);
    expect((await ok('select catid, catgroup, catname, catdesc from category order by catid')).rows).toEqual([
      { catid: 1, catgroup: 'Sports', catname: 'MLB', catdesc: 'Major League Baseball' },
      { catid: 2, catgroup: 'Sports', catname: 'NHL', catdesc: 'National Hockey League' },
      { catid: 3, catgroup: 'Sports', catname: 'NFL', catdesc: 'National Football League' },
      { catid: 4, catgroup: 'Sports', catname: 'NBA', catdesc: 'National Basketball Association' },
      { catid: 5, catgroup: 'Shows', catname: 'Musicals', catdesc: 'All symphony, concerto, and choir concerts' },
    ]);
  });

  it('loads objects through a JSONPaths file', async () => {
    await ok(`copy category from 's3://mybucket/category_object_paths.json' ${ROLE} json 's3://mybucket/category_jsonpath.json'`);
    expect((await ok('select catid, catname from category order by catid')).rows).toEqual([
      { catid: 1, catname: 'MLB' },
      { catid: 2, catname: 'NHL' },
      { catid: 3, catname: 'NFL' },
      { catid: 4, catname: 'NBA' },
      { catid: 6, catname: 'Musicals' },
    ]);
  });

  it('loads arrays through a JSONPaths file', async () => {
    await ok(`copy category from 's3://mybucket/category_array_data.json' ${ROLE} json 's3://mybucket/category_array_jsonpath.json'`);
    expect((await ok('select catid, catgroup, catname from category order by catid')).rows.map((r) => r.catname)).toEqual([
      'MLB',
      'NHL',
      'NFL',
      'NBA',
      'Classical',
    ]);
  });

  it('refuses arrays without a JSONPaths file: every record is a load error', async () => {
    const copy = await runSql(emulator, `copy category from 's3://mybucket/category_array_data.json' ${ROLE} json 'auto'`);
    expect(copy.error).toBe("ERROR: Load into table 'category' failed. Check 'stl_load_errors' system table for details.");
  });
});

const STAGING_EVENTS = `create table staging_events (
  artist varchar(1024), auth varchar(64), first_name varchar(256), gender varchar(16), item_in_session integer,
  last_name varchar(256), length double precision, level varchar(16), location varchar(1024), method varchar(16),
  page varchar(64), registration double precision, session_id integer, song varchar(1024), status integer,
  ts timestamp, user_agent varchar(1024), user_id integer) diststyle even`;

const STAGING_SONGS = `create table staging_songs (
  num_songs integer, artist_id varchar(64), artist_latitude double precision, artist_longitude double precision,
  artist_location varchar(1024), artist_name varchar(1024), song_id varchar(64), title varchar(1024),
  duration double precision, year integer) diststyle even`;

describe('COPY the Udacity sample from a local bucket folder', () => {
  it('loads log_data through log_json_path.json with epoch milliseconds', async () => {
    await ok(STAGING_EVENTS);
    const copy = await ok(`COPY staging_events FROM 's3://udacity-dend/log_data' ${ROLE}
      FORMAT AS JSON 's3://udacity-dend/log_json_path.json' TIMEFORMAT AS 'epochmillisecs' REGION 'us-west-2'`);
    expect(copy.rowsAffected).toBe(8056);
    const facts = await ok(`select count(*) as n, count(user_id) as with_user, min(ts) as first_ts,
      sum(case when page = 'NextSong' then 1 else 0 end) as plays from staging_events`);
    expect(facts.rows[0]).toMatchObject({ n: 8056, first_ts: '2018-11-01 20:57:10.796' });
    expect(Number(facts.rows[0]!.with_user)).toBeLessThan(8056);
    expect(Number(facts.rows[0]!.plays)).toBeGreaterThan(6000);
  });

  it("loads song_data with 'auto'", async () => {
    await ok(STAGING_SONGS);
    const copy = await ok(`copy staging_songs from 's3://udacity-dend/song_data' ${ROLE} format as json 'auto' region 'us-west-2'`);
    expect(copy.rowsAffected).toBe(71);
    expect((await ok('select count(distinct song_id) as songs from staging_songs')).rows).toEqual([{ songs: 71 }]);
  });
});

describe('COPY load errors and MAXERROR', () => {
  const LINES = [
    '{"id": 1, "name": "a", "at": 1541106106796}',
    '{"id": "two", "name": "b", "at": 1541106106796}',
    '{"id": 3, "name": "c", "at": 1541106106796}',
    '{"id": 4, "name": "a name far too long", "at": 1541106106796}',
    '{"id": 5, "name": "e", "at": 1541106106796}',
  ];

  beforeAll(async () => {
    loads.put('errors/part-1.json', `${LINES.join('\n')}\n`);
    await ok('create table loaded (id int, name varchar(8), at timestamp)');
  });

  beforeEach(async () => {
    await ok('delete from loaded');
    await ok('delete from stl_load_errors');
  });

  const copy = (options: string) => runSql(emulator, `copy loaded from 's3://loads/errors/' ${ROLE} format as json 'auto' timeformat 'epochmillisecs' ${options}`);

  it('fails at the first bad record without MAXERROR and loads nothing', async () => {
    const run = await copy('');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe("ERROR: Load into table 'loaded' failed. Check 'stl_load_errors' system table for details.");
    expect((await ok('select count(*) as n from loaded')).rows).toEqual([{ n: 0 }]);
    const errors = await ok(`select trim(filename) as filename, line_number, trim(colname) as colname, trim(type) as type,
      trim(raw_field_value) as raw_field_value, err_code, trim(err_reason) as err_reason, query > 0 as has_query
      from stl_load_errors order by line_number`);
    expect(errors.rows[0]).toMatchObject({
      filename: 's3://loads/errors/part-1.json',
      line_number: 2,
      colname: 'id',
      type: 'int4',
      raw_field_value: 'two',
      err_code: 1207,
      has_query: true,
    });
    expect(errors.rows[0]!.err_reason).toContain('Invalid digit');
  });

  it('skips up to MAXERROR - 1 bad records and logs each', async () => {
    const run = await copy('maxerror 3');
    expect(run).toMatchObject({ status: 'FINISHED', rowsAffected: 3 });
    expect((await ok('select id from loaded order by id')).rows).toEqual([{ id: 1 }, { id: 3 }, { id: 5 }]);
    const errors = await ok('select line_number, trim(colname) as colname, err_code from stl_load_errors order by line_number');
    expect(errors.rows).toEqual([
      { line_number: 2, colname: 'id', err_code: 1207 },
      { line_number: 4, colname: 'name', err_code: 1204 },
    ]);
    const detail = await ok('select file_name, line_number, column_name, error_code from sys_load_error_detail order by line_number');
    expect(detail.rows[1]).toEqual({ file_name: 's3://loads/errors/part-1.json', line_number: 4, column_name: 'name', error_code: 1204 });
  });

  it('fails when the bad records reach MAXERROR', async () => {
    expect((await copy('maxerror 2')).status).toBe('FAILED');
    expect((await ok('select count(*) as n from stl_load_errors')).rows).toEqual([{ n: 2 }]);
  });

  it('cuts long strings with TRUNCATECOLUMNS', async () => {
    const run = await copy('maxerror 2 truncatecolumns');
    expect(run.rowsAffected).toBe(4);
    expect((await ok('select name from loaded where id = 4')).rows).toEqual([{ name: 'a name f' }]);
  });

  it('keeps the load errors of a failed COPY inside a rolled-back batch, and counts with pg_last_copy_count()', async () => {
    const { Id } = await emulator.batchExecuteStatement({
      ...TEST_TARGET,
      Sqls: [
        'insert into loaded values (100, \'x\', null)',
        `copy loaded from 's3://loads/errors/' ${ROLE} format as json 'auto' timeformat 'epochmillisecs' maxerror 3`,
        'select pg_last_copy_count() as n',
      ],
      WaitTimeSeconds: 30,
    });
    expect((await emulator.getStatementResult({ Id: `${Id}:3` })).Records).toEqual([[{ longValue: 3 }]]);
    const failing = await emulator.batchExecuteStatement({
      ...TEST_TARGET,
      Sqls: ['delete from loaded', `copy loaded from 's3://loads/errors/' ${ROLE} format as json 'auto' timeformat 'epochmillisecs'`],
      WaitTimeSeconds: 30,
    });
    expect((await emulator.describeStatement({ Id: failing.Id })).Status).toBe('FAILED');
    expect((await ok('select count(*) as n from loaded')).rows).toEqual([{ n: 4 }]);
    expect((await ok('select count(*) as n from stl_load_errors')).rows).toEqual([{ n: 3 }]);
  });
});

describe('COPY sources and options', () => {
  beforeAll(async () => {
    loads.put('events/a.json', '{"v": "a", "n": 1}\n');
    loads.put('events_old/b.json', '{"v": "old", "n": 2}\n');
    loads.put('zipped/c.json.gz', gzipSync('{"v": "gz", "n": 3}\n{"v": "gz2", "n": 4}\n'));
    loads.put('blank/d.json', '{"v": "", "n": 5}\n{"v": "  ", "n": 6}\n{"n": 7}\n');
    loads.put('lists/run.manifest', JSON.stringify({ entries: [{ url: 's3://loads/events/a.json', mandatory: true }, { url: 's3://loads/none.json', mandatory: false }] }));
    loads.put('lists/bad.manifest', JSON.stringify({ entries: [{ url: 's3://loads/missing.json', mandatory: true }] }));
    await ok("create table opts (v varchar(8), n int not null, d varchar(3) default 'dft')");
  });

  beforeEach(async () => {
    await ok('delete from opts');
  });

  const copy = (source: string, options = '') => runSql(emulator, `copy opts from '${source}' ${ROLE} format as json 'auto' ${options}`);

  it('loads every key that starts with the prefix, with DEFAULT for missing keys', async () => {
    expect((await copy('s3://loads/events')).rowsAffected).toBe(2);
    expect((await ok('select v, n, d from opts order by n')).rows).toEqual([
      { v: 'a', n: 1, d: 'dft' },
      { v: 'old', n: 2, d: 'dft' },
    ]);
  });

  it('names a missing prefix and a missing bucket', async () => {
    expect((await copy('s3://loads/nothing_here')).error).toBe("ERROR: The specified S3 prefix 'nothing_here' does not exist");
    expect((await copy('s3://no-such-bucket/x')).error).toContain('The specified bucket does not exist');
  });

  it('reads gzip objects with GZIP, and refuses them without', async () => {
    expect((await copy('s3://loads/zipped/', 'gzip')).rowsAffected).toBe(2);
    expect((await copy('s3://loads/zipped/')).error).toContain('is gzip-compressed: add GZIP');
    expect((await copy('s3://loads/events/', 'gzip')).error).toContain('is not gzip-compressed');
  });

  it('loads exactly the objects a manifest names', async () => {
    expect((await copy('s3://loads/lists/run.manifest', 'manifest')).rowsAffected).toBe(1);
    expect((await copy('s3://loads/lists/bad.manifest', 'manifest')).error).toContain('mandatory file s3://loads/missing.json does not exist');
  });

  it('loads empty strings as NULL with EMPTYASNULL, and blanks with BLANKSASNULL', async () => {
    await copy('s3://loads/blank/', 'emptyasnull');
    expect((await ok('select n, v from opts order by n')).rows).toEqual([
      { n: 5, v: null },
      { n: 6, v: '  ' },
      { n: 7, v: null },
    ]);
    await ok('delete from opts');
    await copy('s3://loads/blank/', 'blanksasnull');
    expect((await ok('select count(v) as n from opts')).rows).toEqual([{ n: 0 }]);
  });

  it('loads a column list and leaves the other columns to their defaults', async () => {
    const run = await runSql(emulator, `copy opts (n) from 's3://loads/events/' ${ROLE} format as json 'auto'`);
    expect(run.rowsAffected).toBe(1);
    expect((await ok('select v, n, d from opts')).rows).toEqual([{ v: null, n: 1, d: 'dft' }]);
  });

  it('generates IDENTITY values unless EXPLICIT_IDS loads them', async () => {
    await ok('create table with_ids (id bigint identity(0, 1), v varchar(8))');
    await ok(`copy with_ids from 's3://loads/events/' ${ROLE} format as json 'auto'`);
    loads.put('ids/x.json', '{"id": 7, "v": "seven"}\n');
    await ok(`copy with_ids (id, v) from 's3://loads/ids/' ${ROLE} format as json 'auto' explicit_ids`);
    expect((await ok('select id, v from with_ids order by id')).rows).toEqual([
      { id: 0, v: 'a' },
      { id: 7, v: 'seven' },
    ]);
    expect((await runSql(emulator, `copy with_ids (id, v) from 's3://loads/ids/' ${ROLE} format as json 'auto'`)).error).toContain('EXPLICIT_IDS');
  });

  it('fails on a JSONPaths file that does not fit the columns, whatever MAXERROR says', async () => {
    loads.put('paths/two.json', JSON.stringify({ jsonpaths: ["$['v']", "$['n']"] }));
    const run = await runSql(emulator, `copy opts from 's3://loads/events/' ${ROLE} format as json 's3://loads/paths/two.json' maxerror 10`);
    expect(run.status).toBe('FAILED');
    expect(run.error).toContain('has 2 expression(s) but the target table has 3 column(s)');
  });

  it('checks the data and loads nothing with NOLOAD', async () => {
    expect((await copy('s3://loads/events', 'noload')).status).toBe('FINISHED');
    expect((await ok('select count(*) as n from opts')).rows).toEqual([{ n: 0 }]);
  });

  it('reports a missing table and column', async () => {
    expect((await runSql(emulator, `copy nope from 's3://loads/events' ${ROLE} json 'auto'`)).error).toBe('ERROR: relation "nope" does not exist');
    expect((await runSql(emulator, `copy opts (zz) from 's3://loads/events' ${ROLE} json 'auto'`)).error).toBe(
      'ERROR: column "zz" of relation "opts" does not exist',
    );
  });
});

describe('COPY STATUPDATE: statistics, as Redshift keeps them', () => {
  beforeAll(() => {
    loads.put('stats/a.json', '{"v": "a", "n": 1}\n{"v": "b", "n": 2}\n{"v": "c", "n": 3}\n');
  });

  beforeEach(async () => {
    await ok('drop table if exists stats');
    await ok('create table stats (v varchar(8), n int)');
  });

  const copy = (options = '') => ok(`copy stats from 's3://loads/stats/' ${ROLE} format as json 'auto' ${options}`);
  // pg_class.reltuples is -1 until the table is analyzed (or vacuumed).
  const analyzedRows = async () => (await ok("select reltuples::int as n from pg_class where relname = 'stats'")).rows[0]?.n;

  it('analyzes a table that was empty, and leaves the statistics target as it was', async () => {
    await copy();
    expect(await analyzedRows()).toBe(3);
    expect((await ok('show default_statistics_target')).rows).toEqual([{ default_statistics_target: '100' }]);
  });

  it('does not analyze a table that had rows, unless STATUPDATE ON says so', async () => {
    await ok("insert into stats values ('x', 0)");
    await copy();
    expect(await analyzedRows()).toBe(-1);
    await copy('statupdate on');
    expect(await analyzedRows()).toBe(7);
  });

  it('does not analyze with STATUPDATE OFF or NOLOAD', async () => {
    await copy('statupdate off');
    expect(await analyzedRows()).toBe(-1);
    await ok('delete from stats');
    await copy('noload');
    expect(await analyzedRows()).toBe(-1);
  });
});
