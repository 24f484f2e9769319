import { z } from 'zod';
import { identifierSchema } from '../model/table-spec.js';
import type { Transform } from '../model/catalog.js';
import { defineStepPlugin, type Step } from '../plugins/plugin.js';
import { catalogTransforms, pipelineCatalog } from './catalog-lookup.js';

const configSchema = z
  .object({
    sink: z.string().describe('the sink resource to run the SQL on'),
    transforms: z.array(identifierSchema).optional().describe("transforms of the pipeline's catalog, in order; all of them when absent"),
    sql: z.array(z.string().min(1)).optional().describe('statements to run instead of catalog transforms'),
  })
  .strict();

/** Runs portable SQL: each transform's statements as one transaction. */
export const transformStepPlugin = defineStepPlugin({
  id: 'warehouse.transform',
  kind: 'step',
  description: 'Runs SQL transforms (the catalog’s, or inline statements) on a sink, one transaction each',
  configSchema,
  uses: { sink: 'sink' },
  create(config, context): Step {
    const transforms: Transform[] = config.sql
      ? [{ name: 'inline', description: 'inline SQL', writes: [], statements: config.sql }]
      : catalogTransforms(pipelineCatalog(context), config.transforms, `${context.configPath}.transforms`);
    return {
      describe: () => `run ${transforms.map((t) => t.name).join(', ')} on ${config.sink}`,
      tables: () => transforms.flatMap((t) => t.writes),
      async plan() {
        return transforms.map((t) => ({ resource: config.sink, description: `${t.name}: ${t.description}`, sql: t.statements }));
      },
      async run({ sink, signal, events, stepId }) {
        const target = sink(config.sink);
        for (const transform of transforms) {
          const started = Date.now();
          await target.transaction(transform.statements, { signal, label: transform.name });
          events.emit({ type: 'step.statement', step: stepId, label: transform.name, elapsedMs: Date.now() - started });
        }
      },
    };
  },
});
