import { closeSync, openSync, readSync } from 'node:fs';
import { ResultReturnType } from '@duckdb/node-api';
import { throwIfAborted, type LoadRequest, type LoadResult, type ReadProgress, type TableSpec } from '@sparkify/core';
import { MAX_RECORD_BYTES } from '@sparkify/redshift-json';
import { quoteDuckDbIdentifier as id } from '../dialect/duckdb-dialect.js';
import { STAGED, type FileBatch, type JsonReadSql } from './json-read-sql.js';
import type { LoadContext, LoadDeclined, LoadStrategy, SideConnection } from './load-strategy.js';
import { scanRawBytes } from './raw-bytes-scan.js';
import { describe, message, mismatch, planServerLoad, rawTextProblem, readRow, rethrowCancel, type PlannedBatch, type ServerPlan } from './server-json-load.js';

/**
 * The staged path reads small files only. Per file, DuckDB's read_text (the checked path's raw
 * text check) costs more than a JSON read (4.3 s against 2.6 s for 100,000 song files), so one
 * pass fewer saves most; over large files the checked path's whole-file text scan is cheaper
 * than checking record by record (0.5 s against 0.7 s for 1M events), and it overlaps other
 * work on a side connection where the staged path holds the sink's.
 */
export const SMALL_FILE_BYTES = 1024 * 1024;

export interface StagedJsonLoadOptions {
  /** Stored bytes read per batch (at least one file); default 256 MiB. */
  batchBytes?: number;
  /** Files read per batch; default 4000 (the list is part of the statement's text). */
  batchFiles?: number;
}

/**
 * DuckDB's `maximum_object_size` default: a longer record fails the read, even with
 * ignore_errors. A file no larger cannot hold one; a larger file's lines are measured first.
 */
const DUCKDB_MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * The fast server-side path, for uncompressed files: one read of each batch tallies what the
 * checked path (server-json-load.ts) learns in two reads of its own, on a side connection:
 * whether every line is one JSON value DuckDB read, whether any record is one the client path
 * would reject or load differently (values, a repeated key, trailing commas, NaN, NUL, size),
 * and whether every byte of every file is a record or a line feed. Only when all of that holds
 * for every batch does a second read insert the rows.
 *
 * Neither read can fail on the data, so both run in the sink's own turn: a line DuckDB cannot
 * read becomes a NULL row (ignore_errors), never an aborted transaction, and no value is
 * converted unless it is sure. A file whose records and line feeds do not add up to its size
 * (white space between records, CRLF, blank lines) has its raw text checked on a side
 * connection, as the checked path does. Anything it cannot vouch for declines before a row is
 * written: bad records straight to the client path, which reports them by file and line;
 * other layouts (pretty-printed JSON, several records a line) to the checked path.
 */
export function stagedJsonLoad(options: StagedJsonLoadOptions = {}): LoadStrategy {
  const limits = { batchBytes: options.batchBytes ?? 256 * 1024 * 1024, batchFiles: options.batchFiles ?? 4000 };
  const planFor = async (request: LoadRequest): Promise<StagedPlan | LoadDeclined> => {
    const description = await describe(request);
    if (!description) return { declined: 'the source could not be described' };
    const plan = planServerLoad(description, request.table, limits);
    if ('declined' in plan) return plan;
    if (plan.batches.some((batch) => batch.compression !== 'none')) return { declined: 'compressed files are read by the checked server path' };
    if (plan.objects > 0 && plan.bytes / plan.objects > SMALL_FILE_BYTES) return { declined: 'large files are read by the checked server path' };
    const { stage } = plan.sql;
    if (!stage) return { declined: 'a JSON key of this mapping is a name the staged read uses itself' };
    return { ...plan, stage };
  };
  return {
    path: 'server',
    accepts: async (request) => !('declined' in (await planFor(request))),
    plan: async (request) => {
      const plan = await planFor(request);
      if ('declined' in plan) return [`-- staged server-side load declined: ${plan.declined}`];
      const first = plan.batches[0];
      if (!first) return [`-- server-side load of no files into ${id(request.table.name)}`];
      const shown: FileBatch = { ...first, paths: first.paths.slice(0, 3) };
      return [
        `-- staged server-side load: ${plan.objects} file(s) in ${plan.batches.length} batch(es) read by DuckDB, every record and byte ` +
          `tallied first, then, only if all are sure, read again into the table; else the load passes on, having written nothing`,
        `SELECT ${STAGED.file} AS file, count(*) AS records, … FROM (${plan.stage(shown)}) GROUP BY ALL`,
        insertSql(request.table, plan.sql, shown),
      ];
    },
    prepare: async (request, openSide) => {
      const plan = await planFor(request);
      if ('declined' in plan) return plan;
      // Before the turn, so it overlaps other work: the longest line of files too large to be sure of.
      const measured = measureLines(plan, request.signal);
      return { load: (context) => loadStaged(plan, request, context, openSide, measured) };
    },
  };
}

