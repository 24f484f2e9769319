import type { PGlite } from '@electric-sql/pglite';
import { MAX_VARCHAR_BYTES, parseColumnType, type ColumnSpec, type ColumnType } from '@sparkify/core';
import { FEATURE_NOT_SUPPORTED, StatementFailure } from '../sql/statement-failure.js';
import type { CopyCommand } from './copy-command-parser.js';

/** A column COPY loads, with what the catalog says about it. */
export interface TargetColumn {
  spec: ColumnSpec;
  /** Postgres' spelling (`character varying(256)`), for messages. */
  pgType: string;
  /** Redshift's short type name for stl_load_errors.type (`varchar`, `int4`, `timestamp`). */
  loadErrorType: string;
  /** stl_load_errors.col_length: the declared length or precision. */
  length: string;
  hasDefault: boolean;
  identity: boolean;
}

export interface TargetTable {
  oid: number;
  /** As written in the COPY, for messages (`staging_events`). */
  name: string;
  /** Quoted for SQL (`"public"."staging_events"`). */
  sqlName: string;
  columns: TargetColumn[];
}

interface CatalogColumn {
  attname: string;
  type: string;
  notnull: boolean;
  hasdef: boolean;
  identity: string;
  generated: string;
}

/**
 * The table a COPY loads and its target columns: the explicit column list, or every column
 * except IDENTITY ones (generated unless EXPLICIT_IDS), in table order.
 */
export async function resolveTargetTable(db: PGlite, command: CopyCommand): Promise<TargetTable> {
  const qualified = command.table.schema === undefined ? quote(command.table.name) : `${quote(command.table.schema)}.${quote(command.table.name)}`;
  const found = await db.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [qualified]);
  const oid = found.rows[0]?.oid;
  const shownName = command.table.schema === undefined ? command.table.name : `${command.table.schema}.${command.table.name}`;
  if (oid === null || oid === undefined) {
    throw new StatementFailure(`relation "${shownName}" does not exist`, { code: '42P01' });
  }
  const catalog = await db.query<CatalogColumn>(
    `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull, atthasdef AS hasdef,
            attidentity AS identity, attgenerated AS generated
       FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [oid],
  );
  const byName = new Map(catalog.rows.map((column) => [column.attname, column]));
  let chosen: CatalogColumn[];
  if (command.columns) {
    chosen = command.columns.map((name) => {
      const column = byName.get(name);
      if (!column) throw new StatementFailure(`column "${name}" of relation "${shownName}" does not exist`, { code: '42703' });
      if (column.identity !== '' && !command.explicitIds) {
        throw new StatementFailure(`cannot set an identity column to a value: "${name}" (add EXPLICIT_IDS to load its values)`, { code: '0A000' });
      }
      return column;
    });
  } else {
    chosen = catalog.rows.filter((column) => column.identity === '' || command.explicitIds);
  }
  return {
    oid,
    name: shownName,
    sqlName: qualified,
    columns: chosen.filter((column) => column.generated === '').map(toTargetColumn),
  };
}

function toTargetColumn(column: CatalogColumn): TargetColumn {
  const type = copyableType(column);
  return {
    spec: { name: column.attname, type, nullable: !column.notnull || column.hasdef || column.identity !== '' },
    pgType: column.type,
    loadErrorType: LOAD_ERROR_TYPES[type.kind],
    length: type.kind === 'varchar' || type.kind === 'char' ? String(type.length) : type.kind === 'decimal' ? `${type.precision},${type.scale}` : '0',
    hasDefault: column.hasdef,
    identity: column.identity !== '',
  };
}

function copyableType(column: CatalogColumn): ColumnType {
  const parsed = parseColumnType(column.type);
  if (parsed) return parsed;
  // Unbounded text (only from SQL that bypassed the translator): the widest Redshift VARCHAR.
  if (column.type === 'text' || column.type === 'character varying') return { kind: 'varchar', length: MAX_VARCHAR_BYTES };
  if (column.type === 'numeric') return { kind: 'decimal', precision: 38, scale: 0 };
  throw new StatementFailure(`COPY into column "${column.attname}" of type ${column.type} is not supported by the Redshift emulator`, {
    code: FEATURE_NOT_SUPPORTED,
  });
}

const LOAD_ERROR_TYPES: Record<ColumnType['kind'], string> = {
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  double: 'float8',
  decimal: 'numeric',
  boolean: 'bool',
  varchar: 'varchar',
  char: 'char',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
};

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
