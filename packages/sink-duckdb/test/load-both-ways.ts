/**
 * Loads the same files through both load paths of the DuckDB sink and returns what each did,
 * for the tests that prove the server-side path loads exactly what the client-side path does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PipelineError, type QueryValue, type TableSpec, type TimeFormat } from '@sparkify/core';
import { createFsJsonSource, sourceFsConfigSchema } from '@sparkify/source-fs';
import { writeFiles } from '@sparkify/source-fs/testing';
import { DuckDbSink } from '../src/index.js';

export type Mapping = { format: 'auto' | 'auto ignorecase' } | { jsonPaths: string[] };

export interface LoadInput {
  /** Data files, key → content, under the folder `data/`. */
  files: Record<string, string | Uint8Array>;
  mapping: Mapping;
  table: TableSpec;
  timeFormat?: TimeFormat;
  maxErrors?: number;
}

/** What one path did: its LoadResult (or failure) and the table's rows afterwards, sorted. */
export interface PathOutcome {
  path?: 'server' | 'client';
  result?: unknown;
  error?: { kind: string; message: string; location?: unknown; details?: unknown };
  rows: Record<string, QueryValue>[];
  /** Why the server path passed the load on, when it did. */
  declined: string[];
}

export interface BothWays {
  /** The server path checking every value before it inserts (in a transaction, where a failed statement aborts it). */
  server: PathOutcome;
  /**
   * The server path trying one read instead (on a run's working copy, where a failed statement
   * undoes only itself), for every file: the staged read, which small files take first, is off.
   */
  tried: PathOutcome;
  client: PathOutcome;
}

type ServerLoad = { batchBytes?: number; batchFiles?: number; staged?: boolean };

/** Loads `input` from a folder on disk (`root`, default a fresh temporary one) both ways. */
export async function loadBothWays(input: LoadInput, options: { root?: string; serverLoad?: ServerLoad } = {}): Promise<BothWays> {
  const root = options.root ?? (await mkdtemp(path.join(tmpdir(), 'sink-duckdb-both-ways-')));
  try {
    if (!options.root) {
      await writeFiles(path.join(root, 'data'), input.files);
      if ('jsonPaths' in input.mapping) await writeFile(path.join(root, 'paths.json'), JSON.stringify({ jsonpaths: input.mapping.jsonPaths }));
    }
    const server = await loadOneWay(root, input, options.serverLoad ?? {});
    const tried = await loadOneWay(root, input, { ...options.serverLoad, staged: false }, undefined, true);
    const client = await loadOneWay(root, input, false);
    return { server, tried, client };
  } finally {
    if (!options.root) await rm(root, { recursive: true, force: true });
  }
}

/** Where a data set lies under its root: the data prefix, and the JSONPaths file if any. */
export interface DataLayout {
  data: string;
  jsonPaths?: string;
}

/** Loads a data set already on disk under `root` both ways (the mapping's jsonPaths come from `layout`). */
export async function loadFolderBothWays(
  root: string,
  input: Omit<LoadInput, 'files'>,
  serverLoad: ServerLoad,
  layout: DataLayout,
): Promise<BothWays> {
  return {
    server: await loadOneWay(root, input, serverLoad, layout),
    tried: await loadOneWay(root, input, { ...serverLoad, staged: false }, layout, true),
    client: await loadOneWay(root, input, false, layout),
  };
}

/**
 * One warehouse per path and batch setting, kept for the test file (opening one costs more than
 * a small load): in memory, or for the tried path a file, each load in a unit of work on its
 * working copy.
 */
const sinks = new Map<string, { sink: DuckDbSink; declined: string[] }>();
let folder: Promise<string> | undefined;

async function sinkFor(serverLoad: ServerLoad | false, contained: boolean): Promise<{ sink: DuckDbSink; declined: string[] }> {
  const key = JSON.stringify({ serverLoad, contained });
  let entry = sinks.get(key);
  if (!entry) {
    const declined: string[] = [];
    folder ??= mkdtemp(path.join(tmpdir(), 'sink-duckdb-both-ways-warehouses-'));
    const file = contained ? path.join(await folder, `warehouse-${sinks.size}.duckdb`) : ':memory:';
    entry = { sink: new DuckDbSink({ path: file, threads: 1, serverLoad, onLoadDeclined: (_, __, reason) => declined.push(reason) }), declined };
    sinks.set(key, entry);
  }
  return entry;
}

/** Closes the warehouses loadBothWays opened (call in afterAll). */
export async function closeBothWays(): Promise<void> {
  await Promise.all([...sinks.values()].map(({ sink }) => sink.close()));
  sinks.clear();
  if (folder) await rm(await folder, { recursive: true, force: true });
  folder = undefined;
}

async function loadOneWay(
  root: string,
  input: Omit<LoadInput, 'files'>,
  serverLoad: ServerLoad | false,
  layout: DataLayout = { data: 'data', jsonPaths: 'paths.json' },
  contained = false,
): Promise<PathOutcome> {
  const { sink, declined: log } = await sinkFor(serverLoad, contained);
  log.length = 0;
  const declined: string[] = [];
  {
    await sink.execute(sink.dialect.renderDropTable(input.table.name));
    await sink.execute(sink.dialect.renderCreateTable(input.table));
    const config = sourceFsConfigSchema.parse({
      path: layout.data,
      ...('jsonPaths' in input.mapping ? { jsonPaths: layout.jsonPaths } : { format: input.mapping.format }),
      timeFormat: input.timeFormat ?? 'epochmillisecs',
    });
    const source = createFsJsonSource(config, (written) => path.resolve(root, written));
    const outcome: PathOutcome = { rows: [], declined };
    if (contained) await sink.begin();
    try {
      const result = await sink.load({ source, table: input.table, maxErrors: input.maxErrors ?? 0 });
      outcome.path = result.path;
      outcome.result = { ...result, path: undefined };
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      outcome.error = { kind: error.kind, message: error.message, location: error.location, details: error.details };
    }
    // A failed load fails the unit of work, which then refuses to be read: the file is as it was.
    if (contained && outcome.error) await sink.rollback();
    const rows = await sink.query(`SELECT * FROM ${sink.dialect.quoteIdentifier(input.table.name)}`);
    outcome.rows = sortRows(rows.rows);
    if (contained) await sink.rollback();
    declined.push(...log);
    return outcome;
  }
}

/** Rows in a stable order; -0 and 0 stay distinct (JSON.stringify would print both as 0). */
function sortRows(rows: Record<string, QueryValue>[]): Record<string, QueryValue>[] {
  const key = (row: Record<string, QueryValue>) =>
    JSON.stringify(Object.values(row).map((value) => (typeof value === 'bigint' ? `${value}n` : Object.is(value, -0) ? '-0' : value)));
  return rows.map((row) => ({ row, key: key(row) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ row }) => row);
}
