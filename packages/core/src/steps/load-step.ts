import { z } from 'zod';
import { identifierSchema } from '../model/table-spec.js';
import { defineStepPlugin, type Step } from '../plugins/plugin.js';
import type { LoadRequest } from '../ports/sink.js';
import { catalogTable, pipelineCatalog } from './catalog-lookup.js';

const configSchema = z
  .object({
    source: z.string().describe('the source resource to read'),
    sink: z.string().describe('the sink resource to load into'),
    table: identifierSchema.describe("a table of the pipeline's catalog"),
    maxErrors: z.number().int().min(0).default(0).describe('bad records that may be skipped (each is reported); one more fails the run'),
    replace: z.boolean().default(true).describe('empty the table first, so a re-run loads the same rows (DELETE, not TRUNCATE: it stays in the transaction)'),
  })
  .strict();

export const loadStepPlugin = defineStepPlugin({
  id: 'warehouse.load',
  kind: 'step',
  description: 'Loads a source into a table: server-side where the sink can (COPY), streamed otherwise',
  configSchema,
  uses: { source: 'source', sink: 'sink' },
  create(config, context): Step {
    const table = catalogTable(pipelineCatalog(context), config.table, `${context.configPath}.table`);
    const emptyStatement = (quote: (name: string) => string) => `DELETE FROM ${quote(table.name)}`;
    return {
      describe: () => `load ${config.source} into ${config.table}`,
      tables: () => [table.name],
      async plan({ source, sink }) {
        const target = sink(config.sink);
        const request: LoadRequest = { source: source(config.source), table, maxErrors: config.maxErrors };
        const empty = config.replace ? [emptyStatement((n) => target.dialect.quoteIdentifier(n))] : [];
        try {
          return [{ resource: config.sink, description: this.describe(), sql: [...empty, ...(await target.planLoad(request))] }];
        } catch (error) {
          // The exact load statement depends on what the source lists (e.g. GZIP for gzipped
          // objects); a plan made offline or without credentials still shows the rest.
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          return [{ resource: config.sink, description: `${this.describe()} (load statement not shown: ${reason})`, sql: empty }];
        }
      },
      async run({ source, sink, signal, events, stepId, recordLoad, warn }) {
        const target = sink(config.sink);
        if (config.replace) await target.execute(emptyStatement((n) => target.dialect.quoteIdentifier(n)), { signal, label: `empty ${table.name}` });
        const result = await target.load({
          source: source(config.source),
          table,
          maxErrors: config.maxErrors,
          signal,
          onProgress: (progress) => events.emit({ type: 'step.progress', step: stepId, progress, table: table.name }),
        });
        for (const warning of result.warnings) warn(warning);
        const { rowsRead, rowsLoaded, rowsRejected, rejected, path } = result;
        recordLoad({ table: table.name, rowsRead, rowsLoaded, rowsRejected, rejected, path });
      },
    };
  },
});
