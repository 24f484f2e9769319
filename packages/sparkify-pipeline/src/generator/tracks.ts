import { makeArtistName, makeTitle, songDuration, type CatalogEntry, type Song } from './catalog.js';
import { roundTo } from './json-text.js';
import { Rng, STREAM } from './prng.js';

/** What a NextSong event plays. */
export interface Track {
  /** Index in `TrackPicker.all`. */
  readonly id: number;
  readonly artist: string;
  readonly title: string;
  /** Seconds, rounded to 5 decimals like a song file's duration. */
  readonly length: number;
  /** Whether (title, artist, length) equals a song file's (title, artist_name, duration). */
  readonly matched: boolean;
}

/**
 * Songs played that are not in song_data. Most are unrelated; the rest are near misses of a
 * catalog song, so a join must compare all three fields exactly:
 * - `length`: same title and artist, another duration (by 0.00001 s up to a few seconds);
 * - `artist`: same title and duration, another artist;
 * - `case`: same title in other letter case;
 * - `mojibake`: the artist name double-encoded (UTF-8 read as Latin-1, twice), as in the real logs.
 */
export const UNMATCHED_RULES = {
  poolPerSong: 1,
  minPool: 100,
  maxPool: 50_000,
  nearMiss: { length: 0.12, artist: 0.08, case: 0.05, mojibake: 0.05 },
} as const;

export class TrackPicker {
  /** Every track: the catalog's (in popularity order), then the unmatched pool's. */
  readonly all: readonly Track[];
  private readonly catalogTracks: Track[];
  private readonly unmatchedTracks: Track[];

  constructor(catalog: readonly CatalogEntry[], seed: number, private readonly matchRate: number) {
    const shuffle = Rng.derive(seed, STREAM.plays);
    const songs = shuffled(shuffle, catalog.map((entry) => entry.song));
    this.catalogTracks = songs.map((song, id) => toTrack(id, song, true));
    this.unmatchedTracks = buildUnmatched(seed, catalog, this.catalogTracks.length);
    this.all = [...this.catalogTracks, ...this.unmatchedTracks];
  }

  /** A track by popularity (a few songs get most plays), matched with the configured share. */
  pick(rng: Rng): Track {
    const matched = this.catalogTracks.length > 0 && rng.chance(this.matchRate);
    const pool = matched ? this.catalogTracks : this.unmatchedTracks;
    const track = pool[Math.floor(pool.length * rng.next() ** 3)];
    if (!track) throw new RangeError('empty track pool');
    return track;
  }
}

function buildUnmatched(seed: number, catalog: readonly CatalogEntry[], firstId: number): Track[] {
  const rng = Rng.derive(seed, STREAM.unmatched);
  const songs = catalog.map((entry) => entry.song);
  const taken = new Set(songs.map((song) => trackKey(song.title, song.artistName, song.duration)));
  const size = Math.min(UNMATCHED_RULES.maxPool, Math.max(UNMATCHED_RULES.minPool, songs.length * UNMATCHED_RULES.poolPerSong));
  const accented = songs.filter((song) => /[^\x00-\x7f]/.test(song.artistName));
  const tracks: Track[] = [];
  for (let i = 0; i < size; i++) {
    let { title, artist, length } = unmatchedCandidate(rng, songs, accented);
    // Never a match by accident: nudge the length until the triple is not in the catalog.
    while (taken.has(trackKey(title, artist, length))) length = roundTo(length + 0.00001, 5);
    tracks.push(toTrack(firstId + i, { title, artistName: artist, duration: length }, false));
  }
  return tracks;
}

function unmatchedCandidate(
  rng: Rng,
  songs: readonly Song[],
  accented: readonly Song[],
): { title: string; artist: string; length: number } {
  const near = UNMATCHED_RULES.nearMiss;
  const r = rng.next();
  const song = songs.length > 0 ? rng.pick(songs) : undefined;
  const fresh = { title: makeTitle(rng), artist: makeArtistName(rng), length: songDuration(rng) };
  if (!song) return fresh;
  const same = { title: song.title, artist: song.artistName, length: song.duration };
  let bound = near.length;
  if (r < bound) {
    const delta = rng.chance(0.3) ? 0.00001 : 0.5 + 3 * rng.next();
    return { ...same, length: roundTo(song.duration + (rng.chance(0.5) ? delta : -delta), 5) };
  }
  if (r < (bound += near.artist)) return { ...same, artist: fresh.artist };
  if (r < (bound += near.case)) {
    const title = song.title.toUpperCase() !== song.title ? song.title.toUpperCase() : song.title.toLowerCase();
    return { ...same, title };
  }
  if (r < (bound += near.mojibake) && accented.length > 0) {
    const source = rng.pick(accented);
    return { title: source.title, artist: mojibake(source.artistName), length: source.duration };
  }
  return fresh;
}

function toTrack(id: number, song: Pick<Song, 'title' | 'artistName' | 'duration'>, matched: boolean): Track {
  return { id, artist: song.artistName, title: song.title, length: song.duration, matched };
}

function trackKey(title: string, artist: string, length: number): string {
  return `${title}\u0000${artist}\u0000${length}`;
}

/** UTF-8 bytes misread as Latin-1, twice: `é` becomes `Ã\u0083Â©`, as in the original logs. */
export function mojibake(text: string): string {
  const once = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
  return once(once(text));
}

function shuffled<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}
