import { loadSqlParser } from './sql-parser.js';
import { prepareStatement } from './statement-preparer.js';
import { StatementFailure } from './statement-failure.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('prepareStatement', () => {
  it.each([
    ['vacuum', 'VACUUM', true],
    ['VACUUM DELETE ONLY songplays TO 75 PERCENT', 'VACUUM', true],
    ['analyze compression songplays', 'ANALYZE', false],
    ["set query_group to 'etl'", 'SET', false],
    ['reset wlm_query_slot_count', 'RESET', false],
    ['alter table songs alter diststyle all', 'ALTER TABLE', false],
    ['alter table songs alter sortkey (song_id)', 'ALTER TABLE', false],
    ['alter table songs alter column title encode zstd', 'ALTER TABLE', false],
    ['alter table songs add primary key (song_id)', 'ALTER TABLE', false],
    ['alter table songplays add constraint fk foreign key (song_id) references songs (song_id)', 'ALTER TABLE', false],
  ])('accepts and ignores %s', (sql, command, refusedInTransaction) => {
    expect(prepareStatement(sql)).toEqual({ kind: 'noop', command, refusedInTransaction });
  });

  it.each([
    ['begin', 'begin'],
    ['start transaction', 'begin'],
    ['end', 'commit'],
    ['commit', 'commit'],
    ['abort', 'rollback'],
    ['rollback', 'rollback'],
  ])('classifies %s as a transaction statement', (sql, action) => {
    expect(prepareStatement(sql)).toMatchObject({ kind: 'transaction', action });
  });

  it('refuses savepoints and UNLOAD', () => {
    expect(() => prepareStatement('savepoint a')).toThrow(StatementFailure);
    expect(() => prepareStatement("unload ('select 1') to 's3://b/x' iam_role default")).toThrow('UNLOAD is not supported');
  });

  it('notes what the engine must do around a statement', () => {
    expect(prepareStatement('truncate staging_events')).toMatchObject({ kind: 'sql', effects: { commitsTransaction: true, statementType: 'TruncateStmt' } });
    expect(prepareStatement('create temp table stage as select 1 as a')).toMatchObject({ effects: { createsTempTables: ['stage'] } });
    expect(prepareStatement('create temporary table stage2 (a int)')).toMatchObject({ effects: { createsTempTables: ['stage2'] } });
    expect(prepareStatement('select pg_last_copy_count()')).toMatchObject({ effects: { readsLastCopyCount: true } });
    expect(prepareStatement("copy t from 's3://b/k' iam_role default json 'auto'")).toMatchObject({ kind: 'copy' });
  });

  it('passes Postgres-compatible SET through', () => {
    expect(prepareStatement("set timezone to 'UTC'")).toMatchObject({ kind: 'sql' });
  });
});
