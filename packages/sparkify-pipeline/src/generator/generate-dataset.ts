import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CancelledError, ConfigError, PipelineError, configErrorFromZod, isAbortError, throwIfAborted } from '@sparkify/core';
import { z } from 'zod';
import { buildCatalog, renderSongFile, songFilePath, type CatalogEntry } from './catalog.js';
import { EventEncoder } from './event-encoding.js';
import { dailyQuotas, dayEvents, type EventLogContext } from './event-log.js';
import { ChunkedFileWriter, forEachBounded } from './output-files.js';
import { Rng, STREAM } from './prng.js';
import { TrackPicker } from './tracks.js';
import { buildPopulation, defaultUserCount } from './users.js';

/** The committed sample (data/sample) is generated with these; so is `sparkify generate` by default. */
export const DEFAULT_EVENTS = 8000;
export const DEFAULT_SONGS = 300;
export const DEFAULT_SEED = 42;
export const DEFAULT_DAYS = 30;
export const DEFAULT_START_DATE = '2018-11-01';
/** Share of NextSong events whose (song, artist, length) equals a song file's (title, artist_name, duration). */
export const DEFAULT_MATCH_RATE = 0.6;
/** Song files written at once. */
export const SONG_FILE_CONCURRENCY = 32;

/** The JSONPaths file of the original data set, byte for byte (18 expressions, alphabetical). */
export const LOG_JSONPATHS_TEXT = `{
"jsonpaths": [
${[
  'artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
  'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId',
]
  .map((key) => `"$['${key}']"`)
  .join(',\n')}
]
}
`;

export interface GenerateProgress {
  filesWritten: number;
  bytesWritten: number;
  eventsWritten: number;
}

export interface GenerateResult {
  songFiles: number;
  logFiles: number;
  events: number;
  bytes: number;
}

const optionsSchema = z
  .object({
    out: z.string().min(1).describe('output folder; song_data/, log_data/ and log_json_path.json go inside'),
    events: z.number().int().min(0).max(2_000_000_000).describe('log events in total, exactly'),
    songs: z.number().int().min(1).max(10_000_000).describe('song files in total, exactly (duplicate ids included)'),
    seed: z.number().int().refine(Number.isSafeInteger, 'expected a safe integer').describe('the same seed gives the same bytes'),
    days: z.number().int().min(1).max(3660).default(DEFAULT_DAYS).describe('one log file a day'),
    startDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
      .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'not a calendar date')
      .default(DEFAULT_START_DATE)
      .describe('first day (UTC)'),
    matchRate: z.number().min(0).max(1).default(DEFAULT_MATCH_RATE),
    users: z.number().int().min(1).max(10_000_000).optional().describe('listeners; default about 1.1·√events'),
    overwrite: z.boolean().default(false).describe('replace song_data/, log_data/ and log_json_path.json if OUT already has them'),
  })
  .strict();

export type GenerateDatasetOptions = z.input<typeof optionsSchema> & {
  onProgress?: (progress: GenerateProgress) => void;
  signal?: AbortSignal;
};

/**
 * Writes a deterministic Sparkify data set in the original layout:
 * `song_data/A/B/C/TR….json` (one song object a file), `log_data/YYYY/MM/YYYY-MM-DD-events.json`
 * (NDJSON, one file a day, ts order) and `log_json_path.json`. The same options give the same
 * bytes. Memory does not grow with the number of events; songs are held in memory (they are
 * needed to make matching plays). On cancel it throws CancelledError and leaves what it wrote.
 */
export async function generateDataset(options: GenerateDatasetOptions): Promise<GenerateResult> {
  const { onProgress, signal, ...data } = options;
  const parsed = optionsSchema.safeParse(data);
  if (!parsed.success) throw configErrorFromZod(parsed.error, 'generate');
  const opts = parsed.data;
  throwIfAborted(signal);
  await prepareOutput(opts.out, opts.overwrite);

  const progress: GenerateProgress = { filesWritten: 0, bytesWritten: 0, eventsWritten: 0 };
  const report = (): void => onProgress?.({ ...progress });
  const catalog = buildCatalog(opts.seed, opts.songs);
  await writeSongFiles(opts.out, catalog, progress, report, signal);
  await writeText(join(opts.out, 'log_json_path.json'), LOG_JSONPATHS_TEXT, signal);
  progress.filesWritten++;
  progress.bytesWritten += Buffer.byteLength(LOG_JSONPATHS_TEXT);
  const logFiles = await writeLogFiles(opts, catalog, progress, report, signal);
  report();
  return { songFiles: catalog.length, logFiles, events: progress.eventsWritten, bytes: progress.bytesWritten };
}

const OWNED_ENTRIES = ['song_data', 'log_data', 'log_json_path.json'] as const;

