import type { ColumnSpec, ColumnType, Dialect, TableSpec } from '@sparkify/core';

/** `"name"`, with embedded double quotes doubled: every identifier goes through here. */
export function quoteDuckDbIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `'text'`, with embedded single quotes doubled. DuckDB string literals are standard SQL:
 * a backslash is an ordinary character (only `E'...'` literals would interpret it).
 */
export function quoteDuckDbLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * DuckDB's spelling of a column type. Character lengths are left out on purpose: DuckDB accepts
 * `VARCHAR(n)` but does not enforce it, and the sources already reject over-long values the way
 * Redshift's COPY does, so a length here would only suggest a check that does not happen.
 * `CHAR(n)` becomes VARCHAR too: DuckDB has no blank-padded type.
 */
export function renderDuckDbType(type: ColumnType): string {
  switch (type.kind) {
    case 'smallint':
      return 'SMALLINT';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'real':
      return 'REAL';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'varchar':
    case 'char':
      return 'VARCHAR';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'timestamptz':
      return 'TIMESTAMPTZ';
  }
}

function renderColumn(column: ColumnSpec): string {
  const notNull = column.nullable ? '' : ' NOT NULL';
  return `  ${quoteDuckDbIdentifier(column.name)} ${renderDuckDbType(column.type)}${notNull}`;
}

/**
 * `CREATE TABLE IF NOT EXISTS`, columns and NOT NULL only.
 *
 * The primary key is not rendered as a constraint: Redshift declares but never enforces it
 * (redshift-reference.md), and the pipeline removes duplicates in its SQL. An enforced key in
 * DuckDB would fail loads that pass on Redshift and slow every append with an index, so the key
 * appears as a comment only, to keep the DDL readable next to Redshift's. DISTSTYLE and SORTKEY
 * are Redshift storage hints with no DuckDB counterpart and are left out.
 */
export function renderDuckDbCreateTable(table: TableSpec): string {
  const lines = table.columns.map(renderColumn).join(',\n');
  const key = table.primaryKey?.length
    ? `\n  -- primary key (${table.primaryKey.map(quoteDuckDbIdentifier).join(', ')}): declared, not enforced (as in Redshift)`
    : '';
  return `CREATE TABLE IF NOT EXISTS ${quoteDuckDbIdentifier(table.name)} (\n${lines}${key}\n)`;
}

export function renderDuckDbDropTable(name: string): string {
  return `DROP TABLE IF EXISTS ${quoteDuckDbIdentifier(name)}`;
}

/** The embedded warehouse's dialect. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quoteIdentifier: quoteDuckDbIdentifier,
  quoteLiteral: quoteDuckDbLiteral,
  renderType: renderDuckDbType,
  renderCreateTable: renderDuckDbCreateTable,
  renderDropTable: renderDuckDbDropTable,
};
