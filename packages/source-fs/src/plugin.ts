import path from 'node:path';
import { defineSourcePlugin, type TimeFormat } from '@sparkify/core';
import { JsonObjectSource, type JsonMappingSpec } from '@sparkify/redshift-json';
import { z } from 'zod';
import { FsObjectStore } from './fs-object-store.js';

export const sourceFsConfigSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .describe(
        'A file or a key prefix, as an S3 prefix: every file whose path starts with it is read, in every folder below ("data/log_data" also matches "data/log_data_old/…"; end it with "/" to read one folder only). Relative paths are resolved against the pipeline file.',
      ),
    jsonPaths: z
      .string()
      .min(1)
      .optional()
      .describe('Path of a JSONPaths file mapping JSON elements to columns, one expression per column in column order (COPY ... FORMAT AS JSON \'file\'). Without it, `format` applies.'),
    format: z
      .enum(['auto', 'auto ignorecase'])
      .optional()
      .describe("How keys map to columns when there is no jsonPaths: 'auto' matches first-level keys to column names case-sensitively, 'auto ignorecase' ignoring case. Default 'auto'."),
    timeFormat: z
      .enum(['auto', 'epochmillisecs', 'epochsecs'])
      .default('auto')
      .describe("How TIMESTAMP columns read values (COPY TIMEFORMAT): 'epochmillisecs' or 'epochsecs' for epoch numbers, 'auto' for date-time text."),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Files read at once.'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.jsonPaths !== undefined && config.format !== undefined) {
      context.addIssue({ code: 'custom', path: ['format'], message: 'give either jsonPaths or format, not both: a JSONPaths file replaces the auto mapping' });
    }
  });

export type SourceFsConfig = z.output<typeof sourceFsConfigSchema>;

/** Where a path's files are: the store root is the path's parent folder, the prefix its last segment. */
export function splitPrefixPath(absolute: string, written: string): { root: string; prefix: string } {
  const folderOnly = /[\\/]$/.test(written);
  const root = path.dirname(absolute);
  const name = path.basename(absolute);
  if (name === '') return { root: absolute, prefix: '' };
  return { root, prefix: folderOnly ? `${name}/` : name };
}

/** Options for a JsonObjectSource over local files; the plugin's `create` in pure form. */
export function createFsJsonSource(config: SourceFsConfig, resolvePath: (written: string) => string): JsonObjectSource {
  const { root, prefix } = splitPrefixPath(resolvePath(config.path), config.path);
  let mapping: JsonMappingSpec = { mode: config.format ?? 'auto' };
  if (config.jsonPaths !== undefined) {
    const file = resolvePath(config.jsonPaths);
    mapping = { mode: 'jsonpaths', store: new FsObjectStore(path.dirname(file)), key: path.basename(file) };
  }
  const timeFormat: TimeFormat = config.timeFormat;
  return new JsonObjectSource({ store: new FsObjectStore(root), prefix, mapping, timeFormat, concurrency: config.concurrency });
}

export const sourceFsPlugin = defineSourcePlugin<SourceFsConfig>({
  id: 'source-fs.json',
  kind: 'source',
  description: 'JSON files in a local folder, read as Redshift COPY ... FORMAT AS JSON reads S3 (prefix matching, auto or JSONPaths, gzip).',
  configSchema: sourceFsConfigSchema,
  create: (config, context) => createFsJsonSource(config, (written) => context.resolvePath(written)),
});
