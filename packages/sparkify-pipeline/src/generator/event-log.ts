import { cumulativeOf, pickWeighted, Rng, STREAM } from './prng.js';
import { Session, type Step } from './session.js';
import type { LogEvent } from './event-encoding.js';
import type { Track, TrackPicker } from './tracks.js';
import type { Level, Population, User } from './users.js';

const DAY_MS = 86_400_000;
const DAY_SECONDS = 86_400;

/** Relative activity by UTC hour: quiet at night, busiest in the (US) afternoon. */
const HOUR_WEIGHTS = cumulativeOf([
  0.55, 0.55, 0.45, 0.4, 0.45, 0.55, 0.6, 0.6, 0.65, 0.8, 0.9, 1.0,
  1.0, 1.1, 1.3, 1.5, 1.6, 1.5, 1.5, 1.2, 1.1, 0.9, 0.7, 0.6,
]);

/**
 * Events per day, summing to `events` exactly: a noisy weekly rhythm (weekends a little
 * quieter), at least one event a day when there are enough events.
 */
export function dailyQuotas(seed: number, events: number, days: number, firstDayMs: number): number[] {
  const rng = Rng.derive(seed, STREAM.days);
  const weights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(firstDayMs + d * DAY_MS).getUTCDay();
    return (weekday === 0 || weekday === 6 ? 0.8 : 1) * Math.exp(0.45 * rng.gaussian());
  });
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (events * w) / total);
  const quotas = exact.map(Math.floor);
  let missing = events - quotas.reduce((sum, q) => sum + q, 0);
  const byRemainder = exact.map((x, d) => [x - Math.floor(x), d] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, d] of byRemainder) {
    if (missing-- <= 0) break;
    quotas[d] = (quotas[d] ?? 0) + 1;
  }
  if (events >= days) {
    for (let d = 0; d < days; d++) {
      if (quotas[d] !== 0) continue;
      const largest = quotas.indexOf(Math.max(...quotas));
      quotas[largest] = (quotas[largest] ?? 0) - 1;
      quotas[d] = 1;
    }
  }
  return quotas;
}

/**
 * A day's sessions, planned before any is written: how many, each one's start (whole seconds
 * into the day) and duration, and the order they start in. Sessions fit inside the day, so
 * every event lands in its own day's file. Memory is a few numbers per session of one day.
 */
interface DayPlan {
  readonly count: number;
  readonly lastLength: number;
  readonly starts: Uint32Array;
  readonly durations: Uint32Array;
  readonly order: Uint32Array;
}

function planDay(seed: number, day: number, quota: number, tracks: TrackPicker): DayPlan {
  const rng = Rng.derive(seed, STREAM.days, day);
  const starts: number[] = [];
  const durations: number[] = [];
  let remaining = quota;
  let lastLength = 0;
  while (remaining > 0) {
    const session = new Session(seed, day, starts.length, tracks, remaining);
    remaining -= session.length;
    lastLength = session.length;
    const duration = session.remainingSeconds();
    const latest = DAY_SECONDS - 1 - duration;
    let start = pickWeighted(rng, HOUR_WEIGHTS) * 3600 + rng.int(3600);
    if (start > latest) start = Math.max(0, latest - rng.int(Math.min(latest, 1800) + 1));
    starts.push(start);
    durations.push(duration);
  }
  const order = Uint32Array.from(starts.keys()).sort((a, b) => (starts[a] ?? 0) - (starts[b] ?? 0) || a - b);
  return {
    count: starts.length,
    lastLength,
    starts: Uint32Array.from(starts),
    durations: Uint32Array.from(durations),
    order,
  };
}

/** A session being written: its timeline, its user, and its next event. */
interface LiveSession extends LogEvent {
  readonly session: Session;
  readonly seq: number;
  step: Step;
  item: number;
  ts: number;
  loggedIn: boolean;
  track: Track | null;
  level: Level;
  page: string;
}

