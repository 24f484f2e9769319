/**
 * Column types as data. Sinks render them in their own dialect; the JSON semantics module uses
 * them to convert JSON values the way Redshift's COPY does.
 */
export type ColumnType =
  | { kind: 'smallint' }
  | { kind: 'integer' }
  | { kind: 'bigint' }
  | { kind: 'real' }
  | { kind: 'double' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'boolean' }
  | { kind: 'varchar'; length: number }
  | { kind: 'char'; length: number }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'timestamptz' };

export type ColumnTypeKind = ColumnType['kind'];

const SIMPLE: Record<string, ColumnType> = {
  smallint: { kind: 'smallint' },
  int2: { kind: 'smallint' },
  integer: { kind: 'integer' },
  int: { kind: 'integer' },
  int4: { kind: 'integer' },
  bigint: { kind: 'bigint' },
  int8: { kind: 'bigint' },
  real: { kind: 'real' },
  float4: { kind: 'real' },
  double: { kind: 'double' },
  'double precision': { kind: 'double' },
  float: { kind: 'double' },
  float8: { kind: 'double' },
  boolean: { kind: 'boolean' },
  bool: { kind: 'boolean' },
  date: { kind: 'date' },
  timestamp: { kind: 'timestamp' },
  'timestamp without time zone': { kind: 'timestamp' },
  timestamptz: { kind: 'timestamptz' },
  'timestamp with time zone': { kind: 'timestamptz' },
};

/** Redshift's widest VARCHAR, in bytes. */
export const MAX_VARCHAR_BYTES = 65535;

/**
 * Parses the SQL-ish spelling used in table specs (`varchar(256)`, `double precision`,
 * `decimal(10,2)`). Returns undefined for anything else, so callers can report where.
 */
export function parseColumnType(text: string): ColumnType | undefined {
  const normal = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const simple = SIMPLE[normal];
  if (simple) return simple;
  const sized = /^(varchar|character varying|char|character|nchar|nvarchar)\s*\(\s*(\d+)\s*\)$/.exec(normal);
  if (sized) {
    const length = Number(sized[2]);
    if (length < 1 || length > MAX_VARCHAR_BYTES) return undefined;
    const kind = sized[1] === 'char' || sized[1] === 'character' || sized[1] === 'nchar' ? 'char' : 'varchar';
    return { kind, length };
  }
  const decimal = /^(decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(normal);
  if (decimal) {
    const precision = Number(decimal[2]);
    const scale = Number(decimal[3] ?? 0);
    if (precision < 1 || precision > 38 || scale > precision) return undefined;
    return { kind: 'decimal', precision, scale };
  }
  return undefined;
}

/** The canonical spelling, the inverse of parseColumnType. */
export function formatColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'varchar':
    case 'char':
      return `${type.kind}(${type.length})`;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'double':
      return 'double precision';
    default:
      return type.kind;
  }
}

export function isCharacterType(type: ColumnType): boolean {
  return type.kind === 'varchar' || type.kind === 'char';
}
