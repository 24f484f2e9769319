import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CancelledError, ConfigError } from '@sparkify/core';
import { generateDataset, type GenerateDatasetOptions, type GenerateResult } from './generate-dataset.js';

const SAMPLE = resolve(process.cwd(), '../shared/data/udacity-sample');
const BASE = { events: 2500, songs: 150, seed: 7 } as const;

type Json = Record<string, unknown>;

interface Dataset {
  readonly dir: string;
  readonly result: GenerateResult;
  /** Relative path → content. */
  readonly files: Map<string, string>;
  readonly songs: Json[];
  readonly events: Json[];
}

const roots: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-generator-'));
  roots.push(dir);
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function readDataset(dir: string, result: GenerateResult): Promise<Dataset> {
  const files = new Map<string, string>();
  for (const path of await listFiles(dir)) files.set(path, await readFile(join(dir, path), 'utf8'));
  const songs = [...files].filter(([path]) => path.startsWith('song_data/')).map(([, text]) => JSON.parse(text) as Json);
  const events = [...files]
    .filter(([path]) => path.startsWith('log_data/'))
    .flatMap(([, text]) => text.split('\n').map((line) => JSON.parse(line) as Json));
  return { dir, result, files, songs, events };
}

async function generate(options: Partial<GenerateDatasetOptions> = {}): Promise<Dataset> {
  const dir = await tempDir();
  const result = await generateDataset({ ...BASE, out: dir, ...options });
  return readDataset(dir, result);
}

function digest(dataset: Dataset): string {
  const hash = createHash('sha256');
  for (const [path, text] of dataset.files) hash.update(`${path}\n${text}\n`);
  return hash.digest('hex');
}

/** Keys written as floats (Python `1.0` style); every other number is an integer. */
const FLOAT_KEYS = new Set(['artist_latitude', 'artist_longitude', 'duration', 'length', 'registration']);

function asciiJsonString(text: string, escapeSlash: boolean): string {
  const escaped = JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escapeSlash ? escaped.replace(/\//g, '\\/') : escaped;
}

/**
 * Re-writes a parsed record in one of the two original styles. Checked against the real
 * sample first, then used to prove that generated files have exactly that style.
 */
function restyle(record: Json, style: 'song' | 'log'): string {
  const parts = Object.entries(record).map(([key, value]) => {
    let text: string;
    if (value === null) text = 'null';
    else if (typeof value === 'string') text = asciiJsonString(value, style === 'log');
    else if (typeof value === 'number') text = FLOAT_KEYS.has(key) && Number.isInteger(value) ? `${value}.0` : String(value);
    else throw new Error(`unexpected ${typeof value} at ${key}`);
    return style === 'song' ? `"${key}": ${text}` : `"${key}":${text}`;
  });
  return style === 'song' ? `{${parts.join(', ')}}` : `{${parts.join(',')}}`;
}

function typeShape(record: Json): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, value === null ? 'null' : typeof value === 'number' && !FLOAT_KEYS.has(key) ? 'integer' : typeof value]),
  );
}

let sampleSongText: string;
let sampleLogLines: string[];
let sampleJsonPaths: string;
let main: Dataset;

beforeAll(async () => {
  const songPaths = (await listFiles(join(SAMPLE, 'song_data'))).map((path) => join(SAMPLE, 'song_data', path));
  sampleSongText = await readFile(songPaths[0] ?? '', 'utf8');
  sampleLogLines = [];
  for (const path of await listFiles(join(SAMPLE, 'log_data'))) {
    sampleLogLines.push(...(await readFile(join(SAMPLE, 'log_data', path), 'utf8')).split('\n'));
  }
  sampleJsonPaths = await readFile(join(SAMPLE, 'log_json_path.json'), 'utf8');
  main = await generate();
});

afterAll(async () => {
  for (const dir of roots) await rm(dir, { recursive: true, force: true });
});