export interface EventLogContext {
  readonly seed: number;
  readonly tracks: TrackPicker;
  readonly population: Population;
  readonly msOffset: number;
  /** The next session id (global, increasing over the dataset). */
  nextSessionId: number;
}

/**
 * Yields a day's events in ts order (ties in session start order). Sessions are replayed from
 * their seeds and merged through a heap, so memory holds only the sessions open at the same
 * time, whatever the day's size. A yielded event is valid until the next one is requested
 * (the object is reused, and the level changes after a Submit event is consumed).
 */
export function* dayEvents(ctx: EventLogContext, day: number, dayStartMs: number, quota: number): Generator<LogEvent> {
  const plan = planDay(ctx.seed, day, quota, ctx.tracks);
  const rng = Rng.derive(ctx.seed, STREAM.activate, day);
  const heap = new SessionHeap();
  let next = 0;
  while (next < plan.count || heap.size > 0) {
    const index = plan.order[next];
    const startMs = index === undefined ? Infinity : dayStartMs + (plan.starts[index] ?? 0) * 1000 + ctx.msOffset;
    const top = heap.peek();
    if (index !== undefined && (top === undefined || startMs <= top.ts)) {
      const durationMs = (plan.durations[index] ?? 0) * 1000;
      heap.push(activate(ctx, rng, day, index, plan, startMs, durationMs, next));
      next++;
      continue;
    }
    const live = heap.pop();
    if (!live) break;
    live.level = live.user?.level ?? 'free';
    live.page = pageOf(live.step, live.level);
    yield live;
    if (live.step.slot === 'LevelSubmit' && live.user) live.user.level = flip(live.user.level);
    if (live.session.done) continue;
    live.item++;
    setStep(live, live.session.next());
    live.ts += live.step.gapSeconds * 1000;
    heap.push(live);
  }
}

function activate(
  ctx: EventLogContext,
  rng: Rng,
  day: number,
  index: number,
  plan: DayPlan,
  startMs: number,
  durationMs: number,
  seq: number,
): LiveSession {
  const maxLength = index === plan.count - 1 ? plan.lastLength : Infinity;
  const session = new Session(ctx.seed, day, index, ctx.tracks, maxLength);
  const user = session.kind === 'guest' ? null : chooseUser(rng, ctx.population, startMs);
  if (user) user.busyUntil = startMs + durationMs;
  const step = session.next();
  return {
    session,
    seq,
    sessionId: ctx.nextSessionId++,
    user,
    step,
    item: 0,
    ts: startMs,
    loggedIn: step.loggedIn,
    track: step.track,
    level: 'free',
    page: '',
  };
}

function setStep(live: LiveSession, step: Step): void {
  live.step = step;
  live.loggedIn = step.loggedIn;
  live.track = step.track;
}

/** A user by activity weight, preferring one who is not already in a session. */
function chooseUser(rng: Rng, population: Population, atMs: number): User {
  let user: User | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    user = population.users[pickWeighted(rng, population.cumulativeActivity)];
    if (user && user.busyUntil < atMs) return user;
  }
  if (!user) throw new RangeError('empty user population');
  return user;
}

function flip(level: Level): Level {
  return level === 'free' ? 'paid' : 'free';
}

function pageOf(step: Step, level: Level): string {
  if (step.slot === 'LevelView') return level === 'free' ? 'Upgrade' : 'Downgrade';
  if (step.slot === 'LevelSubmit') return level === 'free' ? 'Submit Upgrade' : 'Submit Downgrade';
  return step.slot;
}

/** A binary min-heap of live sessions by (ts, start order). */
class SessionHeap {
  private readonly items: LiveSession[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): LiveSession | undefined {
    return this.items[0];
  }

  push(item: LiveSession): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent] as LiveSession)) break;
      items[i] = items[parent] as LiveSession;
      i = parent;
    }
    items[i] = item;
  }

  pop(): LiveSession | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right] as LiveSession, items[left] as LiveSession) ? right : left;
      if (!before(items[child] as LiveSession, last)) break;
      items[i] = items[child] as LiveSession;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: LiveSession, b: LiveSession): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}
