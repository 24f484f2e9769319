import { ResultReturnType } from '@duckdb/node-api';
import {
  CancelledError,
  pathOfFileUrl,
  PipelineError,
  WarehouseError,
  throwIfAborted,
  type LoadRequest,
  type LoadResult,
  type ReadProgress,
  type SourceDescription,
  type TableSpec,
} from '@sparkify/core';
import { MAX_RECORD_BYTES } from '@sparkify/redshift-json';
import { quoteDuckDbIdentifier as id } from '../dialect/duckdb-dialect.js';
import { planJsonRead, type FileBatch, type JsonFraming, type JsonReadSql } from './json-read-sql.js';
import {
  countTableRows,
  lastRowId,
  oncePerRequest,
  undoInserts,
  type LoadContext,
  type LoadDeclined,
  type LoadMode,
  type LoadStrategy,
  type PreparedLoad,
  type SideConnection,
  type StatementRunner,
} from './load-strategy.js';
import { scanRawBytes, type RawBytesScan } from './raw-bytes-scan.js';

export interface ServerJsonLoadOptions {
  /** Stored bytes read per batch (at least one file); default 256 MiB. */
  batchBytes?: number;
  /** Files read per batch; default 4000 (the list is part of the statement's text). */
  batchFiles?: number;
  /** Whether small files take the staged read (staged-json-load.ts) first; default true. */
  staged?: boolean;
}

/**
 * The server-side path: DuckDB's JSON reader reads the source's files itself, where that
 * provably loads what the client path would (json-value-sql.ts has the value rules).
 *
 * In DuckDB a failed statement (a malformed file, say) aborts the open transaction, so every
 * statement that could fail on the data runs first on a side connection, outside the run's
 * transaction: for each batch of files,
 * 1. checks of the raw text: record sizes, what DuckDB reads but COPY does not (trailing commas,
 *    NaN/Infinity, vertical tab or form feed between records), NUL characters;
 * 2. the conversion itself, counting the records whose values are not certainly what the client
 *    path would load (rejected there, or reprinted by DuckDB).
 * Only when every record of every batch is clean does the sink's own connection run the same
 * read and conversion into the table, which then cannot fail on the data: the load reads the
 * files twice, but holds nothing back (memory stays flat) and writes nothing twice. Anything
 * else declines before the sink's connection was used, and the client path loads instead,
 * reporting each bad record with its file and line, and honouring maxErrors. (Files changed
 * between the check and the insert would fail the load or its row count check, never load
 * unchecked data unnoticed.)
 *
 * Where a failed statement undoes only itself (LoadMode.contained: the run's working copy), the
 * second step is tried instead of checked: one read into the table that fails on the first
 * record not certainly clean (JsonReadSql.tried), so the files are read once, while the raw
 * text is checked beside it. Only when the read fails are the values checked as above, which
 * then says why, and loads them or declines.
 */
export function serverJsonLoad(options: ServerJsonLoadOptions = {}): LoadStrategy {
  const limits = batchLimits(options);
  const planFor = oncePerRequest((request: LoadRequest) => planRequest(request, limits));
  return {
    path: 'server',
    accepts: async (request) => !('declined' in (await planFor(request))),
    plan: async (request, mode) => {
      const plan = await planFor(request);
      return 'declined' in plan ? [`-- server-side load declined: ${plan.declined}`] : planStatements(plan, request.table, mode);
    },
    prepare: async (request, openSide, mode) => {
      const plan = await planFor(request);
      if ('declined' in plan) return plan;
      if (mode.contained) return triedWhileChecked(plan, request, openSide, limits);
      const checked = await onSide(openSide, (side) => checkAll(plan, request, side, { raw: true, values: true }));
      if ('declined' in checked) return checked;
      return { load: (context) => insertChecked(request.table, plan.sql, mergeBatches(checked, limits.batchFiles), context) };
    },
  };
}

/**
 * On the working copy: the tried read into the table runs while a side connection checks the
 * raw text (that check reads the files on one thread, so the read no longer waits for it).
 * Should the check then find a problem, the rows the read inserted are deleted: the table is as
 * it was, and the load declines as it would have before reading.
 */
