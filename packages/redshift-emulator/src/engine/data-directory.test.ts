import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSql } from '../testing.js';
import { DataDirectory } from './data-directory.js';
import { RedshiftEmulator } from './redshift-emulator.js';

describe('data folders', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'emulator-data-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps tables in an on-disk data folder across emulators', async () => {
    const first = new RedshiftEmulator({ dataDir: folder });
    try {
      await runSql(first, 'create table kept (a int)');
      await runSql(first, 'insert into kept values (1), (2)');
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(folder, 'dev'))).toBe(true);
    const second = new RedshiftEmulator({ dataDir: folder });
    try {
      expect((await runSql(second, 'select sum(a) as total from kept')).rows).toEqual([{ total: 3 }]);
      expect((await runSql(second, 'select count(*) as n from stl_load_errors')).rows).toEqual([{ n: 0 }]);
    } finally {
      await second.close();
    }
  });

  it('removes a temporary data folder on close', async () => {
    const directory = new DataDirectory(undefined, true);
    const created = await directory.folder();
    expect(created && existsSync(created)).toBe(true);
    await directory.dispose();
    expect(existsSync(created!)).toBe(false);
    expect(await new DataDirectory(undefined, false).folder()).toBeUndefined();
  });
});

describe('a database that cannot be opened', () => {
  it('fails the first statement, then answers ExecuteStatementException', async () => {
    const blocker = await mkdtemp(path.join(tmpdir(), 'emulator-blocked-'));
    const file = path.join(blocker, 'not-a-folder');
    await writeFile(file, 'x');
    const emulator = new RedshiftEmulator({ dataDir: file });
    try {
      const first = await runSql(emulator, 'select 1');
      expect(first.status).toBe('FAILED');
      expect(first.error).toContain('could not connect to database "dev"');
      await expect(emulator.executeStatement({ ClusterIdentifier: 'c', Database: 'dev', DbUser: 'u', Sql: 'select 1' })).rejects.toMatchObject({
        name: 'ExecuteStatementException',
        $fault: 'server',
      });
    } finally {
      await emulator.close();
      await rm(blocker, { recursive: true, force: true });
    }
  });
});