interface StagedPlan extends ServerPlan {
  stage: NonNullable<JsonReadSql['stage']>;
}

function measureLines(plan: StagedPlan, signal: AbortSignal | undefined): Promise<LoadDeclined | undefined> {
  const large = plan.batches.flatMap((batch) => batch.paths.filter((_, i) => batch.sizes[i]! > MAX_RECORD_BYTES));
  if (large.length === 0) return Promise.resolve(undefined);
  return scanRawBytes(
    large.map((path) => ({ path, compression: 'none' as const })),
    signal ? { signal } : {},
  ).then(
    (scan) => (scan.longestLine > MAX_RECORD_BYTES || scan.longestLine > DUCKDB_MAX_OBJECT_BYTES ? { declined: 'a line is longer than the largest record COPY accepts' } : undefined),
    (error: unknown) => rethrowCancel(error, signal, { declined: `cannot scan the files: ${message(error)}` }),
  );
}

/**
 * The batch read again by read_json, into the table: the tally proved every record one it reads
 * as json_transform did, without an error (no repeated key, no malformed line, no record too
 * large), so it cannot fail but on files changed meanwhile (which fails the run, rolled back).
 */
function insertSql(table: TableSpec, sql: JsonReadSql, batch: FileBatch): string {
  const columns = table.columns.map((column) => id(column.name)).join(', ');
  return `INSERT INTO ${id(table.name)} (${columns}) ${sql.values(batch, 'newline_delimited')}`;
}

async function loadStaged(
  plan: StagedPlan,
  request: LoadRequest,
  context: LoadContext,
  openSide: () => Promise<SideConnection>,
  measured: Promise<LoadDeclined | undefined>,
): Promise<LoadResult | LoadDeclined> {
  const tooLong = await measured;
  if (tooLong) return tooLong;
  const { table, signal } = request;
  // First every batch's tally: nothing is written unless every record of every file is sure.
  const tallied: number[] = [];
  for (const batch of plan.batches) {
    throwIfAborted(signal);
    const outcome = await tallyBatch(plan, batch, context, openSide, signal);
    if ('declined' in outcome) return outcome;
    tallied.push(outcome.records);
  }
  const name = id(table.name);
  const count = async () => Number(Object.values(await context.statement(`SELECT count(*) FROM ${name}`, () => readRow(context, `SELECT count(*) FROM ${name}`)))[0] ?? 0);
  const before = await count();
  const progress: ReadProgress = { objectsDone: 0, objectsTotal: plan.objects, bytesDone: 0, bytesTotal: plan.bytes, rowsRead: 0, rowsRejected: 0 };
  for (const [index, batch] of plan.batches.entries()) {
    throwIfAborted(signal);
    const insert = insertSql(table, plan.sql, batch);
    const result = await context.statement(insert, () => context.connection.run(insert));
    const inserted = result.returnType === ResultReturnType.CHANGED_ROWS ? result.rowsChanged : -1;
    if (inserted !== tallied[index]) throw mismatch(table, `${tallied[index]} records tallied, ${inserted} rows inserted (did the files change meanwhile?)`);
    progress.objectsDone += batch.paths.length;
    progress.bytesDone += batch.bytes;
    progress.rowsRead += inserted;
    request.onProgress?.({ ...progress });
  }
  const records = tallied.reduce((sum, n) => sum + n, 0);
  const after = await count();
  if (after - before !== records) throw mismatch(table, `${records} records read, the table gained ${after - before} rows`);
  return { table: table.name, rowsRead: records, rowsLoaded: records, rowsRejected: 0, rejected: [], path: 'server', warnings: [] };
}

