import type { PGlite } from '@electric-sql/pglite';
import { InputDataError, isAbortError, type ColumnSpec, type LoadRow, type RejectedRecord, type TimeFormat } from '@sparkify/core';
import { JsonObjectSource, type JsonMappingSpec, type ObjectStore } from '@sparkify/redshift-json';
import { FEATURE_NOT_SUPPORTED, StatementFailure } from '../sql/statement-failure.js';
import type { CopyCommand } from './copy-command-parser.js';
import { CopyBuffer } from './copy-buffer.js';
import { chooseEncoding, type CopyEncoding } from './copy-encoding.js';
import { COPY_INPUT_FILE, copyFromBytes } from './copy-input.js';
import type { LoadErrorRow } from './load-error-log.js';
import { readManifest } from './manifest.js';
import { parseS3Uri, storeFor, type BucketResolver } from './s3-location.js';
import { resolveTargetTable, type TargetColumn, type TargetTable } from './target-columns.js';
import { compileRowAdjuster } from './row-adjuster.js';
import { statisticsWanted, updateStatistics } from './statistics-update.js';

export interface CopyContext {
  db: PGlite;
  signal: AbortSignal;
  /** Redshift query id of the COPY (stl_load_errors.query). */
  queryId: number;
  /** The session's process id (stl_load_errors.session). */
  pid: number;
  /** Epoch milliseconds the COPY started (stl_load_errors.starttime). */
  startedAt: number;
}

export interface CopyOutcome {
  rowsLoaded: number;
  /** Skipped records (MAXERROR), to log in stl_load_errors. */
  loadErrors: LoadErrorRow[];
}

/** A COPY that failed on its data: the load errors to log, and Redshift's message. */
export class LoadFailure extends StatementFailure {
  constructor(
    table: string,
    readonly loadErrors: LoadErrorRow[],
  ) {
    super(`Load into table '${table}' failed. Check 'stl_load_errors' system table for details.`, { code: 'XX000' });
  }
}

export interface CopyLoaderOptions {
  /** Rows converted and sent to Postgres at once. Default 50,000 (about 15 MB in binary, 25 MB in text): PGlite costs per COPY, 10,000 a COPY loaded 100,000 events 20% slower. */
  batchRows?: number;
  /** Objects read at once. Default 4. */
  concurrency?: number;
}

const TIME_FORMATS = new Set<string>(['auto', 'epochmillisecs', 'epochsecs']);
const LOAD_ERROR_USER_ID = 100;

/**
 * Runs a Redshift COPY ... FORMAT AS JSON: reads the objects through @sparkify/redshift-json (the
 * same reader and conversions the sources use), and streams converted rows into the table with
 * Postgres COPY FROM a blob, batch by batch, inside the statement's transaction. Bad records are
 * skipped up to MAXERROR - 1 and logged for stl_load_errors; one more fails the COPY.
 */
export class CopyLoader {
  private readonly batchRows: number;
  private readonly concurrency: number;

