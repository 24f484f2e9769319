import type { FileBatch, JsonFraming } from './json-read-sql.js';
import { mergeBatches, type CheckedBatch } from './server-json-load.js';

const checked = (paths: string[], records: number, framing: JsonFraming = 'newline_delimited', compression: FileBatch['compression'] = 'none'): CheckedBatch => ({
  batch: { paths, compression },
  framing,
  records,
});

describe('mergeBatches (the checked path reads its batches into the table in as few statements as it may)', () => {
  it('joins consecutive batches read the same way, summing their records', () => {
    expect(mergeBatches([checked(['a', 'b'], 3), checked(['c'], 1), checked(['d'], 5)], 10)).toEqual([checked(['a', 'b', 'c', 'd'], 9)]);
  });

  it('keeps a batch apart where the framing or the compression differs, or the statement would list too many files', () => {
    const batches = [checked(['a'], 1), checked(['b'], 1, 'unstructured'), checked(['c'], 1, 'unstructured', 'gzip'), checked(['d', 'e'], 2, 'unstructured', 'gzip'), checked(['f'], 1, 'unstructured', 'gzip')];
    expect(mergeBatches(batches, 3)).toEqual([
      checked(['a'], 1),
      checked(['b'], 1, 'unstructured'),
      checked(['c', 'd', 'e'], 3, 'unstructured', 'gzip'),
      checked(['f'], 1, 'unstructured', 'gzip'),
    ]);
  });

  it('leaves the batches it was given as they were', () => {
    const first = checked(['a'], 1);
    mergeBatches([first, checked(['b'], 1)], 10);
    expect(first).toEqual(checked(['a'], 1));
  });
});
