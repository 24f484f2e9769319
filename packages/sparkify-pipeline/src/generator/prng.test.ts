import { cumulativeOf, pickWeighted, Rng } from './prng.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.uint32());

describe('Rng', () => {
  it('is a pure function of the seed and the stream path', () => {
    expect(draw(Rng.derive(42, 1, 2), 5)).toEqual(draw(Rng.derive(42, 1, 2), 5));
    expect(draw(Rng.derive(42, 1, 2), 5)).not.toEqual(draw(Rng.derive(42, 1, 3), 5));
    expect(draw(Rng.derive(42, 1), 5)).not.toEqual(draw(Rng.derive(43, 1), 5));
    expect(draw(Rng.derive(2 ** 40 + 1), 5)).not.toEqual(draw(Rng.derive(1), 5));
  });

  it('draws floats in [0, 1) and integers in range, roughly uniformly', () => {
    const rng = Rng.derive(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = rng.int(10);
      buckets[k] = (buckets[k] ?? 0) + 1;
    }
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it('picks by cumulative weight', () => {
    const rng = Rng.derive(1);
    const weights = cumulativeOf([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[pickWeighted(rng, weights)]! += 1;
    expect(counts[1]).toBe(0);
    expect(Math.abs((counts[2] ?? 0) / 8000 - 0.75)).toBeLessThan(0.03);
  });
});
