import type { ColumnMetadata, Field } from './data-api-types.js';

/** Postgres type OIDs the conversion cares about. */
const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  numeric: 1700,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  bpchar: 1042,
  varchar: 1043,
  text: 25,
  name: 19,
  json: 114,
  jsonb: 3802,
  bytea: 17,
} as const;

const LONG_TYPES = new Set<number>([OID.int2, OID.int4, OID.int8, OID.oid]);
const DOUBLE_TYPES = new Set<number>([OID.float4, OID.float8]);

/**
 * PGlite parsers that keep every value as Postgres prints it, except booleans and numbers: the
 * Data API sends timestamps, dates and decimals as text (`2018-11-01 21:01:46.796`).
 */
export const RAW_TEXT_PARSERS: Record<number, (value: string) => unknown> = Object.fromEntries(
  [OID.date, OID.time, OID.timestamp, OID.timestamptz, OID.interval, OID.timetz, OID.numeric, OID.json, OID.jsonb, OID.int8, OID.bytea].map(
    (oid) => [oid, (value: string) => value],
  ),
);

/** A finished statement's rows, kept for GetStatementResult. */
export interface ResultSet {
  columns: ColumnMetadata[];
  records: Field[][];
  /** Approximate size in bytes of the records as JSON. */
  size: number;
}

export interface PgField {
  name: string;
  dataTypeID: number;
}

export function toResultSet(fields: readonly PgField[], rows: readonly unknown[][]): ResultSet {
  const columns = fields.map(columnMetadata);
  const records = rows.map((row) => fields.map((field, i) => toField(row[i], field.dataTypeID)));
  let size = 0;
  for (const record of records) size += JSON.stringify(record).length;
  return { columns, records, size };
}

export function toField(value: unknown, oid: number): Field {
  if (value === null || value === undefined) return { isNull: true };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (LONG_TYPES.has(oid)) return { longValue: Number(value) };
  if (DOUBLE_TYPES.has(oid) && typeof value === 'number' && Number.isFinite(value)) return { doubleValue: value };
  if (value instanceof Uint8Array) return { stringValue: Buffer.from(value).toString('hex') };
  return { stringValue: String(value) };
}

interface TypeFacts {
  typeName: string;
  precision: number;
  scale: number;
  isSigned: boolean;
  isCaseSensitive: boolean;
}

const TYPE_FACTS: Record<number, TypeFacts> = {
  [OID.bool]: { typeName: 'bool', precision: 1, scale: 0, isSigned: false, isCaseSensitive: false },
  [OID.int2]: { typeName: 'int2', precision: 5, scale: 0, isSigned: true, isCaseSensitive: false },
  [OID.int4]: { typeName: 'int4', precision: 10, scale: 0, isSigned: true, isCaseSensitive: false },
  [OID.int8]: { typeName: 'int8', precision: 19, scale: 0, isSigned: true, isCaseSensitive: false },
  [OID.oid]: { typeName: 'oid', precision: 10, scale: 0, isSigned: false, isCaseSensitive: false },
  [OID.float4]: { typeName: 'float4', precision: 8, scale: 8, isSigned: true, isCaseSensitive: false },
  [OID.float8]: { typeName: 'float8', precision: 17, scale: 17, isSigned: true, isCaseSensitive: false },
  [OID.numeric]: { typeName: 'numeric', precision: 38, scale: 0, isSigned: true, isCaseSensitive: false },
  [OID.date]: { typeName: 'date', precision: 13, scale: 0, isSigned: false, isCaseSensitive: false },
  [OID.time]: { typeName: 'time', precision: 15, scale: 6, isSigned: false, isCaseSensitive: false },
  [OID.timestamp]: { typeName: 'timestamp', precision: 29, scale: 6, isSigned: false, isCaseSensitive: false },
  [OID.timestamptz]: { typeName: 'timestamptz', precision: 35, scale: 6, isSigned: false, isCaseSensitive: false },
  [OID.bpchar]: { typeName: 'bpchar', precision: 0, scale: 0, isSigned: false, isCaseSensitive: true },
  [OID.varchar]: { typeName: 'varchar', precision: 0, scale: 0, isSigned: false, isCaseSensitive: true },
  [OID.text]: { typeName: 'varchar', precision: 0, scale: 0, isSigned: false, isCaseSensitive: true },
  [OID.name]: { typeName: 'name', precision: 0, scale: 0, isSigned: false, isCaseSensitive: true },
};

function columnMetadata(field: PgField): ColumnMetadata {
  const facts = TYPE_FACTS[field.dataTypeID] ?? {
    typeName: 'unknown',
    precision: 0,
    scale: 0,
    isSigned: false,
    isCaseSensitive: true,
  };
  return {
    name: field.name,
    label: field.name,
    typeName: facts.typeName,
    precision: facts.precision,
    scale: facts.scale,
    length: 0,
    isSigned: facts.isSigned,
    isCaseSensitive: facts.isCaseSensitive,
    isCurrency: false,
    // 1 = nullable: result columns carry no NOT NULL information (JDBC columnNullable).
    nullable: 1,
    schemaName: '',
    tableName: '',
  };
}

/** NextToken: opaque to clients, the offset of the next page bound to its statement. */
export function encodePageToken(statementId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id: statementId, offset }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, statementId: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { id?: unknown; offset?: unknown };
    if (parsed.id !== statementId || typeof parsed.offset !== 'number' || !Number.isInteger(parsed.offset) || parsed.offset < 0) {
      return undefined;
    }
    return parsed.offset;
  } catch {
    return undefined;
  }
}