function triedWhileChecked(plan: ServerPlan, request: LoadRequest, openSide: () => Promise<SideConnection>, limits: BatchLimits): PreparedLoad {
  const unchecked: CheckedBatch[] = plan.batches.map((batch) => ({ batch, framing: 'newline_delimited' }));
  return {
    load: async (context) => {
      const { table } = request;
      // Counted before the check starts: once it keeps both threads busy, even these wait for one.
      const start = { before: await countTableRows(context, table.name), last: await lastRowId(context, table.name) };
      const raw = onSide(openSide, (side) => checkAll(plan, request, side, { raw: true, values: false }));
      const tried = await insertTried(request, plan, mergeBatches(unchecked, limits.batchFiles), context, start).catch(async (error: unknown) => {
        await raw.catch(() => undefined);
        throw error;
      });
      const checked = await raw;
      if ('declined' in checked) {
        if (!('declined' in tried)) await undoInserts(context, table.name, start.last);
        return checked;
      }
      if (!('declined' in tried)) {
        request.onProgress?.({ objectsDone: plan.objects, objectsTotal: plan.objects, bytesDone: plan.bytes, bytesTotal: plan.bytes, rowsRead: tried.rowsRead, rowsRejected: 0 });
        return tried;
      }
      const rechecked = await onSide(openSide, (side) => checkAll(plan, request, side, { raw: false, values: true }));
      if ('declined' in rechecked) return rechecked;
      return insertChecked(table, plan.sql, mergeBatches(rechecked, limits.batchFiles), context);
    },
  };
}

/** Work on a side connection of its own, closed after. */
async function onSide<T>(openSide: () => Promise<SideConnection>, work: (side: SideConnection) => Promise<T>): Promise<T> {
  const side = await openSide();
  try {
    return await work(side);
  } finally {
    side.close();
  }
}

export type BatchLimits = Required<Omit<ServerJsonLoadOptions, 'staged'>>;

/** The options with their defaults: both server strategies batch files the same way. */
export function batchLimits(options: ServerJsonLoadOptions): BatchLimits {
  return { batchBytes: options.batchBytes ?? 256 * 1024 * 1024, batchFiles: options.batchFiles ?? 4000 };
}

export interface PlannedBatch extends FileBatch {
  /** Stored size of each file, as paths. */
  sizes: number[];
  bytes: number;
}

export interface ServerPlan {
  sql: JsonReadSql;
  batches: PlannedBatch[];
  objects: number;
  bytes: number;
}

/** Glob characters: DuckDB expands each listed path as a pattern, so such a path could name other files. */
const GLOB_CHARACTERS = /[*?[\]{}\\]/;

