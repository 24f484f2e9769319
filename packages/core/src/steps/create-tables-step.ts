import { z } from 'zod';
import { identifierSchema, type TableSpec } from '../model/table-spec.js';
import { defineStepPlugin, type Step } from '../plugins/plugin.js';
import type { Sink } from '../ports/sink.js';
import { catalogTables, pipelineCatalog } from './catalog-lookup.js';

const configSchema = z
  .object({
    sink: z.string().describe('the sink resource to create the tables in'),
    tables: z.array(identifierSchema).optional().describe("tables of the pipeline's catalog; all of them when absent"),
    replace: z.boolean().default(true).describe('drop each table first (the original create_tables did)'),
  })
  .strict();

/** The DDL for the tables: drops in reverse order, then creates, all in one transaction. */
export function createTablesStatements(sink: Sink, tables: readonly TableSpec[], replace: boolean): string[] {
  const drops = replace ? [...tables].reverse().map((t) => sink.dialect.renderDropTable(t.name)) : [];
  return [...drops, ...tables.map((t) => sink.dialect.renderCreateTable(t))];
}

export const createTablesStepPlugin = defineStepPlugin({
  id: 'warehouse.create-tables',
  kind: 'step',
  description: 'Drops (optionally) and creates tables of the catalog, rendered in the sink’s dialect',
  configSchema,
  uses: { sink: 'sink' },
  create(config, context): Step {
    const tables = catalogTables(pipelineCatalog(context), config.tables, `${context.configPath}.tables`);
    return {
      describe: () => `${config.replace ? 'drop and create' : 'create'} ${tables.length} tables in ${config.sink}`,
      tables: () => tables.map((t) => t.name),
      async plan({ sink }) {
        return [{ resource: config.sink, description: this.describe(), sql: createTablesStatements(sink(config.sink), tables, config.replace) }];
      },
      async run({ sink, signal }) {
        const target = sink(config.sink);
        await target.transaction(createTablesStatements(target, tables, config.replace), { signal, label: 'create tables' });
      },
    };
  },
});
