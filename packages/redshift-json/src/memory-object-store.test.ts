import { compareKeys, findPrefixOvermatches } from './object-store.js';
import { MemoryObjectStore } from './memory-object-store.js';

async function keys(store: MemoryObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const info of store.list(prefix)) found.push(info.key);
  return found;
}

describe('MemoryObjectStore', () => {
  const store = new MemoryObjectStore(
    { 'log_data/b.json': 'b', 'log_data/a/x.json': 'x', 'log_data_old/y.json': 'y', 'log_data.bak': 'z', 'song_data/s.json': 's' },
    { scheme: 's3', bucket: 'udacity-dend', chunkSize: 2 },
  );

  it('lists keys that start with the prefix, in every folder, sorted', async () => {
    expect(await keys(store, 'log_data')).toEqual(['log_data.bak', 'log_data/a/x.json', 'log_data/b.json', 'log_data_old/y.json']);
    expect(await keys(store, 'log_data/')).toEqual(['log_data/a/x.json', 'log_data/b.json']);
    expect(await keys(store, '')).toHaveLength(5);
    expect(await keys(store, 'x')).toEqual([]);
  });

  it('gives sizes and MD5 ETags as S3 does, and names things by URI', async () => {
    const [info] = await collect(store.list('song_data/'));
    expect(info).toEqual({ key: 'song_data/s.json', size: 1, etag: '"03c7c0ace395d80182db07ae2c30f034"' });
    expect(store.uri('song_data/s.json')).toBe('s3://udacity-dend/song_data/s.json');
    expect(store.location('log_data')).toBe('s3://udacity-dend/log_data');
    expect(store.storeInfo()).toEqual({ bucket: 'udacity-dend' });
    expect(new MemoryObjectStore().uri('k')).toBe('memory://test/k');
  });

  it('streams objects in chunks, reads heads, and names a missing key', async () => {
    const big = new MemoryObjectStore({ k: 'abcdefg' }, { chunkSize: 3 });
    const chunks = (await collect(await big.open('k'))).map((c) => Buffer.from(c).toString());
    expect(chunks).toEqual(['abc', 'def', 'g']);
    expect(Buffer.from(await big.readHead('k', 2)).toString()).toBe('ab');
    await expect(big.open('nope')).rejects.toMatchObject({ kind: 'input', message: 'no object memory://test/nope' });
    big.delete('k');
    expect(big.keys()).toEqual([]);
  });

  it('gives each object its head when asked, as readHead reads it', async () => {
    const listed = await collect(store.list('log_data/', { headBytes: 2 }));
    expect(listed.map((info) => [info.key, Buffer.from(info.head!).toString()])).toEqual([
      ['log_data/a/x.json', 'x'],
      ['log_data/b.json', 'b'],
    ]);
    for (const info of listed) expect(Buffer.from(info.head!)).toEqual(Buffer.from(await store.readHead(info.key, 2)));
    expect((await collect(store.list('log_data/'))).every((info) => info.head === undefined)).toBe(true);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(store.list('', { signal: controller.signal }))).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(store.open('log_data.bak', { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('compareKeys', () => {
  it('orders by UTF-8 bytes, as S3 lists keys', () => {
    expect(['a/b', 'a.b', 'a0', 'a'].sort(compareKeys)).toEqual(['a', 'a.b', 'a/b', 'a0']);
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 ...), unlike UTF-16 order.
    expect(['😀', '～'].sort(compareKeys)).toEqual(['～', '😀']);
  });
});

describe('findPrefixOvermatches', () => {
  it('lists the other names a prefix matches when it also names a folder or object exactly', () => {
    expect(findPrefixOvermatches('log_data', ['log_data/a', 'log_data_old/b', 'log_data_old/c', 'log_data.bak'])).toEqual([
      { name: 'log_data_old/', objects: 2 },
      { name: 'log_data.bak', objects: 1 },
    ]);
    expect(findPrefixOvermatches('d/x.json', ['d/x.json', 'd/x.json.bak'])).toEqual([{ name: 'x.json.bak', objects: 1 }]);
  });

  it('stays quiet for name-start prefixes, folder prefixes and exact matches', () => {
    expect(findPrefixOvermatches('custdata', ['custdata1.txt', 'custdata2.txt'])).toEqual([]);
    expect(findPrefixOvermatches('log_data/', ['log_data/a'])).toEqual([]);
    expect(findPrefixOvermatches('', ['a'])).toEqual([]);
    expect(findPrefixOvermatches('log_data', ['log_data/a', 'log_data/b'])).toEqual([]);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
