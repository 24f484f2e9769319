import type { ColumnSpec, ColumnType, Dialect, Distribution, TableSpec } from '@sparkify/core';

/** `"name"`, with embedded double quotes doubled: every identifier goes through here. */
export function quoteRedshiftIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `'text'` as Redshift reads it. Redshift string literals treat a backslash as an escape
 * character (the LIKE page writes its default escape, one backslash, as '\\\\'), unlike
 * standard-conforming Postgres: so backslashes are doubled as well as single quotes. Newlines
 * and other characters stand for themselves inside the quotes.
 */
export function quoteRedshiftLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** Redshift's spelling of a column type. VARCHAR(n) and CHAR(n) keep n, which Redshift counts in bytes. */
export function renderRedshiftType(type: ColumnType): string {
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
      return 'DOUBLE PRECISION';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'char':
      return `CHAR(${type.length})`;
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'timestamptz':
      return 'TIMESTAMPTZ';
  }
}

function renderColumn(column: ColumnSpec): string {
  return `  ${quoteRedshiftIdentifier(column.name)} ${renderRedshiftType(column.type)}${column.nullable ? '' : ' NOT NULL'}`;
}

function columnList(names: readonly string[]): string {
  return `(${names.map(quoteRedshiftIdentifier).join(', ')})`;
}

function renderDistribution(distribution: Distribution): string[] {
  if (distribution.style === 'key') return ['DISTSTYLE KEY', `DISTKEY ${columnList([distribution.key])}`];
  return [`DISTSTYLE ${distribution.style.toUpperCase()}`];
}

/**
 * `CREATE TABLE IF NOT EXISTS` with NOT NULL, the primary key declared (Redshift keeps it as
 * planner information and never enforces it: redshift-reference.md §2), then the table
 * attributes in the order Redshift's grammar wants them: DISTSTYLE, DISTKEY, COMPOUND SORTKEY.
 * Without a distribution hint Redshift chooses (DISTSTYLE AUTO).
 */
export function renderRedshiftCreateTable(table: TableSpec): string {
  const body = table.columns.map(renderColumn);
  if (table.primaryKey?.length) body.push(`  PRIMARY KEY ${columnList(table.primaryKey)}`);
  const attributes = [
    ...(table.distribution ? renderDistribution(table.distribution) : []),
    ...(table.sortKey?.length ? [`COMPOUND SORTKEY ${columnList(table.sortKey)}`] : []),
  ];
  return [`CREATE TABLE IF NOT EXISTS ${quoteRedshiftIdentifier(table.name)} (`, body.join(',\n'), ')', ...attributes].join('\n');
}

export function renderRedshiftDropTable(name: string): string {
  return `DROP TABLE IF EXISTS ${quoteRedshiftIdentifier(name)}`;
}

/** Amazon Redshift's dialect (the emulator speaks it too). */
export const redshiftDialect: Dialect = {
  name: 'redshift',
  quoteIdentifier: quoteRedshiftIdentifier,
  quoteLiteral: quoteRedshiftLiteral,
  renderType: renderRedshiftType,
  renderCreateTable: renderRedshiftCreateTable,
  renderDropTable: renderRedshiftDropTable,
};
