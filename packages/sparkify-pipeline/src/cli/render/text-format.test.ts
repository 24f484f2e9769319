import { formatCount } from './text-format.js';

describe('formatCount', () => {
  it('groups thousands as en-US does, for integers of every size and sign', () => {
    const numbers = [0, 7, 999, 1000, 12_345, -1000, -999_999, 1_000_000, 843_590, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let n = 1; n < 1e15; n = n * 7 + 3) numbers.push(n, -n);
    for (const n of numbers) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves other numbers to toLocaleString', () => {
    for (const n of [0.5, 1234.5678, 1e21, -0.25, -0]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});
