import type { Dialect, TableSpec } from '@sparkify/core';

/** The alias a query is read under. */
export const QUERY_ALIAS = 'export_query';

/** One page of a result: LIMIT/OFFSET, the same on DuckDB, Redshift and PostgreSQL. */
export interface PageWindow {
  limit: number;
  offset: number;
}

type Quote = Pick<Dialect, 'quoteIdentifier'>;

/**
 * A page of a table, in a total order: its primary key first, then every other column, so
 * pages neither overlap nor skip rows (rows equal in every column are interchangeable). NULLs
 * sort last ascending on every sink (Redshift: "ORDER BY clause", usage notes).
 */
export function tablePageSql(dialect: Quote, table: TableSpec, window: PageWindow): string {
  const key = table.primaryKey ?? [];
  const order = [...key, ...table.columns.map((c) => c.name).filter((name) => !key.includes(name))];
  const q = (name: string) => dialect.quoteIdentifier(name);
  return `SELECT ${table.columns.map((c) => q(c.name)).join(', ')} FROM ${q(table.name)} ORDER BY ${order.map(q).join(', ')}${limit(window)}`;
}

/**
 * A query's columns without its rows (LIMIT 0), read before its pages to know how many columns
 * to order by. The query goes on lines of its own so a trailing `--` comment stays inside.
 */
export function queryColumnsSql(dialect: Quote, sql: string): string {
  return `SELECT * FROM (\n${bareQuery(sql)}\n) AS ${dialect.quoteIdentifier(QUERY_ALIAS)} LIMIT 0`;
}

/** A page of a query, ordered by every column by position (ORDER BY 1, 2, …, n). */
export function queryPageSql(dialect: Quote, sql: string, columnCount: number, window: PageWindow): string {
  const order = Array.from({ length: columnCount }, (_, i) => String(i + 1)).join(', ');
  return `SELECT * FROM (\n${bareQuery(sql)}\n) AS ${dialect.quoteIdentifier(QUERY_ALIAS)} ORDER BY ${order}${limit(window)}`;
}

/** The query without the trailing semicolons a subquery cannot hold. */
function bareQuery(sql: string): string {
  return sql.trim().replace(/[;\s]+$/, '');
}

function limit(window: PageWindow): string {
  return ` LIMIT ${window.limit} OFFSET ${window.offset}`;
}
