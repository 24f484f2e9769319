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
  /** Pending rows also written inside the open transaction, so queries in it see them. */
  private readonly shownInTransaction = new Set<LoadErrorRow>();

  add(rows: readonly LoadErrorRow[]): void {
    for (const row of rows) this.pending.push(row);
  }

  get size(): number {
    return this.pending.length;
  }

  /**
   * Redshift's STL tables are not transactional: a COPY's errors are visible at once, even to
   * the session whose transaction is still open (a run reads them to account for rejected
   * rows before it commits). Inside a transaction the pending rows are written there too, and
   * stay pending until that transaction commits, so a rollback cannot lose them.
   */
  async showInTransaction(db: PGlite): Promise<void> {
    const unseen = this.pending.filter((row) => !this.shownInTransaction.has(row));
    await this.insert(db, unseen);
    for (const row of unseen) this.shownInTransaction.add(row);
  }

  /** The open transaction committed: the rows it showed are written for good. */
  committed(): void {
    this.pending = this.pending.filter((row) => !this.shownInTransaction.has(row));
    this.shownInTransaction.clear();
  }

  /** The open transaction rolled back: the rows it showed are pending again. */
  rolledBack(): void {
    this.shownInTransaction.clear();
  }

  /** Writes the pending rows; call only outside a transaction. */
  async flush(db: PGlite): Promise<void> {
    await this.insert(db, this.pending);
    this.pending = [];
    this.shownInTransaction.clear();
  }

  private async insert(db: PGlite, rows: readonly LoadErrorRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
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
