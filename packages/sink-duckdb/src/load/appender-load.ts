import type { DuckDBAppender } from '@duckdb/node-api';
import {
  PipelineError,
  WarehouseError,
  throwIfAborted,
  type LoadRequest,
  type LoadResult,
  type ReadOptions,
  type RejectedRecord,
  type Source,
  type TableSpec,
} from '@sparkify/core';
import { isColumnarSource, type ColumnarBatch } from '@sparkify/redshift-json';
import { quoteDuckDbIdentifier, renderDuckDbType } from '../dialect/duckdb-dialect.js';
import { countTableRows, type LoadContext, type LoadStrategy } from './load-strategy.js';
import { insertColumnBatches } from './batch-feed.js';
import { RowAppender } from './row-appender.js';

/** Rejected records a LoadResult lists; rowsRejected still counts them all. */
export const MAX_LISTED_REJECTS = 100;

/**
 * The client-side path: the source streams converted rows, column batches (the JSON source)
 * through a table function (batch-feed.ts), other rows through DuckDB's appender. Everything
 * happens on the sink's connection, so the rows belong to its open transaction and a failure
 * leaves nothing behind once that transaction rolls back.
 */
export const appenderLoad: LoadStrategy = {
  path: 'client',
  accepts: async () => true,
  plan: async (request) => [
    `-- client-side load: rows streamed from the source into ${quoteDuckDbIdentifier(request.table.name)} ` +
      `(${isColumnarSource(request.source) ? 'column batches by INSERT … SELECT from a table function' : 'through the DuckDB appender'}), ` +
      `up to ${request.maxErrors} rejected records skipped`,
  ],
  // Nothing to do before its turn: the rows stream straight into the sink's connection.
  prepare: async (request) => ({ load: (context) => loadWithAppender(request, context) }),
};

async function loadWithAppender(request: LoadRequest, context: LoadContext): Promise<LoadResult> {
  const { table, signal } = request;
  await checkTable(context, table);
  const before = await countTableRows(context, table.name);
  const counts = { appended: 0, rowsRejected: 0, rejected: [] as RejectedRecord[] };
  const options: ReadOptions = {
    columns: table.columns,
    maxErrors: request.maxErrors,
    ...(signal ? { signal } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  };
  const count = ({ batch, rejected }: ColumnarBatch): void => {
    counts.appended += batch.rows;
    countRejected(counts, rejected);
  };
  if (isColumnarSource(request.source)) await insertColumnBatches(request.source, options, table, context, count);
  else await appendRows(request.source, options, table, context, counts);
  throwIfAborted(signal);
  const after = await countTableRows(context, table.name);
  return result(table, { ...counts, landed: after - before });
}

interface AppendCounts {
  appended: number;
  rowsRejected: number;
  rejected: RejectedRecord[];
}

/** Other sources' rows, through DuckDB's appender. */
async function appendRows(source: Source, options: ReadOptions, table: TableSpec, context: LoadContext, counts: AppendCounts): Promise<void> {
  const appender = await openAppender(context, table);
  try {
    const rows = new RowAppender(appender, table.columns);
    for await (const batch of source.read(options)) {
      throwIfAborted(options.signal);
      rows.appendRows(batch.rows);
      counts.appended += batch.rows.length;
      countRejected(counts, batch.rejected);
    }
    throwIfAborted(options.signal);
    // Flushing is where DuckDB checks NOT NULL, so it runs as a statement of its own.
    await context.statement(`-- flush the appender of ${table.name}`, async () => appender.closeSync());
  } catch (error) {
    discard(appender);
    throw error;
  }
}

function countRejected(counts: AppendCounts, rejected: readonly RejectedRecord[]): void {
  counts.rowsRejected += rejected.length;
  for (const record of rejected) if (counts.rejected.length < MAX_LISTED_REJECTS) counts.rejected.push(record);
}

/**
 * rows read = loaded + rejected, where "loaded" is what the table gained, counted by DuckDB,
 * not what we meant to append: a mismatch is a bug, and must not pass as a successful load.
 */
function result(
  table: TableSpec,
  counts: { appended: number; landed: number; rowsRejected: number; rejected: RejectedRecord[] },
): LoadResult {
  const rowsRead = counts.appended + counts.rowsRejected;
  if (rowsRead !== counts.landed + counts.rowsRejected) {
    throw new PipelineError(
      'internal',
      `load into ${table.name}: ${rowsRead} records read, but ${counts.landed} rows landed and ${counts.rowsRejected} were rejected`,
      { hint: 'this is a bug in the DuckDB sink; the load is rolled back' },
    );
  }
  return {
    table: table.name,
    rowsRead,
    rowsLoaded: counts.landed,
    rowsRejected: counts.rowsRejected,
    rejected: counts.rejected,
    path: 'client',
    warnings: [],
  };
}

/**
 * The appender writes by position, so the table must have the spec's columns in the spec's
 * order with the spec's types: checked up front, by name and type, for a clear message instead
 * of values in the wrong columns.
 */
async function checkTable(context: LoadContext, table: TableSpec): Promise<void> {
  const sql =
    'SELECT column_name, data_type FROM information_schema.columns ' +
    'WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position';
  const found = await context.statement(sql, async () => {
    const reader = await context.connection.runAndReadAll(sql, [table.name]);
    return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
  });
  const hint = 're-create the table from its spec (warehouse.create-tables with replace: true)';
  if (found.length === 0) {
    throw new WarehouseError(`cannot load ${table.name}: the table does not exist`, {
      hint: 'create it first (warehouse.create-tables)',
    });
  }
  const expected = table.columns.map((c) => c.name).join(', ');
  const actual = found.map((c) => c.name).join(', ');
  if (expected !== actual) {
    throw new WarehouseError(`cannot load ${table.name}: the table has columns (${actual}), its spec (${expected})`, { hint });
  }
  table.columns.forEach((column, index) => {
    const type = found[index]!.type;
    const wanted = renderDuckDbType(column.type);
    if (!sameType(type, wanted)) {
      throw new WarehouseError(`cannot load ${table.name}: column ${column.name} is ${type} in DuckDB, its spec says ${wanted}`, {
        location: { field: column.name },
        hint,
      });
    }
  });
}

const TYPE_ALIASES: Record<string, string> = { REAL: 'FLOAT', TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE' };

function sameType(actual: string, wanted: string): boolean {
  return actual === wanted || actual === TYPE_ALIASES[wanted];
}

async function openAppender(context: LoadContext, table: TableSpec): Promise<DuckDBAppender> {
  const label = `-- append to ${table.name}`;
  return context.statement(label, () => context.connection.createAppender(table.name));
}

/** Drops what the appender still buffers and releases it; the caller's failure is what counts. */
function discard(appender: DuckDBAppender): void {
  try {
    appender.clear();
    appender.closeSync();
  } catch {
    // Ignored: the load has already failed, and its own error is the one to report.
  }
}
