import { StatementFailure } from '../sql/statement-failure.js';
import { isCopyCommand, parseCopyCommand } from './copy-command-parser.js';

function failure(sql: string): StatementFailure {
  try {
    parseCopyCommand(sql);
  } catch (error) {
    if (error instanceof StatementFailure) return error;
    throw error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('parseCopyCommand', () => {
  it('parses the Sparkify staging COPY', () => {
    const command = parseCopyCommand(`COPY staging_events
      FROM 's3://udacity-dend/log_data'
      IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
      FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
      TIMEFORMAT AS 'epochmillisecs'
      REGION 'us-west-2';`);
    expect(command).toMatchObject({
      table: { name: 'staging_events' },
      source: 's3://udacity-dend/log_data',
      authorization: { kind: 'iam_role', role: 'arn:aws:iam::123456789012:role/dwhRole' },
      mapping: { mode: 'jsonpaths', uri: 's3://udacity-dend/log_json_path.json' },
      timeFormat: 'epochmillisecs',
      region: 'us-west-2',
      maxError: 0,
      compression: 'none',
    });
    expect(command.columns).toBeUndefined();
  });

  it('parses every option the emulator accepts', () => {
    const command = parseCopyCommand(`copy "Public".t (a, "B") from 's3://b/p/' with credentials as 'aws_iam_role=arn:aws:iam::1:role/r'
      format json 'auto ignorecase' timeformat 'auto' region as 'eu-west-1' maxerror as 10 gzip manifest
      emptyasnull blanksasnull truncatecolumns acceptinvchars as '^' compupdate off statupdate off explicit_ids noload`);
    expect(command).toMatchObject({
      table: { schema: 'public', name: 't' },
      columns: ['a', 'b'],
      authorization: { kind: 'credentials' },
      mapping: { mode: 'auto ignorecase' },
      maxError: 10,
      compression: 'gzip',
      manifest: true,
      emptyAsNull: true,
      blanksAsNull: true,
      truncateColumns: true,
      acceptInvChars: '^',
      explicitIds: true,
      noLoad: true,
      statUpdate: false,
    });
  });

  it.each([
    ['', undefined],
    ['statupdate', true],
    ['statupdate on', true],
    ['statupdate true', true],
    ['statupdate off', false],
    ['statupdate false compupdate on', false],
  ])('reads STATUPDATE from %j', (option, statUpdate) => {
    expect(parseCopyCommand(`copy t from 's3://b/k' iam_role default json 'auto' ${option}`).statUpdate).toBe(statUpdate);
  });

  it.each([
    ["copy t from 's3://b/k' iam_role default json 'auto'", { mode: 'auto' }],
    ["copy t from 's3://b/k' iam_role default format as json", { mode: 'auto' }],
    ["copy t from 's3://b/k' iam_role default format as json 'AUTO'", { mode: 'auto' }],
    ["copy t from 's3://b/k' access_key_id 'x' secret_access_key 'y' session_token 'z' json 's3://b/paths.json'", { mode: 'jsonpaths', uri: 's3://b/paths.json' }],
  ])('accepts %s', (sql, mapping) => {
    expect(parseCopyCommand(sql).mapping).toEqual(mapping);
  });

  it.each([
    ["copy t from 's3://b/k' format as json 'auto'", 'COPY needs credentials'],
    ["copy t from 's3://b/k' iam_role 'dwhRole' format as json 'auto'", 'is not a role ARN'],
    ["copy t from 's3://b/k' iam_role default", 'loads JSON only'],
    ["copy t from 's3://b/k' iam_role default format as csv", 'FORMAT CSV is not supported'],
    ["copy t from 's3://b/k' iam_role default json 'auto' delimiter '|'", 'DELIMITER argument is not supported for JSON based copy'],
    ["copy t from 's3://b/k' iam_role default json 'maybe'", "Invalid JSON argument 'maybe'"],
    ["copy t from 's3://b/k' iam_role default json 'auto' maxerror 'x'", 'MAXERROR takes a whole number'],
    ["copy t from 's3://b/k' iam_role default json 'auto' maxerror 100001", 'out of range'],
    ["copy t from 's3://b/k' iam_role default json 'auto' sparkle", 'syntax error at or near "sparkle"'],
    ["copy t from '/local/file' iam_role default json 'auto'", 'loads from s3://bucket/prefix only'],
    ['copy t to stdout', 'syntax error at or near "to"'],
    ["copy t from 's3://b/k", 'unterminated quoted string'],
  ])('refuses %s', (sql, message) => {
    expect(failure(sql).message).toContain(message);
  });

  it('recognises COPY after comments', () => {
    expect(isCopyCommand('-- load\n/* events */ COPY t FROM ...')).toBe(true);
    expect(isCopyCommand("select 'copy'")).toBe(false);
  });
});
