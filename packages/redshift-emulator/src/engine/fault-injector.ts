import { DataApiError } from './data-api-errors.js';

/** Faults for reliability tests. Deterministic: the same seed throttles the same calls. */
export interface FaultOptions {
  /** Fraction (0..1) of Data API calls answered with ThrottlingException. */
  faultRate?: number;
  /** Seed of the pseudo-random sequence that picks the throttled calls. */
  seed?: number;
  /** Delay before each statement starts running (it stays PICKED meanwhile), in milliseconds. */
  latencyMs?: number;
  /**
   * Fails a statement on purpose: called with the SQL and the statement's ordinal (1, 2, ...
   * across the emulator); a returned message fails it with that error, as the database would.
   */
  failStatement?: (sql: string, ordinal: number) => string | undefined;
}

/** What the injector has done since the emulator started (configure does not reset it). */
export interface FaultCounts {
  /** Data API calls that went through the injector. */
  calls: number;
  /** Calls answered with ThrottlingException. */
  throttled: number;
  /** Statements failed through `failStatement`. */
  failedStatements: number;
}

export class FaultInjector {
  readonly counts: FaultCounts = { calls: 0, throttled: 0, failedStatements: 0 };
  private rate = 0;
  private random: () => number = Math.random;
  private options: FaultOptions = {};
  private ordinal = 0;

  constructor(options: FaultOptions = {}) {
    this.configure(options);
  }

  /** Replaces the faults (the seeded sequence restarts). */
  configure(options: FaultOptions): void {
    this.options = options;
    this.rate = Math.min(1, Math.max(0, options.faultRate ?? 0));
    this.random = mulberry32(options.seed ?? 1);
  }

  get latencyMs(): number {
    return Math.max(0, this.options.latencyMs ?? 0);
  }

  /** Throws ThrottlingException for the calls the seeded sequence picks. */
  maybeThrottle(): void {
    this.counts.calls += 1;
    if (this.rate === 0) return;
    if (this.random() < this.rate) {
      this.counts.throttled += 1;
      throw new DataApiError('ThrottlingException', 'Rate exceeded');
    }
  }

  /** The injected failure for the next statement, if any. */
  statementFailure(sql: string): string | undefined {
    this.ordinal += 1;
    const failure = this.options.failStatement?.(sql, this.ordinal);
    if (failure !== undefined) this.counts.failedStatements += 1;
    return failure;
  }
}

/** A small seeded PRNG (public-domain mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
