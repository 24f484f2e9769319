/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32) so generated data is a pure
 * function of the options: no Math.random, no clock. Streams are derived from a seed and a path
 * of integers (`Rng.derive(seed, day, session)`), so a part of the output can be regenerated
 * on its own and never depends on the order in which other parts were produced.
 */
/** Independent random streams, so one part's draws never shift another's. */
export const STREAM = {
  catalog: 1,
  ids: 2,
  unmatched: 3,
  users: 4,
  days: 5,
  plays: 6,
  session: 7,
  activate: 8,
} as const;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** A stream for `seed` (any safe integer) and a path of integers naming its purpose. */
  static derive(seed: number, ...path: number[]): Rng {
    let h = mix32(Math.floor(seed / 0x1_0000_0000) ^ 0x5eed) ^ (seed >>> 0);
    for (const part of path) h = mix32(h ^ mix32(part + 0x9e37_79b9));
    // splitmix32 steps fill the four words of state; the last is made odd so it is never all zero.
    const s = mix32(h);
    const a = mix32(s + 0x9e37_79b9);
    const b = mix32(s + 2 * 0x9e37_79b9);
    const c = mix32(s + 3 * 0x9e37_79b9);
    const d = mix32(s + 4 * 0x9e37_79b9);
    return new Rng(a, b, c, d | 1);
  }

  /** The next 32 random bits as an unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** A standard normal draw (Box-Muller). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

/** Index into cumulative weights (ascending, last = total) by binary search. */
export function pickWeighted(rng: Rng, cumulative: Float64Array | readonly number[]): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  const target = rng.next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** murmur3's 32-bit finaliser: a bijective avalanche of one word. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
