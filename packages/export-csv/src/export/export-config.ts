import { identifierSchema } from '@sparkify/core';
import { z } from 'zod';
import { FORBIDDEN_DELIMITERS } from '../csv/csv-format.js';

/** Tables whose names start with this are staging tables, left out of the default export. */
export const STAGING_PREFIX = 'staging_';

export const DEFAULT_PAGE_ROWS = 50_000;

export const exportCsvConfigSchema = z
  .object({
    sink: z.string().min(1).describe('the sink resource to read from (any sink: duckdb, redshift, …)'),
    tables: z
      .array(identifierSchema)
      .min(1)
      .optional()
      .describe(
        `tables of the pipeline's catalog, one file each (TABLE.csv); when neither this nor \`query\` is given, every catalog table whose name does not start with "${STAGING_PREFIX}" (the star schema)`,
      ),
    query: z
      .record(identifierSchema, z.string().min(1), {
        error: (issue) => (issue.code === 'invalid_key' ? 'a query name is its file name: expected a lower-case SQL identifier (letters, digits, _)' : undefined),
      })
      .optional()
      .describe('instead of `tables`: file name → one SELECT statement; writes NAME.csv, its rows ordered by every column'),
    outDir: z.string().min(1).describe('the folder the files go to, relative to the pipeline file; created if missing; a file of the same name is replaced'),
    header: z.boolean().default(true).describe('write the column names as the first record'),
    delimiter: z
      .string()
      .length(1, 'expected exactly one character')
      .refine((value) => !FORBIDDEN_DELIMITERS.includes(value), 'a double quote, CR or LF cannot separate fields')
      .default(',')
      .describe('the field separator: one character other than a double quote, CR or LF (",", ";", "\\t", "|")'),
    pageRows: z
      .number()
      .int()
      .min(1)
      .max(2_147_483_647)
      .default(DEFAULT_PAGE_ROWS)
      .describe('rows read per query: tables are read in ordered LIMIT/OFFSET pages, so memory stays flat however large they are'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.tables && config.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'give `tables` or `query`, not both' });
    if (config.query && Object.keys(config.query).length === 0) ctx.addIssue({ code: 'custom', path: ['query'], message: 'name at least one query' });
  });

export type ExportCsvConfig = z.output<typeof exportCsvConfigSchema>;
