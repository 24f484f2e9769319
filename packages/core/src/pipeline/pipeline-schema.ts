import { z } from 'zod';
import { tableSpecSchema } from '../model/table-spec.js';

/**
 * The shape of a pipeline file before plugin configs are checked. Each `with` is validated later
 * by the plugin named in `use`, so its errors carry the full path (`steps[2].with.table`).
 */
export const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
const nameSchema = z.string().regex(NAME_PATTERN, 'expected a lower-case name (letters, digits, _ or -)');

export const paramSchema = z
  .object({
    type: z.enum(['string', 'path', 'integer', 'number', 'boolean']).default('string')
      .describe('path values given on the command line resolve against the current directory, defaults against the pipeline file'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional().describe('absent: the param must be given with --param'),
    description: z.string().optional(),
    secret: z.boolean().default(false).describe('never printed: redacted in plan, events and errors'),
  })
  .strict();

export const resourceSchema = z
  .object({
    use: z.string().min(1).describe('the id of a source or sink plugin'),
    with: z.record(z.string(), z.unknown()).default({}).describe('the plugin config'),
    description: z.string().optional(),
  })
  .strict();

export const stepSchema = z
  .object({
    id: nameSchema,
    use: z.string().min(1).describe('the id of a step plugin'),
    with: z.record(z.string(), z.unknown()).default({}).describe('the plugin config'),
    after: z.array(nameSchema).default([]).describe('ids of steps that must finish first'),
    description: z.string().optional(),
  })
  .strict();

export const settingsSchema = z
  .object({
    concurrency: z.number().int().min(1).max(16).default(2).describe('independent steps run at once, at most'),
    atomic: z.boolean().default(true).describe('run every step in one unit of work per sink: all or nothing'),
  })
  .strict();

export const pipelineFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: nameSchema,
    description: z.string().optional(),
    catalog: z.string().optional().describe('a registered catalog of tables, transforms and checks'),
    tables: z.array(tableSpecSchema).default([]).describe('tables declared inline, besides the catalog'),
    params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), paramSchema).default({}),
    settings: settingsSchema.default({ concurrency: 2, atomic: true }),
    resources: z.record(nameSchema, resourceSchema).default({}),
    steps: z.array(stepSchema).min(1, 'a pipeline needs at least one step'),
  })
  .strict();

export type ParamSpec = z.output<typeof paramSchema>;
export type ResourceEntry = z.output<typeof resourceSchema>;
export type StepEntry = z.output<typeof stepSchema>;
export type PipelineFile = z.output<typeof pipelineFileSchema>;
export type PipelineSettings = z.output<typeof settingsSchema>;
