import { orderSteps, runDag } from './dag.js';

describe('orderSteps', () => {
  it('orders by dependencies, file order otherwise', () => {
    expect(orderSteps([
      { id: 'c', after: ['a', 'b'] },
      { id: 'a', after: [] },
      { id: 'b', after: ['a'] },
    ])).toEqual(['a', 'b', 'c']);
  });

  it('names an unknown dependency with its path and the closest id', () => {
    expect(() => orderSteps([{ id: 'load', after: [] }, { id: 'x', after: ['lod'] }])).toThrow(
      'steps[1].after[0]: unknown step "lod"; did you mean "load"?',
    );
  });

  it('names the steps of a cycle', () => {
    expect(() => orderSteps([
      { id: 'a', after: ['c'] },
      { id: 'b', after: ['a'] },
      { id: 'c', after: ['b'] },
    ])).toThrow(/cycle: .*a.*→.*→.*→ .*/);
  });

  it('rejects duplicate ids', () => {
    expect(() => orderSteps([{ id: 'a', after: [] }, { id: 'a', after: [] }])).toThrow('steps[1].id: duplicate step id "a"');
  });
});

describe('runDag', () => {
  it('never runs more than the concurrency at once and respects dependencies', async () => {
    let running = 0;
    let peak = 0;
    const finished: string[] = [];
    const nodes = [
      { id: 'a', after: [] },
      { id: 'b', after: [] },
      { id: 'c', after: [] },
      { id: 'd', after: ['a', 'b', 'c'] },
    ];
    await runDag(nodes, 2, async (id) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      if (id === 'd') expect(finished).toEqual(expect.arrayContaining(['a', 'b', 'c']));
      finished.push(id);
      running--;
    });
    expect(peak).toBe(2);
    expect(finished).toHaveLength(4);
  });

  it('starts nothing new after a failure, lets running steps settle, and reports skipped ones', async () => {
    const started: string[] = [];
    const skipped: string[] = [];
    const nodes = [
      { id: 'bad', after: [] },
      { id: 'slow', after: [] },
      { id: 'later', after: ['bad'] },
    ];
    await expect(
      runDag(
        nodes,
        2,
        async (id) => {
          started.push(id);
          if (id === 'bad') throw new Error('boom');
          await new Promise((resolve) => setImmediate(resolve));
        },
        (id) => skipped.push(id),
      ),
    ).rejects.toThrow('boom');
    expect(started).toEqual(['bad', 'slow']);
    expect(skipped).toEqual(['later']);
  });
});