async function prepareOutput(out: string, overwrite: boolean): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new ConfigError(`generate: ${out} is not a folder`, { location: { configPath: 'out', file: out }, hint: 'give a folder path for the data set' });
  }
  const existing: string[] = [];
  for (const entry of OWNED_ENTRIES) {
    if (await stat(join(out, entry)).catch(() => undefined)) existing.push(entry);
  }
  if (existing.length > 0 && !overwrite) {
    throw new ConfigError(`generate: ${out} already holds ${existing.join(', ')}; new files would mix with the old ones`, {
      location: { configPath: 'out', file: out },
      hint: 'choose an empty folder, delete those entries, or ask to replace them (overwrite)',
    });
  }
  try {
    for (const entry of existing) await rm(join(out, entry), { recursive: true, force: true });
    await mkdir(out, { recursive: true });
  } catch (error) {
    throw new ConfigError(`generate: cannot prepare ${out}: ${messageOf(error)}`, {
      cause: error,
      location: { configPath: 'out', file: out },
      hint: 'give a folder you can write to',
    });
  }
}

async function writeSongFiles(
  out: string,
  catalog: readonly CatalogEntry[],
  progress: GenerateProgress,
  report: () => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const paths = catalog.map((entry) => join(out, songFilePath(entry.song.trackId)));
  const folders = [...new Set(paths.map((path) => dirname(path)))].sort();
  await forEachBounded(
    folders,
    SONG_FILE_CONCURRENCY,
    async (folder) => {
      await mkdir(folder, { recursive: true }).catch((error: unknown) => {
        throw writeError(error, folder);
      });
    },
    signal,
  );
  await forEachBounded(
    catalog,
    SONG_FILE_CONCURRENCY,
    async (entry, index) => {
      const text = renderSongFile(entry.song);
      await writeText(paths[index] ?? '', text, signal);
      progress.filesWritten++;
      progress.bytesWritten += Buffer.byteLength(text);
      if (progress.filesWritten % 500 === 0) report();
    },
    signal,
  );
}

async function writeLogFiles(
  opts: z.output<typeof optionsSchema>,
  catalog: readonly CatalogEntry[],
  progress: GenerateProgress,
  report: () => void,
  signal: AbortSignal | undefined,
): Promise<number> {
  const firstDayMs = Date.parse(`${opts.startDate}T00:00:00Z`);
  // Every ts and registration shares one millisecond part, as in the original logs.
  const msOffset = Rng.derive(opts.seed, STREAM.days, -1).int(1000);
  const tracks = new TrackPicker(catalog, opts.seed, opts.matchRate);
  const population = buildPopulation(opts.seed, opts.users ?? defaultUserCount(opts.events), firstDayMs, msOffset);
  const encoder = new EventEncoder(tracks.all, population.users);
  const ctx: EventLogContext = { seed: opts.seed, tracks, population, msOffset, nextSessionId: 1 };
  const quotas = dailyQuotas(opts.seed, opts.events, opts.days, firstDayMs);
  let files = 0;
  for (const [day, quota] of quotas.entries()) {
    if (quota === 0) continue;
    throwIfAborted(signal);
    const dayStartMs = firstDayMs + day * 86_400_000;
    const path = join(opts.out, logFilePath(dayStartMs));
    await mkdir(dirname(path), { recursive: true }).catch((error: unknown) => {
      throw writeError(error, dirname(path));
    });
    const writer = new ChunkedFileWriter(path, signal);
    try {
      let first = true;
      for (const event of dayEvents(ctx, day, dayStartMs, quota)) {
        const target = writer.reserve(encoder.maxLineBytes);
        writer.commit(encoder.encode(event, first, target, writer.position));
        first = false;
        progress.eventsWritten++;
        if (writer.full) {
          const before = writer.bytesWritten;
          await writer.flush();
          progress.bytesWritten += writer.bytesWritten - before;
          report();
        }
      }
      const before = writer.bytesWritten;
      await writer.close();
      progress.bytesWritten += writer.bytesWritten - before;
    } catch (error) {
      writer.destroy();
      throw writeError(error, path);
    }
    files++;
    progress.filesWritten++;
    report();
  }
  return files;
}

/** `log_data/2018/11/2018-11-01-events.json` for the day starting at `dayStartMs` (UTC). */
export function logFilePath(dayStartMs: number): string {
  const date = new Date(dayStartMs).toISOString().slice(0, 10);
  return `log_data/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-events.json`;
}

async function writeText(path: string, text: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await writeFile(path, text, signal ? { signal } : {});
  } catch (error) {
    throw writeError(error, path);
  }
}

function writeError(error: unknown, path: string): PipelineError {
  if (error instanceof PipelineError) return error;
  if (isAbortError(error)) return new CancelledError('cancelled', { cause: error, location: { file: path } });
  return new PipelineError('internal', `generate: could not write ${path}: ${messageOf(error)}`, {
    cause: error,
    location: { file: path },
    hint: 'check that the output folder is writable and the disk has room',
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
