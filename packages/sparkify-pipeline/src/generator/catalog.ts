import { jsonFloat, jsonString, jsonStringOrNull, roundTo } from './json-text.js';
import { mix32, Rng, STREAM } from './prng.js';
import {
  ARTIST_PATTERNS,
  ARTIST_PLACES,
  ARTIST_WORDS,
  FIRST_NAMES_F,
  FIRST_NAMES_M,
  LAST_NAMES,
  TITLE_PATTERNS,
  TITLE_WORDS,
  VAGUE_PLACES,
} from './vocabulary.js';

/** One song object, as a song_data file holds it. */
export interface Song {
  readonly trackId: string;
  readonly songId: string;
  readonly artistId: string;
  readonly artistName: string;
  readonly artistLatitude: number | null;
  readonly artistLongitude: number | null;
  readonly artistLocation: string;
  readonly title: string;
  /** Seconds, already rounded to 5 decimals. */
  readonly duration: number;
  /** 0 when unknown, as in the Million Song Dataset. */
  readonly year: number;
}

/** Why a song file exists; the edge cases are listed in the README of data/sample. */
export type SongKind = 'original' | 'duplicate-id' | 're-release';

export interface CatalogEntry {
  readonly song: Song;
  readonly kind: SongKind;
}

/** Shares of the catalog that exercise the pipeline's rules. */
export const CATALOG_RULES = {
  /** Songs by an artist who already has a song (so some artists have several). */
  repeatArtistShare: 0.3,
  /** New artists with no location at all (null coordinates, empty location). */
  noLocationShare: 0.4,
  /** New artists with a free-text location but null coordinates. */
  vagueLocationShare: 0.15,
  /** Songs of a repeated artist that carry different artist location values. */
  artistVariantShare: 0.1,
  /** New artists that share the name of an earlier, different artist. */
  namesakeShare: 0.01,
  /** Files repeating an earlier song_id with different values (from 20 songs on, at least 1). */
  duplicateIdShare: 0.01,
  /** Files with a new song_id but the same title, artist and duration (from 50 songs on). */
  reReleaseShare: 0.005,
  /** Songs with year 0 (unknown). */
  unknownYearShare: 0.45,
} as const;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789ABCDEF';

interface Artist {
  readonly id: string;
  readonly name: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly location: string;
}

/**
 * Builds every song file of the dataset, in file order. `count` files in total: originals, then
 * the duplicate-id and re-release files, which copy earlier originals.
 */
export function buildCatalog(seed: number, count: number): CatalogEntry[] {
  const rng = Rng.derive(seed, STREAM.catalog);
  const duplicateIds = count >= 20 ? Math.max(1, Math.round(count * CATALOG_RULES.duplicateIdShare)) : 0;
  const reReleases = count >= 50 ? Math.max(1, Math.round(count * CATALOG_RULES.reReleaseShare)) : 0;
  const originals = count - duplicateIds - reReleases;
  const ids = new IdMaker(seed, count);
  const artists: Artist[] = [];
  const entries: CatalogEntry[] = [];

  for (let i = 0; i < originals; i++) {
    const artist = chooseArtist(rng, entries, artists, ids);
    entries.push({
      kind: 'original',
      song: {
        trackId: ids.trackId(rng, i),
        songId: ids.songId(rng, i),
        artistId: artist.id,
        artistName: artist.name,
        artistLatitude: artist.latitude,
        artistLongitude: artist.longitude,
        artistLocation: artist.location,
        title: makeTitle(rng),
        duration: songDuration(rng),
        year: songYear(rng),
      },
    });
  }
  const sources = distinctPicks(rng, originals, duplicateIds + reReleases);
  sources.forEach((source, j) => {
    const original = entries[source]?.song;
    if (!original) return;
    const fileIndex = originals + j;
    const trackId = ids.trackId(rng, fileIndex);
    const song =
      j < duplicateIds
        ? changedCopy(rng, original, trackId)
        : { ...original, trackId, songId: ids.songId(rng, fileIndex), year: songYear(rng) };
    entries.push({ kind: j < duplicateIds ? 'duplicate-id' : 're-release', song });
  });
  return entries;
}