  constructor(
    private readonly resolveBucket: BucketResolver,
    options: CopyLoaderOptions = {},
  ) {
    this.batchRows = Math.max(1, options.batchRows ?? 50_000);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  async run(command: CopyCommand, context: CopyContext): Promise<CopyOutcome> {
    checkSupported(command);
    const table = await resolveTargetTable(context.db, command);
    const sources = await this.sources(command, context.signal);
    const analyze = await statisticsWanted(context.db, command, table.sqlName);
    const run = new CopyRun(command, table, context, this.batchRows);
    for (const source of sources) {
      await run.load(source, this.concurrency);
    }
    if (analyze) await updateStatistics(context.db, table.sqlName);
    return { rowsLoaded: run.loaded, loadErrors: run.loadErrors };
  }

  private async sources(command: CopyCommand, signal: AbortSignal): Promise<JsonObjectSource[]> {
    const mapping = this.mapping(command);
    const timeFormat = (command.timeFormat ?? 'auto').toLowerCase() as TimeFormat;
    const common = { mapping, timeFormat, batchRows: this.batchRows, concurrency: this.concurrency, maxReportedRejections: 10_000 };
    if (command.manifest) {
      const groups = await readManifest(this.resolveBucket, command.source, { signal });
      return groups.map((group) => new JsonObjectSource({ ...common, store: group.store, prefix: '' }));
    }
    const location = parseS3Uri(command.source);
    const store = storeFor(this.resolveBucket, location);
    return [new JsonObjectSource({ ...common, store, prefix: location.key })];
  }

  private mapping(command: CopyCommand): JsonMappingSpec {
    if (command.mapping.mode !== 'jsonpaths') return { mode: command.mapping.mode };
    const location = parseS3Uri(command.mapping.uri);
    const store: ObjectStore = storeFor(this.resolveBucket, location);
    return { mode: 'jsonpaths', key: location.key, store };
  }
}

function checkSupported(command: CopyCommand): void {
  const unsupported = (what: string): StatementFailure =>
    new StatementFailure(`${what} is not supported by the Redshift emulator`, { code: FEATURE_NOT_SUPPORTED });
  if (command.timeFormat !== undefined && !TIME_FORMATS.has(command.timeFormat.toLowerCase())) {
    throw unsupported(`TIMEFORMAT '${command.timeFormat}' (use 'auto', 'epochsecs' or 'epochmillisecs')`);
  }
  if (command.dateFormat !== undefined && command.dateFormat.toLowerCase() !== 'auto') {
    throw unsupported(`DATEFORMAT '${command.dateFormat}' (use 'auto')`);
  }
  if (command.compression !== 'none' && command.compression !== 'gzip') {
    throw unsupported(`${command.compression.toUpperCase()} compression (use GZIP)`);
  }
}

/** The state of one COPY across its sources (a manifest may span buckets). */
class CopyRun {
  loaded = 0;
  readonly loadErrors: LoadErrorRow[] = [];
  private readonly budget: number;
  private readonly columnsForReader: ColumnSpec[];
  private readonly adjust: ((row: LoadRow) => void) | undefined;
  private readonly encoding: CopyEncoding;
  /** Rows written but not yet sent to Postgres. */
  private readonly pending = new CopyBuffer();
  private readonly copySql: string;

  constructor(
    private readonly command: CopyCommand,
    private readonly table: TargetTable,
    private readonly context: CopyContext,
    private readonly batchRows: number,
  ) {
    // MAXERROR n lets n - 1 bad records be skipped; 0 and 1 both fail at the first one.
    this.budget = Math.max(0, command.maxError - 1);
    this.columnsForReader = table.columns.map((column) => readerSpec(column, command));
    this.adjust = compileRowAdjuster(table.columns, command);
    this.encoding = chooseEncoding(table.columns.map((column) => ({ type: column.spec.type, hasDefault: column.hasDefault })));
    const names = table.columns.map((column) => `"${column.spec.name.replace(/"/g, '""')}"`).join(', ');
    this.copySql = `COPY ${table.sqlName} (${names}) FROM '${COPY_INPUT_FILE}' WITH (${this.encoding.options})`;
  }

  async load(source: JsonObjectSource, concurrency: number): Promise<void> {
    const description = await this.describe(source);
    this.checkCompression(description.objects);
    const maxErrors = Math.max(0, this.budget - this.loadErrors.length);
    try {
      for await (const batch of source.read({ columns: this.columnsForReader, maxErrors, signal: this.context.signal, concurrency })) {
        for (const record of batch.rejected) this.reject(record);
        if (this.loadErrors.length > this.budget) throw new LoadFailure(this.table.name, this.loadErrors.slice(0, this.budget + 1));
        if (this.adjust) for (const row of batch.rows) this.adjust(row);
        await this.insert(batch.rows);
      }
      await this.flush();
    } catch (error) {
      throw this.failure(error);
    }
  }

