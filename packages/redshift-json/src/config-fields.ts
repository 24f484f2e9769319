import { z } from 'zod';

/**
 * Config fields every JSON source plugin shares (source-fs, source-s3): the COPY JSON options
 * with their documentation, so that the plugins and their JSON Schemas say the same thing.
 */
export const jsonFormatField = z
  .enum(['auto', 'auto ignorecase'])
  .optional()
  .describe("How keys map to columns when there is no jsonPaths: 'auto' matches first-level keys to column names case-sensitively, 'auto ignorecase' ignoring case. Default 'auto'.");

export const timeFormatField = z
  .enum(['auto', 'epochmillisecs', 'epochsecs'])
  .default('auto')
  .describe("How TIMESTAMP columns read values (COPY TIMEFORMAT): 'epochmillisecs' or 'epochsecs' for epoch numbers, 'auto' for date-time text.");

/** A superRefine check: a JSONPaths file replaces the auto mapping, so `format` beside it is an error. */
export function checkJsonPathsOrFormat(config: { jsonPaths?: unknown; format?: unknown }, context: z.RefinementCtx): void {
  if (config.jsonPaths !== undefined && config.format !== undefined) {
    context.addIssue({ code: 'custom', path: ['format'], message: 'give either jsonPaths or format, not both: a JSONPaths file replaces the auto mapping' });
  }
}
