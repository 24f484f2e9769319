import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputDataError } from '@sparkify/core';
import { FsObjectStore } from './fs-object-store.js';
import { writeFiles } from './write-files.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'fs-object-store-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function keys(store: FsObjectStore, prefix: string, options: { headBytes?: number } = {}): Promise<string[]> {
  const found: string[] = [];
  for await (const info of store.list(prefix, options)) found.push(info.key);
  return found;
}

/** Listing with heads opens each file once instead of a stat: both must find the same files. */
const LISTINGS = [
  { name: 'stat', options: {} },
  { name: 'heads', options: { headBytes: 2 } },
];

async function readText(store: FsObjectStore, key: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of await store.open(key)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('FsObjectStore.open', () => {
  it('yields each chunk in a whole buffer of its own, never reused (transferableChunks)', async () => {
    const text = 'x'.repeat(1_000_000);
    await writeFile(path.join(root, 'big.json'), text);
    const store = new FsObjectStore(root);
    expect(store.transferableChunks).toBe(true);
    const chunks: Uint8Array[] = [];
    for await (const chunk of await store.open('big.json', { size: text.length })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
    for (const chunk of chunks) expect([chunk.byteOffset, chunk.byteLength]).toEqual([0, chunk.buffer.byteLength]);
    // Kept chunks still hold the file once the read is over: nothing wrote over them.
    expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
  });
});

describe('FsObjectStore.list', () => {
  beforeEach(async () => {
    await writeFiles(root, {
      'log_data/2018/11/a.json': '{}',
      'log_data/2018/11/b.json': '{}',
      'log_data/2018/12/a.json': '{}',
      'log_data_old/x.json': '{}',
      'log_data.bak': '{}',
      'log_data0': '{}',
      'log_json_path.json': '{}',
      'song_data/A/.hidden': '{}',
      'song_data/A/B/c.json': '{}',
    });
  });

  it('lists every key that starts with the prefix, in every folder below, in byte order', async () => {
    const store = new FsObjectStore(root);
    expect(await keys(store, 'log_data')).toEqual([
      'log_data.bak',
      'log_data/2018/11/a.json',
      'log_data/2018/11/b.json',
      'log_data/2018/12/a.json',
      'log_data0',
      'log_data_old/x.json',
    ]);
    expect(await keys(store, 'log_data/')).toEqual(['log_data/2018/11/a.json', 'log_data/2018/11/b.json', 'log_data/2018/12/a.json']);
    expect(await keys(store, 'log_data/2018/1')).toEqual(['log_data/2018/11/a.json', 'log_data/2018/11/b.json', 'log_data/2018/12/a.json']);
    expect(await keys(store, 'log_data/2018/11/b')).toEqual(['log_data/2018/11/b.json']);
    expect(await keys(store, 'log_j')).toEqual(['log_json_path.json']);
    expect(await keys(store, 'song_data')).toEqual(['song_data/A/.hidden', 'song_data/A/B/c.json']);
    expect(await keys(store, 'nothing')).toEqual([]);
    expect((await keys(store, '')).length).toBe(9);
  });

  it('gives sizes and an ETag that changes with the content', async () => {
    const store = new FsObjectStore(root);
    await writeFile(path.join(root, 'log_data.bak'), '{"a": 1}');
    const [info] = await collect(store.list('log_data.bak'));
    expect(info).toMatchObject({ key: 'log_data.bak', size: 8, etag: expect.stringMatching(/^"[0-9a-f]+-[0-9a-f]+"$/) });
  });

  it('names a missing root or prefix folder', async () => {
    const missing = new FsObjectStore(path.join(root, 'nope'));
    await expect(keys(missing, 'x')).rejects.toThrow(InputDataError);
    await expect(keys(missing, 'x')).rejects.toThrow(`no such folder: ${path.join(root, 'nope')}`);
    await expect(keys(new FsObjectStore(root), 'log_data/2019/x')).rejects.toThrow(`no such folder: ${path.join(root, 'log_data', '2019')}`);
    await expect(keys(new FsObjectStore(path.join(root, 'log_data.bak')), '')).rejects.toThrow('not a folder');
  });

  it.each(LISTINGS)('follows symbolic links to folders and files, and skips broken ones ($name)', async ({ options }) => {
    await mkdir(path.join(root, 'links'));
    await symlink(path.join(root, 'song_data'), path.join(root, 'links', 'songs'));
    await symlink(path.join(root, 'log_data.bak'), path.join(root, 'links', 'file.json'));
    await symlink(path.join(root, 'gone'), path.join(root, 'links', 'broken'));
    expect(await keys(new FsObjectStore(root), 'links/', options)).toEqual(['links/file.json', 'links/songs/A/.hidden', 'links/songs/A/B/c.json']);
  });

  it.each(LISTINGS)('enters each real folder once, so a link back up the tree does not loop ($name)', async ({ options }) => {
    await mkdir(path.join(root, 'links'));
    await symlink(root, path.join(root, 'links', 'loop'));
    const found = await keys(new FsObjectStore(root), 'links/', options);
    expect(found).toContain('links/loop/song_data/A/B/c.json');
    expect(found.some((key) => key.startsWith('links/loop/links/'))).toBe(false);
  });

  it.each(LISTINGS)('enters a folder reached through a link beside the real one once, under the name first in key order ($name)', async ({ options }) => {
    await symlink(path.join(root, 'song_data', 'A'), path.join(root, 'song_data', '0-link'));
    // The store's own root through a link too: real paths are compared, not the paths walked.
    const linkedRoot = `${root}-link`;
    await symlink(root, linkedRoot);
    try {
      expect(await keys(new FsObjectStore(linkedRoot), 'song_data/', options)).toEqual(['song_data/0-link/.hidden', 'song_data/0-link/B/c.json']);
    } finally {
      await rm(linkedRoot, { force: true });
    }
  });

  it('gives each file its head when asked, as readHead reads it, and the same listing otherwise', async () => {
    await writeFiles(root, { 'heads/empty.json': '', 'heads/one.json': '{', 'heads/gz.json': '' });
    await writeFile(path.join(root, 'heads', 'gz.json'), Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    await symlink(path.join(root, 'heads', 'gz.json'), path.join(root, 'heads', 'link.json'));
    const store = new FsObjectStore(root);
    const plain = await collect(store.list('heads/'));
    const withHeads = await collect(store.list('heads/', { headBytes: 2 }));
    expect(withHeads.map(({ head: _head, ...info }) => info)).toEqual(plain);
    expect(plain.every((info) => info.head === undefined)).toBe(true);
    for (const info of withHeads) expect(Buffer.from(info.head!)).toEqual(Buffer.from(await store.readHead(info.key, 2)));
    expect(withHeads.map((info) => [info.key, [...info.head!]])).toEqual([
      ['heads/empty.json', []],
      ['heads/gz.json', [0x1f, 0x8b]],
      ['heads/link.json', [0x1f, 0x8b]],
      ['heads/one.json', [0x7b]],
    ]);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(new FsObjectStore(root).list('log_data', { signal: controller.signal }))).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('FsObjectStore objects', () => {
  it('opens files, reads heads and names them by file URI', async () => {
    await writeFiles(root, { 'dir with space/ü.json': '{"a": 1}\n' });
    const store = new FsObjectStore(root);
    expect(await readText(store, 'dir with space/ü.json')).toBe('{"a": 1}\n');
    expect(Buffer.from(await store.readHead('dir with space/ü.json', 2)).toString()).toBe('{"');
    expect(store.uri('dir with space/ü.json')).toBe(pathToFileURL(path.join(root, 'dir with space', 'ü.json')).href);
    expect(store.location('dir')).toBe(pathToFileURL(path.join(root, 'dir')).href);
    expect(store.location('dir/')).toBe(`${pathToFileURL(path.join(root, 'dir')).href}/`);
    expect(store.storeInfo()).toEqual({ root });
  });

  it('reads a whole file whatever size it was listed with (a hint for its reads)', async () => {
    const text = 'x'.repeat(5000);
    await writeFiles(root, { 'a.json': text });
    const store = new FsObjectStore(root);
    for (const size of [0, 3, 4999, 5000, 1e9]) {
      const parts: Buffer[] = [];
      for await (const chunk of await store.open('a.json', { size })) parts.push(Buffer.from(chunk));
      expect(Buffer.concat(parts).toString('utf8')).toBe(text);
    }
  });

  it('finds a key\'s path as path.join does, for any key, under any root', () => {
    // Seeded: the same keys each run, from plain segments and ones path.join normalizes away.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const parts = ['a', 'b.json', '.', '..', '...', '.a', '', 'ü x', 'a\\b'];
    const keys = ['', '/', 'a/', '/a', 'a//b', './a', 'a/..', 'a/../b'];
    for (let i = 0; i < 2000; i++) keys.push(Array.from({ length: 1 + random(5) }, () => parts[random(parts.length)]).join('/'));
    for (const base of ['/', root, `${root}/x/..`]) {
      const store = new FsObjectStore(base);
      for (const key of keys) expect([key, store.pathOf(key)]).toEqual([key, path.join(path.resolve(base), ...key.split('/').filter((part) => part !== ''))]);
    }
  });

  it('fails with InputDataError naming a missing file', async () => {
    await expect(new FsObjectStore(root).open('missing.json')).rejects.toThrow(`cannot open ${path.join(root, 'missing.json')}`);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
