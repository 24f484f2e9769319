// The public surface of @sparkify/export-csv: the `export.csv` step plugin and its parts.
export { exportCsvPlugin } from './plugin/export-csv-plugin.js';
export { exportCsvConfigSchema, STAGING_PREFIX, DEFAULT_PAGE_ROWS } from './export/export-config.js';
export type { ExportCsvConfig } from './export/export-config.js';
export { ExportTargets } from './export/export-targets.js';
export type { ExportSource, ExportTarget } from './export/export-targets.js';
export { tablePageSql, queryColumnsSql, queryPageSql, QUERY_ALIAS } from './export/page-sql.js';
export type { PageWindow } from './export/page-sql.js';
export { readPages } from './export/read-pages.js';
export type { Page, ReadPagesOptions } from './export/read-pages.js';
export { csvField, csvRecord, FORBIDDEN_DELIMITERS, CSV_RECORD_END } from './csv/csv-format.js';
export { StagedFile } from './files/staged-file.js';
