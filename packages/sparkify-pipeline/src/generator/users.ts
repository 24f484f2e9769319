import { jsonIntegralFloat, jsonString } from './json-text.js';
import { cumulativeOf, pickWeighted, Rng, STREAM } from './prng.js';
import { FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, USER_AGENTS, USER_LOCATIONS } from './vocabulary.js';

export type Level = 'free' | 'paid';

/** A listener. `level` changes during generation when the user submits an upgrade or downgrade. */
export interface User {
  readonly id: number;
  level: Level;
  /** When this user's current session ends (ms), so one user rarely has two at once. */
  busyUntil: number;
  /** The user's fields as log JSON, rendered once. */
  readonly json: {
    readonly firstName: string;
    readonly gender: string;
    readonly lastName: string;
    readonly location: string;
    readonly registration: string;
    readonly userAgent: string;
    readonly userId: string;
  };
}

export const USER_RULES = {
  /** Share of users who start on the paid level. */
  paidShare: 0.25,
  /** Registrations fall up to this many days before the first day. */
  registrationDays: 120,
} as const;

/** About 1.1·√events users (98 for 8,000 events, like the original sample), at least 5. */
export function defaultUserCount(events: number): number {
  return Math.max(5, Math.round(1.1 * Math.sqrt(events)));
}

export interface Population {
  readonly users: readonly User[];
  /** Cumulative activity weights: a few heavy listeners, a long tail of light ones. */
  readonly cumulativeActivity: Float64Array;
}

export function buildPopulation(seed: number, count: number, firstDayMs: number, msOffset: number): Population {
  const rng = Rng.derive(seed, STREAM.users);
  const agents = cumulativeOf(USER_AGENTS.map(([, weight]) => weight));
  const users: User[] = [];
  const activity: number[] = [];
  for (let i = 0; i < count; i++) {
    const female = rng.chance(0.5);
    const registeredSecondsBefore = rng.between(3600, USER_RULES.registrationDays * 86_400);
    const registration = firstDayMs - registeredSecondsBefore * 1000 - (firstDayMs % 1000) + msOffset;
    const agent = USER_AGENTS[pickWeighted(rng, agents)]?.[0] ?? '';
    users.push({
      id: i + 1,
      level: rng.chance(USER_RULES.paidShare) ? 'paid' : 'free',
      busyUntil: 0,
      json: {
        firstName: jsonString(rng.pick(female ? FIRST_NAMES_F : FIRST_NAMES_M), 'log'),
        gender: female ? '"F"' : '"M"',
        lastName: jsonString(rng.pick(LAST_NAMES), 'log'),
        location: jsonString(rng.pick(USER_LOCATIONS), 'log'),
        registration: jsonIntegralFloat(registration),
        userAgent: jsonString(agent, 'log'),
        userId: `"${i + 1}"`,
      },
    });
    activity.push(Math.exp(1.2 * rng.gaussian()));
  }
  return { users, cumulativeActivity: cumulativeOf(activity) };
}
