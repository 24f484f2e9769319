import { defineSinkPlugin } from '@sparkify/core';
import { z } from 'zod';
import { MEMORY_PATH } from '../engine/open-database.js';
import { DEFAULT_MEMORY_LIMIT, DuckDbSink, MEMORY_LIMIT_PATTERN } from '../sink/duckdb-sink.js';

const configSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .describe(`the warehouse file, relative to the pipeline file (created with its tables on first run), or "${MEMORY_PATH}" for a throw-away in-memory warehouse`),
    memoryLimit: z
      .string()
      .regex(MEMORY_LIMIT_PATTERN, 'expected a DuckDB size such as 512MB or 2GB')
      .default(DEFAULT_MEMORY_LIMIT)
      .describe('the most memory DuckDB may use (its memory_limit); larger joins and sorts spill to disk next to the file'),
    threads: z
      .number()
      .int()
      .min(1)
      .max(256)
      .optional()
      .describe("DuckDB's worker threads; one per core when absent"),
    atomicity: z
      .enum(['copy', 'transaction'])
      .default('copy')
      .describe(
        'how a failed run leaves the warehouse as it was: "copy" runs on a copy of the file, renamed over it when the run succeeds (faster: no failed statement aborts the run\'s work); "transaction" runs in one transaction on the file (no copy: for a file too large to copy at each run)',
      ),
  })
  .strict();

export type DuckDbSinkConfig = z.output<typeof configSchema>;

/** The embedded default warehouse. Nothing is opened here: the file opens on the sink's first use. */
export const duckdbSinkPlugin = defineSinkPlugin<DuckDbSinkConfig>({
  id: 'duckdb',
  kind: 'sink',
  description: 'Embedded DuckDB warehouse in a local file (or in memory); no server needed',
  configSchema,
  create(config, context) {
    return new DuckDbSink({
      path: config.path === MEMORY_PATH ? MEMORY_PATH : context.resolvePath(config.path),
      memoryLimit: config.memoryLimit,
      ...(config.threads === undefined ? {} : { threads: config.threads }),
      atomicity: config.atomicity,
      configPath: context.configPath,
    });
  },
});