interface FileTally {
  records: number;
  bytes: number;
}

/** One read of a batch, aggregated: how many records, and whether every one is sure and every byte accounted for. */
async function tallyBatch(
  plan: StagedPlan,
  batch: PlannedBatch,
  context: LoadContext,
  openSide: () => Promise<SideConnection>,
  signal: AbortSignal | undefined,
): Promise<{ records: number } | LoadDeclined> {
  const tallySql =
    `SELECT ${STAGED.file} AS file, count(*) AS records, coalesce(sum(${STAGED.bytes}), 0) AS bytes, ` +
    `count_if(${STAGED.bad}) AS bad, count_if(${STAGED.unsure}) AS unsure\nFROM (${plan.stage(batch)})\nGROUP BY ALL`;
  const rows = await context.statement(tallySql, async () => (await context.connection.runAndReadAll(tallySql)).getRowObjects());
  const tallies = new Map<string, FileTally>();
  let bad = 0;
  let unsure = 0;
  for (const row of rows) {
    tallies.set(String(row['file']), { records: Number(row['records']), bytes: Number(row['bytes']) });
    bad += Number(row['bad']);
    unsure += Number(row['unsure']);
  }
  if (bad > 0) return { declined: `${bad} line(s) DuckDB could not read as one JSON value each (malformed, or not one record a line)` };
  if (unsure > 0) {
    return { declined: `${unsure} record(s) the client path would reject, or whose values cannot be proved the same server-side`, final: true };
  }
  const unaccounted = batch.paths.filter((path, i) => !accountedFor(path, batch.sizes[i]!, tallies.get(path) ?? { records: 0, bytes: 0 }));
  if (unaccounted.length > 0) {
    const problem = await checkRawText(plan.sql, unaccounted, openSide, signal);
    if (problem) return problem;
  }
  return { records: rows.reduce((sum, row) => sum + Number(row['records']), 0) };
}

/**
 * Whether every byte of a file is a record or a line feed. Lines hold one record each, so with
 * r records, their b bytes, n line feeds and k other bytes (white space DuckDB skipped),
 * size = b + n + k and n ≥ r − 1. b + r = size + 1 leaves k = 0. b + r = size leaves k = 0 when
 * the file ends in a line feed (then n ≥ r); otherwise one byte is unaccounted for, and it
 * could be a vertical tab or a form feed, white space to DuckDB but not to COPY.
 */
function accountedFor(path: string, size: number, tally: FileTally): boolean {
  const framed = tally.bytes + tally.records;
  if (framed === size + 1) return true;
  return framed === size && (size === 0 || lastByte(path, size) === LINE_FEED);
}

const LINE_FEED = 0x0a;

/** One byte, synchronously: a system call or three, against a round trip through libuv's pool. */
function lastByte(path: string, size: number): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    return readSync(fd, byte, 0, 1, size - 1) === 1 ? byte[0] : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The checked path's raw-text check, on a side connection (read_text fails on invalid UTF-8: it must not abort the run's transaction). */
async function checkRawText(sql: JsonReadSql, paths: string[], openSide: () => Promise<SideConnection>, signal: AbortSignal | undefined): Promise<LoadDeclined | undefined> {
  const side = await openSide();
  try {
    const statement = sql.textCheck(paths);
    const row = await side.statement(statement, () => readRow(side, statement));
    const problem = rawTextProblem(row);
    return problem === undefined ? undefined : { declined: problem, final: true };
  } catch (error) {
    return rethrowCancel(error, signal, { declined: message(error) });
  } finally {
    side.close();
  }
}