/** The same song_id with other values: a remaster (duration, year) or a retitled edition. */
function changedCopy(rng: Rng, original: Song, trackId: string): Song {
  const otherYear = original.year === 0 ? rng.between(1990, 2010) : 0;
  if (rng.chance(0.5)) {
    const delta = roundTo((rng.chance(0.5) ? 1 : -1) * (0.5 + rng.next() * 4), 5);
    return { ...original, trackId, duration: roundTo(original.duration + delta, 5), year: otherYear };
  }
  return { ...original, trackId, title: `${original.title} (Remastered)`, year: otherYear };
}

function chooseArtist(rng: Rng, entries: readonly CatalogEntry[], artists: Artist[], ids: IdMaker): Artist {
  if (entries.length > 0 && rng.chance(CATALOG_RULES.repeatArtistShare)) {
    // Picking through an earlier song favours artists who already have many (a long tail).
    const earlier = entries[rng.int(entries.length)]?.song;
    if (earlier) {
      const artist = artistOf(earlier);
      if (!rng.chance(CATALOG_RULES.artistVariantShare)) return artist;
      return { ...artist, ...placeOf(rng, artist.location === '' ? 'coordinates' : 'none') };
    }
  }
  const namesake = artists.length > 0 && rng.chance(CATALOG_RULES.namesakeShare);
  const artist: Artist = {
    id: ids.artistId(rng, artists.length),
    name: namesake ? rng.pick(artists).name : makeArtistName(rng),
    ...placeOf(rng),
  };
  artists.push(artist);
  return artist;
}

function artistOf(song: Song): Artist {
  return {
    id: song.artistId,
    name: song.artistName,
    latitude: song.artistLatitude,
    longitude: song.artistLongitude,
    location: song.artistLocation,
  };
}

type PlaceKind = 'none' | 'vague' | 'coordinates';

function placeOf(rng: Rng, kind?: PlaceKind): Pick<Artist, 'latitude' | 'longitude' | 'location'> {
  const r = rng.next();
  const chosen: PlaceKind =
    kind ?? (r < CATALOG_RULES.noLocationShare ? 'none' : r < CATALOG_RULES.noLocationShare + CATALOG_RULES.vagueLocationShare ? 'vague' : 'coordinates');
  if (chosen === 'none') return { latitude: null, longitude: null, location: '' };
  if (chosen === 'vague') return { latitude: null, longitude: null, location: rng.pick(VAGUE_PLACES) };
  const [location, latitude, longitude] = rng.pick(ARTIST_PLACES);
  return { latitude, longitude, location };
}

export function makeTitle(rng: Rng): string {
  return fillPattern(rng.pick(TITLE_PATTERNS), {
    A: () => rng.pick(TITLE_WORDS),
    B: () => rng.pick(TITLE_WORDS),
    C: () => rng.pick(TITLE_WORDS),
  });
}

export function makeArtistName(rng: Rng): string {
  const first = (): string => rng.pick(rng.chance(0.5) ? FIRST_NAMES_F : FIRST_NAMES_M);
  return fillPattern(rng.pick(ARTIST_PATTERNS), {
    W: () => rng.pick(ARTIST_WORDS),
    X: () => rng.pick(ARTIST_WORDS),
    F: first,
    F2: first,
    L: () => rng.pick(LAST_NAMES),
    L2: () => rng.pick(LAST_NAMES),
  });
}

function fillPattern(pattern: string, fillers: Readonly<Record<string, () => string>>): string {
  return pattern.replace(/\{(\w+)\}/g, (_, key: string) => fillers[key]?.() ?? key);
}

