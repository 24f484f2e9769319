import { ConfigError, throwIfAborted, type QueryValue, type Sink } from '@sparkify/core';
import type { ExportSource } from './export-targets.js';
import { queryColumnsSql, queryPageSql, tablePageSql, type PageWindow } from './page-sql.js';

/** A page of rows, each in column order. */
export interface Page {
  columns: string[];
  rows: QueryValue[][];
}

export interface ReadPagesOptions {
  pageRows: number;
  signal?: AbortSignal;
  /** Where the source was configured (`steps[5].with.query.top_songs`), for errors. */
  configPath: string;
}

/**
 * The rows of a table or query, one page per query, in a stable total order: only one page is
 * in memory at a time, however large the result. Read inside the run's unit of work, every page
 * sees the same snapshot. Yields at least one page (empty for an empty result), so a header
 * can always be written.
 */
export async function* readPages(sink: Sink, source: ExportSource, options: ReadPagesOptions): AsyncGenerator<Page> {
  const columns = source.kind === 'table' ? source.table.columns.map((c) => c.name) : await queryColumns(sink, source.sql, options);
  const pageSql = (window: PageWindow) =>
    source.kind === 'table' ? tablePageSql(sink.dialect, source.table, window) : queryPageSql(sink.dialect, source.sql, columns.length, window);
  for (let offset = 0; ; offset += options.pageRows) {
    throwIfAborted(options.signal);
    const result = await sink.query(pageSql({ limit: options.pageRows, offset }), { ...signalOf(options), label: `export ${source.name}` });
    yield { columns, rows: result.rows.map((row) => columns.map((name) => row[name] ?? null)) };
    if (result.rows.length < options.pageRows) return;
  }
}

async function queryColumns(sink: Sink, sql: string, options: ReadPagesOptions): Promise<string[]> {
  const result = await sink.query(queryColumnsSql(sink.dialect, sql), { ...signalOf(options), label: 'export: read the columns' });
  const columns = result.columns.map((c) => c.name);
  const repeated = columns.find((name, i) => columns.indexOf(name) !== i);
  // Rows come back keyed by column name: two columns of one name would lose one of them.
  if (repeated !== undefined || columns.length === 0) {
    throw new ConfigError(
      repeated !== undefined
        ? `${options.configPath}: the query returns two columns named "${repeated}"`
        : `${options.configPath}: the query returns no columns`,
      { location: { configPath: options.configPath, sql }, hint: 'give every column of the SELECT its own name (… AS name)' },
    );
  }
  return columns;
}

function signalOf(options: ReadPagesOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
