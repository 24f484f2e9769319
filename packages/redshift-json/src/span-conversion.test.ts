import { plainDecimal } from './span-conversion.js';

// The double fast path: a plain decimal read from its bytes is the double Number() reads.

/** A seeded generator (mulberry32): the same decimals every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decimal(next: () => number): string {
  const digits = 1 + Math.floor(next() * 17);
  let text = '';
  for (let i = 0; i < digits; i++) text += String(Math.floor(next() * 10));
  text = text.replace(/^0+(?=\d)/, '');
  const point = Math.floor(next() * (text.length + 1));
  if (point > 0 && point < text.length) text = `${text.slice(0, point)}.${text.slice(point)}`;
  else if (point === 0) text = `0.${text}`;
  return next() < 0.3 ? `-${text}` : text;
}

function read(text: string): number {
  const bytes = Buffer.from(`[${text}]`);
  return plainDecimal(bytes, 1, bytes.length - 1);
}

describe('plainDecimal', () => {
  it('reads 100,000 generated decimals as Number() does, or declines (NaN) beyond 15 digits', () => {
    const next = random(7);
    let read15 = 0;
    for (let n = 0; n < 100_000; n++) {
      const text = decimal(next);
      const value = read(text);
      if (Number.isNaN(value)) {
        expect(text.replace(/[-.]/g, '').length).toBeGreaterThan(15);
        continue;
      }
      read15++;
      expect(Object.is(value, Number(text)) ? text : `${text}: ${value} against ${Number(text)}`).toBe(text);
    }
    expect(read15).toBeGreaterThan(80_000);
  });

  it('reads the edges: halfway cases, 15 nines, zeros, negative zero', () => {
    for (const text of ['0.1', '0.3', '2.675', '1.005', '999999999999999', '99999999999999.9', '0.00000000000001', '233.21506', '1541016707796.0', '0', '-0', '-0.0']) {
      expect(Object.is(read(text), Number(text))).toBe(true);
    }
  });

  it('declines exponents and 16 digits', () => {
    expect(read('1e5')).toBeNaN();
    expect(read('1.5E-3')).toBeNaN();
    expect(read('1234567890123456')).toBeNaN();
    expect(read('0.123456789012345')).toBeNaN();
  });
});