/** Seconds: log-normal around four minutes, from 20 s to 25 min, 5 decimals. */
export function songDuration(rng: Rng): number {
  const seconds = Math.min(1500, Math.max(20, Math.exp(Math.log(235) + 0.38 * rng.gaussian())));
  return roundTo(seconds, 5);
}

function songYear(rng: Rng): number {
  if (rng.chance(CATALOG_RULES.unknownYearShare)) return 0;
  return 2010 - Math.floor(60 * rng.next() ** 1.8);
}

/** `n` distinct indices below `limit` (fewer if `limit` is smaller), in draw order. */
function distinctPicks(rng: Rng, limit: number, n: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(n, limit)) picked.add(rng.int(limit));
  return [...picked];
}

/**
 * Ids in the Million Song Dataset's shape (18 characters: 2-letter kind, 5 letters, 11 more),
 * made unique by a bijective scramble of the index. The track id's 3rd to 5th letters name the
 * song_data folders. Like the original (all under `song_data/A/`), folders hold about
 * `SONGS_PER_FOLDER` files: the letters are drawn from the first few of the alphabet only, as
 * many as the catalog's size needs. Creating a folder costs more than writing a small file.
 */
export const SONGS_PER_FOLDER = 20;

class IdMaker {
  private readonly salt: number;
  /** How many letters each of the three folder levels draws from. */
  private readonly spread: readonly [number, number, number];

  constructor(seed: number, count: number) {
    this.salt = Rng.derive(seed, STREAM.ids).uint32();
    const folders = Math.ceil(count / SONGS_PER_FOLDER);
    const first = clampLetters(Math.ceil(folders / 676));
    const inner = clampLetters(Math.ceil(Math.sqrt(folders / first)));
    this.spread = [first, inner, inner];
  }

  trackId(rng: Rng, index: number): string {
    const folders = this.spread.map((n) => LETTERS.charAt(rng.int(n))).join('');
    return `TR${folders}${letters(rng, LETTERS, 2)}12${HEX.charAt(rng.int(16))}${this.unique(index, 1)}`;
  }

  songId(rng: Rng, index: number): string {
    return `SO${letters(rng, LETTERS, 5)}12A${this.unique(index, 2)}`;
  }

  artistId(rng: Rng, index: number): string {
    return `AR${letters(rng, ALNUM, 5)}118${this.unique(index, 3)}`;
  }

  private unique(index: number, kind: number): string {
    return (mix32(index ^ mix32(this.salt + kind)) >>> 0).toString(16).toUpperCase().padStart(8, '0');
  }
}

function clampLetters(n: number): number {
  return Math.min(26, Math.max(1, n));
}

function letters(rng: Rng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet.charAt(rng.int(alphabet.length));
  return out;
}

/** `song_data/A/B/C/TRABC....json`, from the track id's 3rd to 5th characters. */
export function songFilePath(trackId: string): string {
  return `song_data/${trackId.charAt(2)}/${trackId.charAt(3)}/${trackId.charAt(4)}/${trackId}.json`;
}

/** The file's text, in the sample's Python `json.dumps` style, without a final newline. */
export function renderSongFile(song: Song): string {
  return (
    `{"num_songs": 1, "artist_id": ${jsonString(song.artistId, 'song')}, ` +
    `"artist_latitude": ${song.artistLatitude === null ? 'null' : jsonFloat(song.artistLatitude, 5)}, ` +
    `"artist_longitude": ${song.artistLongitude === null ? 'null' : jsonFloat(song.artistLongitude, 5)}, ` +
    `"artist_location": ${jsonStringOrNull(song.artistLocation, 'song')}, ` +
    `"artist_name": ${jsonString(song.artistName, 'song')}, ` +
    `"song_id": ${jsonString(song.songId, 'song')}, ` +
    `"title": ${jsonString(song.title, 'song')}, ` +
    `"duration": ${jsonFloat(song.duration, 5)}, "year": ${song.year}}`
  );
}
