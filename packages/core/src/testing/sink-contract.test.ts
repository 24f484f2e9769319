import { describeSinkContract, memorySource, SINK_CONTRACT_CASES } from './sink-contract.js';

describe('describeSinkContract', () => {
  const factory = () => Promise.reject(new Error('never called'));

  it('refuses to skip a case that does not exist, so stale skips do not linger', () => {
    expect(() => describeSinkContract('x', factory, { slowQuery: 'x', skipTests: { 'no such case': 'why' } })).toThrow(/no such case/);
  });

  it('asks for a slow query unless the running-statement case is skipped', () => {
    expect(() => describeSinkContract('x', factory)).toThrow(/slowQuery/);
  });

  it('names its cases', () => {
    expect(SINK_CONTRACT_CASES).toContain('cancels a running statement');
    expect(new Set(SINK_CONTRACT_CASES).size).toBe(SINK_CONTRACT_CASES.length);
  });
});

describe('memorySource', () => {
  it('yields its batches with progress, and stops once aborted', async () => {
    const batches = [
      { rows: [[1]], rejected: [] },
      { rows: [[2]], rejected: [{ file: 'f', line: 2, reason: 'bad' }] },
    ];
    const progress: number[] = [];
    const seen = [];
    for await (const batch of memorySource(batches).read({ columns: [], maxErrors: 0, onProgress: (p) => progress.push(p.rowsRead) })) seen.push(batch);
    expect(seen).toEqual(batches);
    expect(progress).toEqual([1, 3]);

    const controller = new AbortController();
    controller.abort();
    const reading = memorySource(batches).read({ columns: [], maxErrors: 0, signal: controller.signal });
    await expect(reading[Symbol.asyncIterator]().next()).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
