import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedFile } from './staged-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'export-csv-staged-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StagedFile', () => {
  it('writes under a hidden temporary name and appears whole at publish', async () => {
    const file = await StagedFile.create(join(dir, 'songs.csv'));
    await file.write('a,b\r\n');
    await file.write('ü,2\r\n');
    expect(file.bytesWritten).toBe(11);
    expect(await readdir(dir)).toEqual([expect.stringMatching(/^\.songs\.csv\.\d+-[0-9a-f]{8}\.tmp$/)]);
    await file.publish();
    expect(await readdir(dir)).toEqual(['songs.csv']);
    expect(await readFile(join(dir, 'songs.csv'), 'utf8')).toBe('a,b\r\nü,2\r\n');
  });

  it('replaces an older file only at publish', async () => {
    await writeFile(join(dir, 'songs.csv'), 'old\r\n');
    const file = await StagedFile.create(join(dir, 'songs.csv'));
    await file.write('new\r\n');
    expect(await readFile(join(dir, 'songs.csv'), 'utf8')).toBe('old\r\n');
    await file.publish();
    expect(await readFile(join(dir, 'songs.csv'), 'utf8')).toBe('new\r\n');
  });

  it('discard removes the temporary file and keeps the older one, even after close, twice', async () => {
    await writeFile(join(dir, 'songs.csv'), 'old\r\n');
    const file = await StagedFile.create(join(dir, 'songs.csv'));
    await file.write('half');
    await file.close();
    await file.discard();
    await file.discard();
    expect(await readdir(dir)).toEqual(['songs.csv']);
    expect(await readFile(join(dir, 'songs.csv'), 'utf8')).toBe('old\r\n');
  });

  it('fails to create in a missing folder, and refuses writes once closed', async () => {
    await expect(StagedFile.create(join(dir, 'missing', 'songs.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    const file = await StagedFile.create(join(dir, 'songs.csv'));
    await file.close();
    await expect(file.write('x')).rejects.toThrow(/is closed/);
    await file.discard();
  });
});