describe('generateDataset: layout and style match the original sample', () => {
  it('restyles the real sample byte for byte (the checker itself is right)', () => {
    expect(restyle(JSON.parse(sampleSongText) as Json, 'song')).toBe(sampleSongText);
    const differing = sampleLogLines.filter((line) => restyle(JSON.parse(line) as Json, 'log') !== line);
    expect(differing).toEqual([]);
  });

  it('writes one song object per file under song_data/<3rd>/<4th>/<5th letter of the track id>/', () => {
    const songFiles = [...main.files.keys()].filter((path) => path.startsWith('song_data/'));
    expect(songFiles).toHaveLength(BASE.songs);
    for (const path of songFiles) {
      const match = /^song_data\/([A-Z])\/([A-Z])\/([A-Z])\/(TR[A-Z0-9]{16})\.json$/.exec(path);
      expect(match).not.toBeNull();
      const [, a, b, c, trackId] = match ?? [];
      expect(trackId?.slice(2, 5)).toBe(`${a}${b}${c}`);
    }
  });

  it('writes song files with the sample keys, order, types and formatting', () => {
    const sample = JSON.parse(sampleSongText) as Json;
    for (const [path, text] of main.files) {
      if (!path.startsWith('song_data/')) continue;
      const song = JSON.parse(text) as Json;
      expect(Object.keys(song)).toEqual(Object.keys(sample));
      expect(restyle(song, 'song')).toBe(text);
      const shape = typeShape(song);
      for (const [key, type] of Object.entries(typeShape(sample))) {
        if (type !== 'null' && shape[key] !== 'null') expect(`${key}: ${shape[key]}`).toBe(`${key}: ${type}`);
      }
      expect(song.song_id).toMatch(/^SO[A-Z0-9]{16}$/);
      expect(song.artist_id).toMatch(/^AR[A-Z0-9]{16}$/);
    }
  });

  it('writes log_json_path.json identical to the sample', () => {
    expect(main.files.get('log_json_path.json')).toBe(sampleJsonPaths);
  });

  it('writes one NDJSON file a day from startDate, no final newline, events in ts order within their day', () => {
    const logFiles = [...main.files.keys()].filter((path) => path.startsWith('log_data/'));
    expect(logFiles).toEqual(Array.from({ length: 30 }, (_, d) => `log_data/2018/11/2018-11-${String(d + 1).padStart(2, '0')}-events.json`));
    for (const path of logFiles) {
      const text = main.files.get(path) ?? '';
      expect(text.endsWith('\n')).toBe(false);
      const day = path.slice(-22, -12);
      let previous = 0;
      for (const line of text.split('\n')) {
        const ts = (JSON.parse(line) as Json).ts as number;
        expect(ts).toBeGreaterThanOrEqual(previous);
        expect(new Date(ts).toISOString().slice(0, 10)).toBe(day);
        previous = ts;
      }
    }
  });

  it('writes events with the 18 sample keys, order, types and formatting', () => {
    const sample = JSON.parse(sampleLogLines[0] ?? '') as Json;
    const sampleShape = typeShape(sample);
    const problems = new Set<string>();
    for (const [path, text] of main.files) {
      if (!path.startsWith('log_data/')) continue;
      for (const line of text.split('\n')) {
        const event = JSON.parse(line) as Json;
        if (Object.keys(event).join() !== Object.keys(sample).join()) problems.add(`keys: ${line}`);
        if (restyle(event, 'log') !== line) problems.add(`style: ${line}`);
        const shape = typeShape(event);
        for (const [key, type] of Object.entries(sampleShape)) {
          if (type !== 'null' && shape[key] !== 'null' && shape[key] !== type) problems.add(`${key} is ${shape[key]}, not ${type}`);
        }
      }
    }
    expect([...problems]).toEqual([]);
    expect(main.files.get('log_data/2018/11/2018-11-02-events.json')).toMatch(/"userAgent":"Mozilla\\\/5\.0 \(/);
    expect(main.files.get('log_data/2018/11/2018-11-02-events.json')).toMatch(/"registration":\d{13}\.0,/);
  });

  it('writes logged-out events like the sample: userId "", null names, location, registration and agent', () => {
    const sampleOut = sampleLogLines.map((line) => JSON.parse(line) as Json).find((e) => e.auth === 'Logged Out');
    const out = main.events.filter((e) => e.auth === 'Logged Out');
    expect(sampleOut).toBeDefined();
    expect(out.length).toBeGreaterThan(0);
    const nullKeys = (e: Json): string[] => Object.keys(e).filter((key) => e[key] === null);
    for (const event of out) {
      expect(event.userId).toBe('');
      expect(nullKeys(event)).toEqual(nullKeys(sampleOut ?? {}));
      expect(['Home', 'Login', 'About', 'Help']).toContain(event.page);
    }
    for (const event of main.events.filter((e) => e.auth === 'Logged In')) expect(event.userId).toMatch(/^[1-9]\d*$/);
  });
});

describe('generateDataset: counts and determinism', () => {
  it('writes exactly the requested events and song files and reports them', async () => {
    expect(main.events).toHaveLength(BASE.events);
    expect(main.songs).toHaveLength(BASE.songs);
    let bytes = 0;
    for (const text of main.files.values()) bytes += Buffer.byteLength(text);
    expect(main.result).toEqual({ songFiles: BASE.songs, logFiles: 30, events: BASE.events, bytes });
  });

  it('gives the same bytes for the same options and other bytes for another seed', async () => {
    const again = await generate();
    expect(digest(again)).toBe(digest(main));
    const other = await generate({ seed: BASE.seed + 1 });
    expect(other.events).toHaveLength(BASE.events);
    expect(digest(other)).not.toBe(digest(main));
  });

  it('spreads the days over months and skips days without events', async () => {
    const small = await generate({ events: 4, songs: 3, days: 3, startDate: '2018-11-29' });
    const logs = [...small.files.keys()].filter((path) => path.startsWith('log_data/'));
    expect(logs).toEqual([
      'log_data/2018/11/2018-11-29-events.json',
      'log_data/2018/11/2018-11-30-events.json',
      'log_data/2018/12/2018-12-01-events.json',
    ]);
    expect(small.events).toHaveLength(4);
    const none = await generate({ events: 0, songs: 1 });
    expect(none.result).toMatchObject({ logFiles: 0, events: 0, songFiles: 1 });
  });
});

describe('generateDataset: the rules the pipeline must handle are exercised', () => {
  const key = (title: unknown, artist: unknown, length: unknown): string => JSON.stringify([title, artist, length]);

  it('distributes pages like the sample, NextSong about 85%', () => {
    const pages = new Map<string, number>();
    for (const e of main.events) pages.set(e.page as string, (pages.get(e.page as string) ?? 0) + 1);
    const share = (pages.get('NextSong') ?? 0) / main.events.length;
    expect(share).toBeGreaterThan(0.78);
    expect(share).toBeLessThan(0.9);
    for (const page of ['Home', 'Login', 'Logout', 'Settings', 'Upgrade', 'Downgrade', 'Help', 'About', 'Submit Upgrade']) {
      expect(`${page}: ${pages.has(page)}`).toBe(`${page}: true`);
    }
  });

  it('matches about 60% of plays to a song by title, artist and duration, with near misses among the rest', () => {
    const catalog = new Set(main.songs.map((s) => key(s.title, s.artist_name, s.duration)));
    const titleArtist = new Set(main.songs.map((s) => key(s.title, s.artist_name, null)));
    const plays = main.events.filter((e) => e.page === 'NextSong');
    const matched = plays.filter((e) => catalog.has(key(e.song, e.artist, e.length)));
    expect(matched.length / plays.length).toBeGreaterThan(0.52);
    expect(matched.length / plays.length).toBeLessThan(0.68);
    const nearMisses = plays.filter((e) => !catalog.has(key(e.song, e.artist, e.length)) && titleArtist.has(key(e.song, e.artist, null)));
    expect(nearMisses.length).toBeGreaterThan(0);
  });

  it('honours matchRate 0 and 1', async () => {
    for (const matchRate of [0, 1]) {
      const dataset = await generate({ events: 400, songs: 40, matchRate });
      const catalog = new Set(dataset.songs.map((s) => key(s.title, s.artist_name, s.duration)));
      const plays = dataset.events.filter((e) => e.page === 'NextSong');
      const matched = plays.filter((e) => catalog.has(key(e.song, e.artist, e.length)));
      expect(matched.length).toBe(matchRate * plays.length);
    }
  });

  it('changes levels over time, both ways, so a latest level differs from an earlier one', () => {
    const levels = new Map<string, string[]>();
    for (const e of main.events) {
      if (e.userId === '') continue;
      levels.set(e.userId as string, [...(levels.get(e.userId as string) ?? []), e.level as string]);
    }
    const changed = [...levels.values()].filter((list) => list[0] !== list[list.length - 1]);
    expect(changed.length).toBeGreaterThan(1);
    const pages = new Set(main.events.map((e) => e.page));
    expect(pages.has('Submit Upgrade') && pages.has('Submit Downgrade')).toBe(true);
    // The level switches on the event after the submission, as in the sample.
    const submit = main.events.find((e) => e.page === 'Submit Upgrade');
    expect(submit?.level).toBe('free');
  });

  it('has a user population with names, genders, locations and several user agents', () => {
    const users = new Map<string, Json>();
    for (const e of main.events) if (e.userId !== '') users.set(e.userId as string, e);
    expect(users.size).toBeGreaterThan(20);
    const agents = new Set([...users.values()].map((e) => e.userAgent));
    expect(agents.size).toBeGreaterThanOrEqual(5);
    expect(new Set([...users.values()].map((e) => e.gender))).toEqual(new Set(['F', 'M']));
    for (const e of users.values()) {
      expect(e.firstName).toEqual(expect.any(String));
      expect(e.location).toEqual(expect.any(String));
    }
  });

  it('numbers items within sessions from 0 and shares some ts between events', () => {
    const items = new Map<number, number[]>();
    for (const e of main.events) items.set(e.sessionId as number, [...(items.get(e.sessionId as number) ?? []), e.itemInSession as number]);
    for (const list of items.values()) expect(list).toEqual(list.map((_, i) => i));
    const ts = main.events.map((e) => e.ts as number);
    expect(new Set(ts).size).toBeLessThan(ts.length);
  });

  it('repeats some song ids with different values, some artists over several songs, some without location', () => {
    const byId = new Map<string, Json[]>();
    for (const s of main.songs) byId.set(s.song_id as string, [...(byId.get(s.song_id as string) ?? []), s]);
    const repeated = [...byId.values()].filter((list) => list.length > 1);
    expect(repeated.length).toBeGreaterThan(0);
    for (const [a, b] of repeated) expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    const perArtist = new Map<string, number>();
    for (const s of main.songs) perArtist.set(s.artist_id as string, (perArtist.get(s.artist_id as string) ?? 0) + 1);
    expect([...perArtist.values()].some((n) => n >= 3)).toBe(true);
    const unplaced = main.songs.filter((s) => s.artist_latitude === null && s.artist_longitude === null && s.artist_location === '');
    expect(unplaced.length).toBeGreaterThan(0);
  });
});

describe('generateDataset: options, progress and cancellation', () => {
  it('rejects bad options with a ConfigError naming the option', async () => {
    const out = await tempDir();
    await expect(generateDataset({ ...BASE, out, events: -1 })).rejects.toThrow(ConfigError);
    await expect(generateDataset({ ...BASE, out, startDate: '2018-02-30' })).rejects.toThrow(/startDate/);
    await expect(generateDataset({ ...BASE, out, songs: 0 })).rejects.toThrow(/songs/);
  });

  it('refuses to mix with an existing data set unless asked to replace it', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'notes.txt'), 'keep me');
    const small = { events: 50, songs: 5, seed: 1, out };
    await generateDataset(small);
    await expect(generateDataset(small)).rejects.toThrow(ConfigError);
    await expect(generateDataset({ ...small, overwrite: true })).resolves.toMatchObject({ events: 50 });
    expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
    const file = join(out, 'notes.txt');
    await expect(generateDataset({ ...small, out: file })).rejects.toThrow(/not a folder/);
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('reports progress up to the final totals', async () => {
    const reports: { filesWritten: number; bytesWritten: number; eventsWritten: number }[] = [];
    const out = await tempDir();
    const result = await generateDataset({ events: 300, songs: 10, seed: 3, out, onProgress: (p) => reports.push(p) });
    const last = reports[reports.length - 1];
    expect(last).toEqual({ filesWritten: result.songFiles + result.logFiles + 1, bytesWritten: result.bytes, eventsWritten: result.events });
    for (const [i, report] of reports.entries()) {
      if (i > 0) expect(report.bytesWritten).toBeGreaterThanOrEqual(reports[i - 1]?.bytesWritten ?? 0);
    }
  });

  it('stops with CancelledError when the signal aborts', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(generateDataset({ ...BASE, out: await tempDir(), signal: aborted.signal })).rejects.toThrow(CancelledError);

    const midway = new AbortController();
    const run = generateDataset({
      events: 3000,
      songs: 20,
      seed: 5,
      out: await tempDir(),
      signal: midway.signal,
      onProgress: (p) => {
        if (p.eventsWritten > 0) midway.abort();
      },
    });
    await expect(run).rejects.toThrow(CancelledError);
  });
});
