import { z } from 'zod';
import { identifierSchema, type TableSpec } from './table-spec.js';

/**
 * A named, ordered set of SQL statements that builds tables from other tables. The SQL is
 * portable: the same text runs on every sink (dialect differences stay in DDL and loading).
 */
export const transformSchema = z
  .object({
    name: identifierSchema,
    description: z.string().default(''),
    /** Tables this transform writes, for the summary and for checks. */
    writes: z.array(identifierSchema).default([]),
    statements: z.array(z.string().min(1)).min(1),
  })
  .strict();

const checkBase = { name: z.string().min(1).optional(), description: z.string().optional() };

/** Data-quality checks as data; core renders them through the sink's dialect. */
export const checkSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    ...checkBase,
    kind: z.literal('not-empty'),
    table: identifierSchema,
    /** Only required when this query returns a count above zero (e.g. "there were NextSong events"). */
    whenNonZero: z.string().optional(),
  }).strict(),
  z.object({ ...checkBase, kind: z.literal('unique'), table: identifierSchema, columns: z.array(identifierSchema).min(1) }).strict(),
  z.object({ ...checkBase, kind: z.literal('not-null'), table: identifierSchema, columns: z.array(identifierSchema).min(1) }).strict(),
  z.object({
    ...checkBase,
    kind: z.literal('foreign-key'),
    table: identifierSchema,
    column: identifierSchema,
    references: z.object({ table: identifierSchema, column: identifierSchema }).strict(),
  }).strict(),
  z.object({
    ...checkBase,
    kind: z.literal('equal-counts'),
    name: z.string().min(1),
    /** Two queries each returning one number; the check passes when they are equal. */
    left: z.string().min(1),
    right: z.string().min(1),
  }).strict(),
  z.object({
    ...checkBase,
    kind: z.literal('metric'),
    name: z.string().min(1),
    /** A query returning one number, reported and never failing (e.g. the song match rate). */
    sql: z.string().min(1),
    unit: z.string().optional(),
  }).strict(),
]);

export type Transform = z.output<typeof transformSchema>;
export type CheckSpec = z.output<typeof checkSpecSchema>;
export type CheckSpecInput = z.input<typeof checkSpecSchema>;

/** What a pipeline builds: tables, the transforms between them and the checks on them. */
export interface Catalog {
  id: string;
  description: string;
  tables: readonly TableSpec[];
  transforms: readonly Transform[];
  checks: readonly CheckSpec[];
}

export function emptyCatalog(id = 'inline'): Catalog {
  return { id, description: 'tables declared in the pipeline file', tables: [], transforms: [], checks: [] };
}
