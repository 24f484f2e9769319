import { defineTable, type SourceDescription, type SourceObject } from '@sparkify/core';
import { renderCopyCommand } from './copy-command.js';

const events = defineTable({
  name: 'staging_events',
  columns: [
    { name: 'artist', type: 'varchar(256)' },
    { name: 'ts', type: 'timestamp' },
    { name: 'user_id', type: 'integer' },
  ],
});

const object = (key: string, compression: SourceObject['compression'] = 'none'): SourceObject => ({ uri: `s3://udacity-dend/${key}`, key, size: 10, compression });

function description(overrides: Partial<SourceDescription> = {}): SourceDescription {
  return {
    location: 's3://udacity-dend/log_data',
    scheme: 's3',
    objects: [object('log_data/2018/11/a.json'), object('log_data/2018/11/b.json')],
    format: 'json',
    mapping: { mode: 'jsonpaths', uri: 's3://udacity-dend/log_json_path.json', paths: ["$['artist']", "$['ts']", "$['userId']"] },
    timeFormat: 'epochmillisecs',
    store: { bucket: 'udacity-dend', prefix: 'log_data', region: 'us-west-2' },
    warnings: [],
    ...overrides,
  };
}

const role = 'arn:aws:iam::123456789012:role/dwhRole';

describe('renderCopyCommand', () => {
  it('renders the COPY of redshift-reference.md §1, with the column list and MAXERROR maxErrors + 1', () => {
    expect(renderCopyCommand(events, description(), 0, { iamRole: role })).toEqual({
      sql: [
        'COPY "staging_events" ("artist", "ts", "user_id")',
        "FROM 's3://udacity-dend/log_data'",
        "IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'",
        "FORMAT AS JSON 's3://udacity-dend/log_json_path.json'",
        "TIMEFORMAT AS 'epochmillisecs'",
        "REGION 'us-west-2'",
        'MAXERROR 1',
      ].join('\n'),
      warnings: [],
    });
  });

  it("renders 'auto ignorecase', TIMEFORMAT 'auto', GZIP when every object is gzipped, no REGION when the source has none", () => {
    const gz = description({
      objects: [object('song_data/a.json.gz', 'gzip'), object('song_data/b.json.gz', 'gzip')],
      location: 's3://udacity-dend/song_data/',
      mapping: { mode: 'auto ignorecase' },
      timeFormat: 'auto',
      store: { bucket: 'udacity-dend' },
    });
    expect(renderCopyCommand(events, gz, 9, { iamRole: 'default' }).sql).toBe(
      [
        'COPY "staging_events" ("artist", "ts", "user_id")',
        "FROM 's3://udacity-dend/song_data/'",
        "IAM_ROLE 'default'",
        "FORMAT AS JSON 'auto ignorecase'",
        "TIMEFORMAT AS 'auto'",
        'MAXERROR 10',
        'GZIP',
      ].join('\n'),
    );
  });

  it('escapes quotes and backslashes of S3 keys through the dialect', () => {
    const hostile = description({
      location: "s3://udacity-dend/it's\\'; DROP TABLE users; --",
      mapping: { mode: 'jsonpaths', uri: "s3://udacity-dend/paths/o'neil\\.json", paths: ['$.a', '$.b', '$.c'] },
    });
    const sql = renderCopyCommand(events, hostile, 0, { iamRole: role }).sql;
    expect(sql).toContain("FROM 's3://udacity-dend/it''s\\\\''; DROP TABLE users; --'\n");
    expect(sql).toContain("FORMAT AS JSON 's3://udacity-dend/paths/o''neil\\\\.json'\n");
  });

  it.each([
    ["arn:aws:iam::123456789012:role/dwh'Role", /not an IAM role ARN/],
    ['arn:aws:iam::123456789012:role/dwh\\Role', /not an IAM role ARN/],
    ['arn:aws:iam::123456789012:role/dwh\nRole', /not an IAM role ARN/],
    ['arn:aws:iam::12345:role/dwhRole', /not an IAM role ARN/],
    ['arn:aws:iam::123456789012:user/alice', /not an IAM role ARN/],
    ['', /needs the IAM role/],
  ])('refuses the IAM role %j at its config path', (iamRole, message) => {
    expect(() => renderCopyCommand(events, description(), 0, { iamRole, configPath: 'resources.warehouse.with' })).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringMatching(message), location: { configPath: 'resources.warehouse.with.iamRole' } }),
    );
  });

  it('accepts role paths and other partitions', () => {
    expect(renderCopyCommand(events, description(), 0, { iamRole: 'arn:aws:iam::123456789012:role/service-role/Redshift-Copy' }).sql).toContain(
      "IAM_ROLE 'arn:aws:iam::123456789012:role/service-role/Redshift-Copy'",
    );
    expect(renderCopyCommand(events, description(), 0, { iamRole: 'arn:aws-cn:iam::123456789012:role/dwh' }).sql).toContain("IAM_ROLE 'arn:aws-cn:iam::123456789012:role/dwh'");
  });

  it.each([
    [{ location: 's3://udacity-dend/log\ndata' }, /control character/],
    [{ location: 'file:///data/log_data' }, /must start with s3:\/\//],
    [{ mapping: { mode: 'jsonpaths' as const, uri: 'https://x/paths.json', paths: [] } }, /JSONPaths file/],
    [{ store: { region: "us-west-2'; --" } }, /not an AWS region/],
  ])('refuses a hostile description %j', (overrides, message) => {
    expect(() => renderCopyCommand(events, description(overrides), 0, { iamRole: role })).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringMatching(message) }));
  });

  it('refuses a maxErrors COPY cannot express', () => {
    expect(() => renderCopyCommand(events, description(), 100_000, { iamRole: role })).toThrow(/MAXERROR 100000 at most/);
    expect(() => renderCopyCommand(events, description(), -1, { iamRole: role })).toThrow(/whole number/);
    expect(renderCopyCommand(events, description(), 99_999, { iamRole: role }).sql).toContain('MAXERROR 100000');
  });

  it('fails clearly on a mix of gzip and plain objects', () => {
    const mixed = description({ objects: [object('log_data/a.json'), object('log_data/b.json.gz', 'gzip')] });
    expect(() => renderCopyCommand(events, mixed, 0, { iamRole: role })).toThrow(
      expect.objectContaining({ kind: 'input', message: expect.stringContaining('1 of 2 objects under s3://udacity-dend/log_data are gzip-compressed') }),
    );
  });

  it('warns when the source listed the objects at another S3 endpoint than the warehouse reads', () => {
    const atEmulator = description({ store: { bucket: 'udacity-dend', region: 'us-west-2', endpoint: 'http://127.0.0.1:4566' } });
    expect(renderCopyCommand(events, atEmulator, 0, { iamRole: role }).warnings).toEqual([
      'the source listed s3://udacity-dend/log_data at the S3 endpoint http://127.0.0.1:4566, but Redshift reads it from its own S3: the COPY may see other objects, or none',
    ]);
    expect(renderCopyCommand(events, atEmulator, 0, { iamRole: role, endpoint: 'http://127.0.0.1:4566' }).warnings).toEqual([]);
  });

  it("warns when the JSONPaths arity differs from the table's columns, and passes the source's warnings on", () => {
    const short = description({
      mapping: { mode: 'jsonpaths', uri: 's3://udacity-dend/log_json_path.json', paths: ["$['artist']", "$['ts']"] },
      warnings: ['prefix s3://udacity-dend/log_data also matches log_data_old/ (3 objects)'],
    });
    expect(renderCopyCommand(events, short, 0, { iamRole: role }).warnings).toEqual([
      'prefix s3://udacity-dend/log_data also matches log_data_old/ (3 objects)',
      'the JSONPaths file s3://udacity-dend/log_json_path.json has 2 expressions but staging_events has 3 columns: COPY needs one expression per column, in column order, and fails otherwise',
    ]);
  });
});