  private async describe(source: JsonObjectSource) {
    try {
      return await source.describe({ signal: this.context.signal });
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** COPY does not guess compression: the GZIP keyword must match the objects (redshift-reference.md §1). */
  private checkCompression(objects: readonly { uri: string; compression: 'none' | 'gzip' }[]): void {
    const gzip = this.command.compression === 'gzip';
    const mismatch = objects.find((object) => (object.compression === 'gzip') !== gzip);
    if (!mismatch) return;
    throw new StatementFailure(
      gzip
        ? `${mismatch.uri} is not gzip-compressed, but the COPY says GZIP: remove GZIP, or compress every object`
        : `${mismatch.uri} is gzip-compressed: add GZIP to the COPY (it does not guess from the file name)`,
      { code: 'XX000' },
    );
  }

  /** Writes the rows for COPY, sending each full batch of them to Postgres. */
  private async insert(rows: readonly LoadRow[]): Promise<void> {
    if (this.command.noLoad) return;
    const { pending, encoding } = this;
    for (const row of rows) {
      if (pending.length === 0) encoding.begin(pending);
      encoding.writeRow(row, pending);
      if (pending.rows === this.batchRows) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    const { pending } = this;
    if (pending.rows === 0) return;
    this.encoding.end(pending);
    await copyFromBytes(this.context.db, this.copySql, pending.view());
    this.loaded += pending.rows;
    pending.clear();
  }

  private reject(record: RejectedRecord): void {
    const column = record.column === undefined ? undefined : this.table.columns.find((c) => c.spec.name === record.column);
    this.loadErrors.push({
      userid: LOAD_ERROR_USER_ID,
      tbl: this.table.oid,
      starttime: this.context.startedAt,
      session: this.context.pid,
      query: this.context.queryId,
      filename: record.file,
      lineNumber: record.line,
      colname: record.column ?? '',
      type: column?.loadErrorType ?? '',
      colLength: column?.length ?? '',
      rawLine: record.value ?? '',
      rawFieldValue: record.column === undefined ? '' : (record.value ?? ''),
      errCode: errorCode(record),
      errReason: record.reason,
    });
  }

  /** Maps what the reader threw to what Redshift reports. */
  private failure(error: unknown): unknown {
    if (error instanceof StatementFailure || isAbortError(error)) return error;
    if (error instanceof InputDataError) {
      const details = error.details as { rejected?: RejectedRecord[] } | undefined;
      if (details?.rejected) {
        const logged = new Set(this.loadErrors.map((row) => `${row.filename}\u0000${row.lineNumber}\u0000${row.colname}`));
        for (const record of details.rejected) {
          if (!logged.has(`${record.file}\u0000${record.line}\u0000${record.column ?? ''}`)) this.reject(record);
        }
        return new LoadFailure(this.table.name, this.loadErrors.slice(0, this.budget + 1));
      }
      if (/^no (objects|files) match/.test(error.message)) {
        return new StatementFailure(`The specified S3 prefix '${parseS3Uri(this.command.source).key}' does not exist`, { code: 'XX000', cause: error });
      }
      return new StatementFailure(error.message, { code: 'XX000', cause: error });
    }
    return error;
  }
}

/**
 * The column as the reader should convert it. With TRUNCATECOLUMNS the reader gets the widest
 * VARCHAR so over-long strings reach the adjuster, which cuts them to the real width.
 */
function readerSpec(column: TargetColumn, command: CopyCommand): ColumnSpec {
  const { spec } = column;
  if (command.truncateColumns && (spec.type.kind === 'varchar' || spec.type.kind === 'char')) {
    return { ...spec, type: { kind: 'varchar', length: 65535 } };
  }
  return spec;
}

/** stl_load_errors.err_code for a rejection (Redshift's load error reference, closest code). */
function errorCode(record: RejectedRecord): number {
  const reason = record.reason;
  if (record.column === undefined) return 1216;
  if (/not-null/i.test(reason)) return 1213;
  if (/length exceeds/i.test(reason)) return 1204;
  if (/UTF-8|Multibyte/i.test(reason)) return 1220;
  if (/timestamp/i.test(reason)) return 1206;
  if (/date/i.test(reason)) return 1205;
  if (/boolean/i.test(reason)) return 1210;
  if (/decimal|Numeric data overflow/i.test(reason)) return 1207;
  if (/integer|Invalid digit/i.test(reason)) return 1207;
  if (/number|Overflow|Underflow/i.test(reason)) return 1208;
  return 1200;
}
