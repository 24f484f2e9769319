import { Rng, STREAM } from './prng.js';
import type { Track, TrackPicker } from './tracks.js';

/**
 * What a step of a session does. `LevelView` and `LevelSubmit` become Upgrade / Submit Upgrade
 * or Downgrade / Submit Downgrade when the event is written, from the user's level at that
 * moment; everything else here is fixed by the session's own random stream, so a session's
 * timeline (event count, gaps, songs) can be replayed from its seed without any user state.
 */
export type Slot =
  | 'NextSong'
  | 'Home'
  | 'Login'
  | 'Logout'
  | 'Settings'
  | 'Save Settings'
  | 'Help'
  | 'About'
  | 'Error'
  | 'LevelView'
  | 'LevelSubmit';

export interface Step {
  readonly slot: Slot;
  readonly loggedIn: boolean;
  /** Whole seconds since the session's previous step (0 for the first). */
  readonly gapSeconds: number;
  readonly track: Track | null;
}

export type SessionKind = 'guest' | 'logs-in' | 'logged-in';

export const SESSION_RULES = {
  /** Sessions of a visitor who never logs in: every event has userId "" and null names. */
  guestShare: 0.03,
  /** Sessions that start logged out (Home, Login) and then log in. */
  logsInShare: 0.07,
  /** Logged-in sessions that open on Home rather than straight on a song. */
  startsOnHome: 0.3,
  /** Median events of a logged-in session (log-normal, heavy tail), and the cap. */
  medianLength: 5.5,
  maxLength: 100,
  /** A session never spans more than this, so it always fits inside its day. */
  maxSeconds: 20 * 3600,
  /** Page weights for a logged-in step that nothing forces. */
  pages: [
    ['NextSong', 0.9],
    ['Home', 0.035],
    ['Settings', 0.008],
    ['Help', 0.005],
    ['About', 0.004],
    ['LevelView', 0.012],
    ['Error', 0.0014],
    ['Logout', 0.011],
  ] as ReadonlyArray<readonly [Slot, number]>,
  /** Settings is followed by Save Settings, an upgrade/downgrade page by its submission. */
  saveSettingsShare: 0.3,
  submitLevelShare: 0.3,
  /** Songs heard to the end (the next event comes a song length later); the rest are skipped. */
  listenToEndShare: 0.85,
  /** Non-song steps followed by another event in the same second (same ts). */
  sameSecondShare: 0.12,
} as const;

const PAGE_TOTAL = SESSION_RULES.pages.reduce((sum, [, weight]) => sum + weight, 0);

interface Forced {
  readonly slot: Slot;
  readonly loggedIn: boolean;
}

const LOG_BACK_IN: readonly Forced[] = [
  { slot: 'Home', loggedIn: false },
  { slot: 'Login', loggedIn: false },
  { slot: 'Home', loggedIn: true },
];

/** One session's timeline, a lazy sequence of steps drawn from the session's own stream. */
export class Session {
  readonly kind: SessionKind;
  readonly length: number;
  private readonly rng: Rng;
  private readonly forced: Forced[] = [];
  private produced = 0;
  private elapsedSeconds = 0;
  private loggedIn: boolean;
  private previous: Step | null = null;

  /**
   * Session `index` of day `day`. `maxLength` trims it (the day's last session fills the
   * day's exact event count).
   */
  constructor(seed: number, day: number, index: number, private readonly tracks: TrackPicker, maxLength = Infinity) {
    this.rng = Rng.derive(seed, STREAM.session, day, index);
    const r = this.rng.next();
    this.kind = r < SESSION_RULES.guestShare ? 'guest' : r < SESSION_RULES.guestShare + SESSION_RULES.logsInShare ? 'logs-in' : 'logged-in';
    const drawn =
      this.kind === 'guest'
        ? this.rng.between(1, 3)
        : Math.min(SESSION_RULES.maxLength, 1 + Math.floor(SESSION_RULES.medianLength * Math.exp(this.rng.gaussian())));
    this.length = Math.min(drawn, maxLength);
    this.loggedIn = this.kind === 'logged-in';
    if (this.kind === 'logs-in') this.forced.push(...LOG_BACK_IN.slice(this.rng.chance(0.8) ? 0 : 1));
    if (this.kind === 'logged-in' && this.rng.chance(SESSION_RULES.startsOnHome)) this.forced.push({ slot: 'Home', loggedIn: true });
  }

  get done(): boolean {
    return this.produced >= this.length;
  }

  /** The next step; call only while not `done`. */
  next(): Step {
    const gap = this.previous === null ? 0 : this.gapAfter(this.previous);
    const gapSeconds = Math.min(gap, SESSION_RULES.maxSeconds - this.elapsedSeconds);
    this.elapsedSeconds += gapSeconds;
    const { slot, loggedIn } = this.forced.shift() ?? this.freeStep();
    this.loggedIn = loggedIn;
    this.followUps(slot);
    const track = slot === 'NextSong' ? this.tracks.pick(this.rng) : null;
    const step: Step = { slot, loggedIn, gapSeconds, track };
    this.previous = step;
    this.produced++;
    return step;
  }

  /** Seconds from the first step to the last: replays the rest of the timeline. */
  remainingSeconds(): number {
    let seconds = 0;
    while (!this.done) seconds += this.next().gapSeconds;
    return seconds;
  }

  private freeStep(): Forced {
    if (!this.loggedIn) {
      const r = this.rng.next();
      return { slot: r < 0.7 ? 'Home' : r < 0.85 ? 'About' : 'Help', loggedIn: false };
    }
    let target = this.rng.next() * PAGE_TOTAL;
    for (const [slot, weight] of SESSION_RULES.pages) {
      target -= weight;
      if (target < 0) return { slot, loggedIn: true };
    }
    return { slot: 'NextSong', loggedIn: true };
  }

  private followUps(slot: Slot): void {
    if (slot === 'Settings' && this.rng.chance(SESSION_RULES.saveSettingsShare)) {
      this.forced.push({ slot: 'Save Settings', loggedIn: true });
    } else if (slot === 'LevelView' && this.rng.chance(SESSION_RULES.submitLevelShare)) {
      this.forced.push({ slot: 'LevelSubmit', loggedIn: true });
    } else if (slot === 'Logout') {
      this.forced.push(...LOG_BACK_IN);
    }
  }

  private gapAfter(previous: Step): number {
    const rng = this.rng;
    if (previous.track) {
      const length = Math.round(previous.track.length);
      return rng.chance(SESSION_RULES.listenToEndShare) ? length : rng.between(Math.min(5, length), length);
    }
    if (previous.slot === 'Login') return rng.between(1, 15);
    if (previous.slot === 'Logout') return rng.between(5, 60);
    if (rng.chance(SESSION_RULES.sameSecondShare)) return 0;
    return Math.min(600, 1 + Math.floor(20 * Math.exp(rng.gaussian())));
  }
}
