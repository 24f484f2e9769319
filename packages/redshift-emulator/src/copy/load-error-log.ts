import type { PGlite } from '@electric-sql/pglite';

/** One row of stl_load_errors (r_STL_LOAD_ERRORS). */
export interface LoadErrorRow {
  userid: number;
  tbl: number;
  /** Epoch milliseconds of the COPY's start. */
  starttime: number;
  session: number;
  query: number;
  filename: string;
  lineNumber: number;
  colname: string;
  type: string;
  colLength: string;
  rawLine: string;
  rawFieldValue: string;
  errCode: number;
  errReason: string;
}

const COLUMNS = [
  'userid', 'slice', 'tbl', 'starttime', 'session', 'query', 'filename', 'line_number', 'colname', 'type',
  'col_length', 'position', 'raw_line', 'raw_field_value', 'err_code', 'err_reason', 'is_partial', 'start_offset',
];

/** Rows per INSERT: 18 parameters each, under Postgres' 65535-parameter limit. */
const ROWS_PER_INSERT = 500;

/**
 * Load errors waiting to be written. Redshift logs them whatever happens to the COPY's
 * transaction (a failed COPY rolls back, its errors stay), so they are written only when no
 * transaction is open on the database's single connection.
 */
export class LoadErrorLog {
  private pending: LoadErrorRow[] = [];

  add(rows: readonly LoadErrorRow[]): void {
    for (const row of rows) this.pending.push(row);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Writes the pending rows; call only outside a transaction. */
  async flush(db: PGlite): Promise<void> {
    while (this.pending.length > 0) {
      const chunk = this.pending.slice(0, ROWS_PER_INSERT);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => {
        const values = [
          row.userid, 0, row.tbl, new Date(row.starttime).toISOString().replace('T', ' ').replace('Z', ''), row.session,
          row.query, clip(row.filename, 256), row.lineNumber, clip(row.colname, 127), clip(row.type, 10),
          clip(row.colLength, 10), 0, clip(row.rawLine, 1024), clip(row.rawFieldValue, 1024), row.errCode,
          clip(row.errReason, 100), 0, 0,
        ];
        const placeholders = values.map((value) => {
          params.push(value);
          return `$${params.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await db.query(`INSERT INTO pg_catalog.stl_load_errors (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
      this.pending = this.pending.slice(chunk.length);
    }
  }
}

/** Redshift's columns are CHAR(n) in bytes; cut on a character boundary. */
function clip(text: string, bytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= bytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}
