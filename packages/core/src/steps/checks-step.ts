import { z } from 'zod';
import { renderCheck } from '../checks/render-check.js';
import { CheckFailedError } from '../errors/pipeline-error.js';
import type { CheckOutcome } from '../events/run-events.js';
import { checkSpecSchema, type CheckSpec } from '../model/catalog.js';
import { defineStepPlugin, type Step } from '../plugins/plugin.js';
import type { Sink } from '../ports/sink.js';
import { catalogTable, pipelineCatalog } from './catalog-lookup.js';

const configSchema = z
  .object({
    sink: z.string().describe('the sink resource to check'),
    catalog: z.boolean().default(true).describe("run the catalog's checks"),
    checks: z.array(checkSpecSchema).default([]).describe('more checks, declared inline'),
  })
  .strict();

/** Runs every check, reports each, and fails (rolling the run back) if any failed. */
export const checksStepPlugin = defineStepPlugin({
  id: 'warehouse.checks',
  kind: 'step',
  description: 'Runs data-quality checks (not empty, unique, not null, foreign keys, reconciliations); any failure rolls the run back',
  configSchema,
  uses: { sink: 'sink' },
  create(config, context): Step {
    const catalog = pipelineCatalog(context);
    config.checks.forEach((check, i) => {
      if ('table' in check) catalogTable(catalog, check.table, `${context.configPath}.checks[${i}].table`);
    });
    const checks: CheckSpec[] = [...(config.catalog ? catalog.checks : []), ...config.checks];
    return {
      describe: () => `run ${checks.length} checks on ${config.sink}`,
      async plan({ sink }) {
        const dialect = sink(config.sink).dialect;
        return checks.map((check) => {
          const rendered = renderCheck(check, dialect);
          return { resource: config.sink, description: `check: ${rendered.name}`, sql: rendered.queries };
        });
      },
      async run({ sink, signal, recordCheck }) {
        const target = sink(config.sink);
        const failed: CheckOutcome[] = [];
        for (const check of checks) {
          const outcome = await runCheck(target, check, signal);
          recordCheck(outcome);
          if (!outcome.passed) failed.push(outcome);
        }
        if (failed.length > 0) {
          throw new CheckFailedError(`${failed.length} of ${checks.length} checks failed: ${failed.map((f) => `${f.name} (${f.detail})`).join('; ')}`, {
            hint: 'the run was rolled back; the warehouse holds its previous state',
            details: failed,
          });
        }
      },
    };
  },
});

async function runCheck(sink: Sink, check: CheckSpec, signal: AbortSignal): Promise<CheckOutcome> {
  const rendered = renderCheck(check, sink.dialect);
  const counts: number[] = [];
  for (const sql of rendered.queries) {
    const result = await sink.query(sql, { signal, label: `check ${rendered.name}` });
    const first = result.rows[0];
    const value = first ? Object.values(first)[0] : null;
    counts.push(value === null || value === undefined ? NaN : Number(value));
  }
  return {
    name: rendered.name,
    ...(rendered.table ? { table: rendered.table } : {}),
    passed: rendered.pass(counts),
    detail: rendered.detail(counts),
  };
}
