import path from 'node:path';
import { defineSourcePlugin, joinConfigPath, type TimeFormat } from '@sparkify/core';
import { checkJsonPathsOrFormat, jsonFormatField, JsonObjectSource, type JsonMappingSpec, timeFormatField } from '@sparkify/redshift-json';
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
    format: jsonFormatField,
    timeFormat: timeFormatField,
    concurrency: z.number().int().min(1).max(64).default(4).describe('Files read at once.'),
  })
  .strict()
  .superRefine(checkJsonPathsOrFormat);

export type SourceFsConfig = z.output<typeof sourceFsConfigSchema>;

/** Where a path's files are: the store root is the path's parent folder, the prefix its last segment. */
export function splitPrefixPath(absolute: string, written: string): { root: string; prefix: string } {
  const folderOnly = /[\\/]$/.test(written);
  const root = path.dirname(absolute);
  const name = path.basename(absolute);
  if (name === '') return { root: absolute, prefix: '' };
  return { root, prefix: folderOnly ? `${name}/` : name };
}

/**
 * The JSON source over local files; the plugin's `create` in pure form. `configPath` (the
 * plugin's `with`) makes errors about missing folders point at the config field.
 */
export function createFsJsonSource(config: SourceFsConfig, resolvePath: (written: string) => string, configPath?: string): JsonObjectSource {
  const at = (field: string) => (configPath === undefined ? {} : { configPath: joinConfigPath(configPath, [field]) });
  const { root, prefix } = splitPrefixPath(resolvePath(config.path), config.path);
  let mapping: JsonMappingSpec = { mode: config.format ?? 'auto' };
  if (config.jsonPaths !== undefined) {
    const file = resolvePath(config.jsonPaths);
    mapping = { mode: 'jsonpaths', store: new FsObjectStore(path.dirname(file), at('jsonPaths')), key: path.basename(file) };
  }
  const timeFormat: TimeFormat = config.timeFormat;
  return new JsonObjectSource({ store: new FsObjectStore(root, at('path')), prefix, mapping, timeFormat, concurrency: config.concurrency });
}

export const sourceFsPlugin = defineSourcePlugin<SourceFsConfig>({
  id: 'source-fs.json',
  kind: 'source',
  description: 'JSON files in a local folder, read as Redshift COPY ... FORMAT AS JSON reads S3 (prefix matching, auto or JSONPaths, gzip).',
  configSchema: sourceFsConfigSchema,
  create: (config, context) => createFsJsonSource(config, (written) => context.resolvePath(written), context.configPath),
});
