import type { QueryResult, RejectedRecord } from '@sparkify/core';

/** Load errors a result or an error lists; the count covers them all. */
export const MAX_LISTED_LOAD_ERRORS = 100;

/** Where a COPY's bad records are logged: STL_LOAD_ERRORS on a provisioned cluster, SYS_LOAD_ERROR_DETAIL on serverless (STL views do not exist there). */
export type LoadErrorTable = 'stl_load_errors' | 'sys_load_error_detail';

/**
 * The bad records of one COPY (redshift-reference.md §1: file, line, column, raw value, reason),
 * with the total in every row. `queryId` is the Data API's RedshiftQueryId of the COPY, a number,
 * so it is written into the SQL as one.
 */
export function loadErrorsSql(queryId: number, table: LoadErrorTable, limit = MAX_LISTED_LOAD_ERRORS): string {
  if (!Number.isSafeInteger(queryId) || queryId < 0) throw new Error(`not a query id: ${queryId}`);
  const columns =
    table === 'stl_load_errors'
      ? 'TRIM(filename) AS file, line_number AS line, TRIM(colname) AS column_name, TRIM(raw_field_value) AS value, TRIM(err_reason) AS reason'
      : 'TRIM(file_name) AS file, line_number AS line, TRIM(column_name) AS column_name, TRIM(raw_field_value) AS value, TRIM(error_message) AS reason';
  const query = table === 'stl_load_errors' ? 'query' : 'query_id';
  return `SELECT ${columns}, COUNT(*) OVER () AS total FROM ${table} WHERE ${query} = ${queryId} ORDER BY 1, 2 LIMIT ${limit}`;
}

export interface LoadErrors {
  total: number;
  records: RejectedRecord[];
}

export function toLoadErrors(result: QueryResult): LoadErrors {
  const records = result.rows.map((row): RejectedRecord => {
    const column = text(row['column_name']);
    const value = text(row['value']);
    return {
      file: text(row['file']) ?? '',
      line: Number(row['line'] ?? 0),
      ...(column ? { column } : {}),
      ...(value !== undefined ? { value } : {}),
      reason: text(row['reason']) ?? 'rejected by COPY',
    };
  });
  return { total: Number(result.rows[0]?.['total'] ?? 0), records };
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `file line 3, column ts: reason (value "x")`. */
export function describeLoadError(record: RejectedRecord): string {
  const column = record.column ? `, column ${record.column}` : '';
  const value = record.value !== undefined ? ` (value ${JSON.stringify(record.value)})` : '';
  return `${record.file} line ${record.line}${column}: ${record.reason}${value}`;
}
