import { z } from 'zod';
import { type ColumnType, formatColumnType, parseColumnType } from './column-type.js';

/** Lower-case SQL identifiers only: they are safe to quote in every dialect and match Redshift's folding. */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,126}$/;

export const identifierSchema = z
  .string()
  .regex(IDENTIFIER_PATTERN, 'expected a lower-case SQL identifier (letters, digits, _; at most 127 characters)');

export const columnTypeSchema = z.string().transform((text, ctx): ColumnType => {
  const parsed = parseColumnType(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `unknown column type "${text}"` });
    return z.NEVER;
  }
  return parsed;
});

export const columnSpecSchema = z
  .object({
    name: identifierSchema,
    type: columnTypeSchema,
    nullable: z.boolean().default(true).describe('false renders NOT NULL'),
    description: z.string().optional(),
  })
  .strict();

export const distributionSchema = z.discriminatedUnion('style', [
  z.object({ style: z.literal('auto') }).strict(),
  z.object({ style: z.literal('even') }).strict(),
  z.object({ style: z.literal('all') }).strict(),
  z.object({ style: z.literal('key'), key: identifierSchema }).strict(),
]);

export const tableSpecSchema = z
  .object({
    name: identifierSchema,
    description: z.string().optional(),
    columns: z.array(columnSpecSchema).min(1),
    primaryKey: z.array(identifierSchema).optional().describe('declared, not enforced (as in Redshift)'),
    distribution: distributionSchema.optional().describe('Redshift distribution hint; other sinks ignore it'),
    sortKey: z.array(identifierSchema).optional().describe('Redshift sort key hint; other sinks ignore it'),
  })
  .strict();

export type ColumnSpec = z.output<typeof columnSpecSchema>;
export type TableSpec = z.output<typeof tableSpecSchema>;
export type TableSpecInput = z.input<typeof tableSpecSchema>;
export type Distribution = z.output<typeof distributionSchema>;

/** Parses a table spec written as data (types as strings); throws zod errors with paths. */
export function defineTable(input: TableSpecInput): TableSpec {
  return tableSpecSchema.parse(input);
}

export function columnOf(table: TableSpec, name: string): ColumnSpec | undefined {
  return table.columns.find((column) => column.name === name);
}

/** A spec back in its data form (types as strings), e.g. for `plan` output. */
export function tableSpecToData(table: TableSpec): TableSpecInput {
  return { ...table, columns: table.columns.map((c) => ({ ...c, type: formatColumnType(c.type) })) };
}
