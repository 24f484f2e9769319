import type { StoredObject } from './folder-bucket-store.js';
import { decodeContinuationToken, encodeContinuationToken, listPage } from './list-objects.js';

const objects: StoredObject[] = ['a.json', 'log/1.json', 'log/2.json', 'log/x/3.json', 'log/y/4.json', 'log_old/5.json', 'z.json'].map((key) => ({
  key,
  size: 1,
  etag: '"x"',
  lastModified: new Date(0),
}));

describe('listPage', () => {
  it('lists every key starting with the prefix', () => {
    expect(listPage(objects, { prefix: 'log', maxKeys: 1000 }).contents.map((o) => o.key)).toEqual([
      'log/1.json', 'log/2.json', 'log/x/3.json', 'log/y/4.json', 'log_old/5.json',
    ]);
  });

  it('pages with max-keys, resuming after the last key', () => {
    const first = listPage(objects, { prefix: '', maxKeys: 3 });
    expect(first).toMatchObject({ isTruncated: true, last: 'log/2.json' });
    const second = listPage(objects, { prefix: '', maxKeys: 3, after: first.last! });
    expect(second.contents.map((o) => o.key)).toEqual(['log/x/3.json', 'log/y/4.json', 'log_old/5.json']);
    expect(listPage(objects, { prefix: '', maxKeys: 3, after: second.last! })).toMatchObject({ isTruncated: false });
  });

  it('rolls up common prefixes, which count toward max-keys', () => {
    const first = listPage(objects, { prefix: 'log/', delimiter: '/', maxKeys: 3 });
    expect(first.contents.map((o) => o.key)).toEqual(['log/1.json', 'log/2.json']);
    expect(first.commonPrefixes).toEqual(['log/x/']);
    expect(first.isTruncated).toBe(true);
    const second = listPage(objects, { prefix: 'log/', delimiter: '/', maxKeys: 3, after: first.last! });
    expect(second.commonPrefixes).toEqual(['log/y/']);
    expect(second.isTruncated).toBe(false);
  });

  it('round-trips continuation tokens and refuses forged ones', () => {
    expect(decodeContinuationToken(encodeContinuationToken('log/x/'))).toBe('log/x/');
    expect(decodeContinuationToken('***')).toBeUndefined();
  });
});