/** Whether (and how) DuckDB can read exactly the described objects, with exactly the client's semantics. */
export function planServerLoad(description: SourceDescription, table: TableSpec, limits: BatchLimits): ServerPlan | LoadDeclined {
  if (description.scheme !== 'file') return { declined: `objects in ${description.scheme} storage are read by the client path` };
  if (description.format !== 'json') return { declined: `format ${String(description.format)}` };
  const files: { path: string; size: number; compression: 'gzip' | 'none' }[] = [];
  for (const object of description.objects) {
    if (!object.uri.startsWith('file:')) return { declined: `${object.uri} is not a local file` };
    const path = pathOfFileUrl(object.uri);
    if (GLOB_CHARACTERS.test(path)) return { declined: `${path} has a glob character DuckDB would expand` };
    files.push({ path, size: object.size, compression: object.compression });
  }
  const sql = planJsonRead(table, description.mapping, description.timeFormat);
  if ('unsupported' in sql) return { declined: `not provably the same as the client path: ${sql.unsupported}` };
  const batches: ServerPlan['batches'] = [];
  let current: ServerPlan['batches'][number] | undefined;
  for (const file of files) {
    const full = current && (current.paths.length >= limits.batchFiles || current.bytes + file.size > limits.batchBytes);
    if (!current || full || current.compression !== file.compression) {
      current = { paths: [], sizes: [], compression: file.compression, bytes: 0 };
      batches.push(current);
    }
    current.paths.push(file.path);
    current.sizes.push(file.size);
    current.bytes += file.size;
  }
  return { sql, batches, objects: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

/** The request's source described, then planned as planServerLoad does. */
export async function planRequest(request: LoadRequest, limits: BatchLimits): Promise<ServerPlan | LoadDeclined> {
  const description = await describe(request);
  if (!description) return { declined: 'the source could not be described' };
  return planServerLoad(description, request.table, limits);
}

async function describe(request: LoadRequest): Promise<SourceDescription | undefined> {
  try {
    return await request.source.describe(request.signal ? { signal: request.signal } : {});
  } catch (error) {
    // The client path reads the same source and reports the same failure where it belongs.
    if (error instanceof CancelledError || request.signal?.aborted) throw error;
    return undefined;
  }
}

export interface CheckedBatch {
  batch: FileBatch;
  framing: JsonFraming;
  /** Counted by the values check; unknown where only the raw text was checked. */
  records?: number;
}

/** Which checks a batch gets: its raw text (sizes included), its values (records counted). */
interface Checks {
  raw: boolean;
  values: boolean;
}

/** Checks every batch on the side connection: how to read each, or why the load is declined. */
async function checkAll(plan: ServerPlan, request: LoadRequest, side: StatementRunner, checks: Checks): Promise<CheckedBatch[] | LoadDeclined> {
  const { signal } = request;
  // Meanwhile Node scans the compressed files for vertical white space (DuckDB's read_text,
  // which checks the others, does not decompress) and looks for a line longer than COPY's
  // largest record in the files that could hold one.
  const stopScan = new AbortController();
  const scanned = scanRawBytes(
    plan.batches.flatMap((batch) =>
      batch.paths
        .filter((_, i) => (batch.compression === 'gzip' && checks.raw) || batch.sizes[i]! > MAX_RECORD_BYTES)
        .map((path) => ({ path, compression: batch.compression })),
    ),
    { lineLimit: MAX_RECORD_BYTES, signal: signal ? AbortSignal.any([signal, stopScan.signal]) : stopScan.signal },
  ).then(
    (result): RawBytesScan | LoadDeclined => result,
    (error: unknown) => rethrowCancel(error, signal, { declined: `cannot scan the files: ${message(error)}` }),
  );
  const progress: ReadProgress = { objectsDone: 0, objectsTotal: plan.objects, bytesDone: 0, bytesTotal: plan.bytes, rowsRead: 0, rowsRejected: 0 };
  const checked: CheckedBatch[] = [];
  try {
    for (const batch of plan.batches) {
      throwIfAborted(signal);
      const outcome = await checkBatch(plan.sql, batch, side, scanned, checks, signal);
      if ('declined' in outcome) return outcome;
      checked.push(outcome);
      progress.objectsDone += batch.paths.length;
      progress.bytesDone += batch.bytes;
      progress.rowsRead += outcome.records ?? 0;
      request.onProgress?.({ ...progress });
    }
    const result = await scanned;
    if ('declined' in result) return result;
    if (result.verticalWhitespace) return { declined: `${result.verticalWhitespace} holds a vertical tab or form feed (COPY reads it as text outside an object)` };
  } finally {
    // A load that stops early (declined, cancelled) stops the scan too, and waits for it.
    stopScan.abort();
    await scanned.catch(() => undefined);
  }
  throwIfAborted(signal);
  return checked;
}

/** Checks one batch; declines on anything not certainly clean. */
async function checkBatch(
  sql: JsonReadSql,
  batch: PlannedBatch,
  side: StatementRunner,
  /** What the Node-side scan finds, once it has finished. */
  scan: Promise<RawBytesScan | LoadDeclined>,
  checks: Checks,
  signal: AbortSignal | undefined,
): Promise<CheckedBatch | LoadDeclined> {
  const attempt = async <T>(statement: string, work: () => Promise<T>): Promise<{ value: T } | LoadDeclined> => {
    try {
      return { value: await side.statement(statement, work) };
    } catch (error) {
      return rethrowCancel(error, signal, { declined: message(error) });
    }
  };
  const row = (statement: string) => attempt(statement, () => readRow(side, statement));
  /** Tries one record a line first (fast, parallel within a file), then any layout (pretty-printed, several a line). */
  const framed = async (statement: (framing: JsonFraming) => string): Promise<{ value: Record<string, unknown>; framing: JsonFraming } | LoadDeclined> => {
    const lines = await row(statement('newline_delimited'));
    if (!('declined' in lines)) return { ...lines, framing: 'newline_delimited' };
    const any = await row(statement('unstructured'));
    return 'declined' in any ? any : { ...any, framing: 'unstructured' };
  };
  const clean = (outcome: { value: Record<string, unknown> } | LoadDeclined): LoadDeclined | undefined => {
    if ('declined' in outcome) return outcome;
    const problem = rawTextProblem(outcome.value);
    return problem === undefined ? undefined : { declined: problem };
  };
  // The raw text: uncompressed files whole (read_text), compressed ones record by record.
  if (checks.raw) {
    const raw = clean(await (batch.compression === 'none' ? row(sql.textCheck(batch.paths)) : framed((framing) => sql.recordCheck(batch, framing))));
    if (raw) return raw;
  }
  // Without the values check, a read one record a line is tried (and fails on any other layout).
  let checked: CheckedBatch = { batch, framing: 'newline_delimited' };
  if (checks.values) {
    const converted = await framed((framing) => sql.check(batch, framing));
    if ('declined' in converted) return converted;
    const { records, unsure } = converted.value;
    if (Number(unsure) > 0) {
      return { declined: `${unsure} record(s) the client path would reject, or whose values cannot be proved the same server-side` };
    }
    checked = { batch, framing: converted.framing, records: Number(records) };
  }
  // Record sizes, where a file could hold one too large: read one a line, a record is no longer
  // than its line, and Node found none too long; otherwise DuckDB measures each record. Measured again
  // when the values check has found another framing than the tried read assumed.
  const big: FileBatch = { paths: batch.paths.filter((_, i) => batch.sizes[i]! > MAX_RECORD_BYTES), compression: batch.compression };
  if (batch.compression === 'none' && big.paths.length > 0) {
    const scanned = await scan;
    if ('declined' in scanned) return scanned;
    if (checked.framing === 'unstructured' || scanned.longLine !== undefined) {
      const sized = clean(await row(sql.recordCheck(big, checked.framing)));
      if (sized) return sized;
    }
  }
  return checked;
}

/**
 * The checked batches as few reads as the statement text allows: consecutive batches read the
 * same way (compression, framing) become one, up to `maxFiles` files. Several INSERTs into one
 * table leave partly filled row groups between full ones, and DuckDB's next checkpoint rewrites
 * the table to close the gaps: 0.6 s at 1M events, for two batches (one read of all the files
 * costs nothing there). Batches bound the checks' work and progress, not the insert's.
 */
export function mergeBatches(batches: readonly CheckedBatch[], maxFiles: number): CheckedBatch[] {
  const merged: CheckedBatch[] = [];
  for (const { batch, framing, records } of batches) {
    const last = merged.at(-1);
    const joins = last && last.framing === framing && last.batch.compression === batch.compression && last.batch.paths.length + batch.paths.length <= maxFiles;
    const sum = last?.records === undefined || records === undefined ? {} : { records: last.records + records };
    if (joins) merged[merged.length - 1] = { batch: { ...last.batch, paths: [...last.batch.paths, ...batch.paths] }, framing, ...sum };
    else merged.push({ batch: { paths: [...batch.paths], compression: batch.compression }, framing, ...(records === undefined ? {} : { records }) });
  }
  return merged;
}

/**
 * The statements on the sink's own connection: the checked files read again into the table.
 * Each read reads what its checks read without an error, so it cannot fail on the data.
 */
async function insertChecked(table: TableSpec, sql: JsonReadSql, batches: CheckedBatch[], context: LoadContext): Promise<LoadResult> {
  const records = batches.reduce((sum, checked) => sum + (checked.records ?? Number.NaN), 0);
  const before = await countTableRows(context, table.name);
  for (const { batch, framing, records: expected } of batches) {
    const insert = `${insertInto(table)}${sql.values(batch, framing)}`;
    const result = await context.statement(insert, () => context.connection.run(insert));
    const inserted = result.returnType === ResultReturnType.CHANGED_ROWS ? result.rowsChanged : -1;
    if (inserted !== expected) throw mismatch(table, `${expected} records checked, ${inserted} rows inserted (did the files change meanwhile?)`);
  }
  const after = await countTableRows(context, table.name);
  if (after - before !== records) throw mismatch(table, `${records} records read, the table gained ${after - before} rows`);
  return serverLoaded(table, records);
}

/**
 * The files read into the table by `tried` reads, each of which fails on the first record not
 * certainly clean: it then undoes only itself (LoadMode.contained), and the rows of the reads
 * before it are deleted, so the load declines with the table as it was.
 */
async function insertTried(
  request: LoadRequest,
  plan: ServerPlan,
  batches: CheckedBatch[],
  context: LoadContext,
  /** The table's rows (countTableRows) and last row id (lastRowId) before the load. */
  start: { before: number; last: bigint },
): Promise<LoadResult | LoadDeclined> {
  const { table, signal } = request;
  const { before, last } = start;
  let records = 0;
  for (const [index, { batch, framing }] of batches.entries()) {
    const insert = `${insertInto(table)}${plan.sql.tried(batch, framing)}`;
    try {
      const result = await context.statement(insert, () => context.connection.run(insert));
      records += result.returnType === ResultReturnType.CHANGED_ROWS ? result.rowsChanged : Number.NaN;
    } catch (error) {
      const declined = rethrowCancel(error, signal, { declined: `the read tried without a values check failed: ${message(error)}` });
      if (index > 0) await undoInserts(context, table.name, last);
      return declined;
    }
  }
  const after = await countTableRows(context, table.name);
  if (after - before !== records) throw mismatch(table, `${records} rows inserted, the table gained ${after - before} rows`);
  return serverLoaded(table, records);
}

/** `INSERT INTO "table" ("column", …) `: how every server-side read into the table starts. */
function insertInto(table: TableSpec): string {
  return `INSERT INTO ${id(table.name)} (${table.columns.map((column) => id(column.name)).join(', ')}) `;
}

/** A server-side load's result: each record read is a row the table gained (counted by the caller). */
export function serverLoaded(table: TableSpec, records: number): LoadResult {
  return { table: table.name, rowsRead: records, rowsLoaded: records, rowsRejected: 0, rejected: [], path: 'server', warnings: [] };
}

/** What a textCheck or recordCheck row found that COPY would not read as DuckDB does, if anything. */
export function rawTextProblem(row: Record<string, unknown>): string | undefined {
  const { vertical, lenient, nul, max_bytes: maxBytes } = row;
  if (Number(vertical ?? 0) > 0) return 'a file holds a vertical tab or form feed (COPY reads it as text outside an object)';
  if (Number(lenient ?? 0) > 0) return 'a record has a trailing comma or a NaN/Infinity literal (DuckDB reads them, COPY does not)';
  if (Number(nul ?? 0) > 0) return 'a record may hold a NUL character (\\u0000), which COPY rejects in a string';
  if (Number(maxBytes ?? 0) > MAX_RECORD_BYTES) return `a record is larger than ${MAX_RECORD_BYTES} bytes, the most COPY accepts`;
  return undefined;
}

export async function readRow(runner: Pick<StatementRunner, 'connection'>, sql: string): Promise<Record<string, unknown>> {
  const reader = await runner.connection.runAndReadAll(sql);
  return reader.getRowObjects()[0] ?? {};
}

export function mismatch(table: TableSpec, what: string): PipelineError {
  return new PipelineError('internal', `server-side load into ${table.name}: ${what}`, { hint: 'this is a bug in the DuckDB sink; the load is rolled back' });
}

/** A side statement's failure declines the load; a cancellation stays a cancellation. */
export function rethrowCancel(error: unknown, signal: AbortSignal | undefined, declined: LoadDeclined): LoadDeclined {
  if (error instanceof CancelledError || signal?.aborted) throw error;
  if (error instanceof PipelineError && !(error instanceof WarehouseError) && error.kind !== 'input') throw error;
  return declined;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The statements `load` runs for the first batch, for `plan` (the file list shortened). */
function planStatements(plan: ServerPlan, table: TableSpec, mode: LoadMode): string[] {
  const first = plan.batches[0];
  if (!first) return [`-- server-side load of no files into ${id(table.name)}`];
  const shown: FileBatch = { ...first, paths: first.paths.slice(0, 3) };
  const more = first.paths.length - shown.paths.length;
  const insert = insertInto(table);
  const listed = more > 0 ? `. The first batch's list shows 3 of its ${first.paths.length} files` : '';
  const batches = `${plan.objects} file(s) in ${plan.batches.length} batch(es) read by DuckDB's JSON reader`;
  if (mode.contained) {
    return [
      `-- server-side load: ${batches}; the files read into the table once ` +
        `(consecutive batches read the same way in one statement), the read failing on the first record not certainly clean, ` +
        `while each batch's raw text is checked on a side connection (a problem found there deletes the read's rows, and the load declines); ` +
        `if the read fails, its rows are deleted, and every value is checked as below, then loaded server-side or client-side${listed}`,
      plan.sql.textCheck(shown.paths),
      `${insert}${plan.sql.tried(shown, 'newline_delimited')}`,
    ];
  }
  return [
    `-- server-side load: ${batches}; each batch checked on a ` +
      `side connection (raw text, then every value), then, only if every record of every batch is clean, read again into the table ` +
      `(consecutive batches read the same way in one statement); ` +
      `else loaded client-side${listed}`,
    plan.sql.textCheck(shown.paths),
    plan.sql.check(shown, 'newline_delimited'),
    `${insert}${plan.sql.values(shown, 'newline_delimited')}`,
  ];
}
