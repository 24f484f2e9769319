import type { DependencyContainer } from 'tsyringe';
import { closeAll, instantiate, redact } from '@sparkify/core';
import { loadFromArgs, type PipelineArgs } from '../load.js';
import type { Io } from '../output.js';

export type ValidateArgs = PipelineArgs & { online?: boolean; json?: boolean };

/**
 * `sparkify validate`: every config error, offline (plugins, params, resources, steps, DAG,
 * tables). `--online` also asks each sink to answer a trivial query.
 */
export async function validateVerb(container: DependencyContainer, args: ValidateArgs, io: Io): Promise<number> {
  const loaded = await loadFromArgs(container, args);
  const instances = await instantiate(loaded, container.createChildContainer());
  try {
    if (args.online) {
      for (const [name, sink] of instances.sinks) {
        await sink.healthCheck();
        if (!args.json) io.stdout(`sink ${name}: reachable\n`);
      }
    }
  } finally {
    await closeAll(instances);
  }
  const report = {
    valid: true,
    pipeline: loaded.definition.name,
    file: loaded.file,
    resources: [...loaded.resources.values()].map((r) => ({ name: r.name, use: r.plugin.id })),
    steps: loaded.order,
  };
  if (args.json) io.stdout(`${redact(JSON.stringify(report), loaded.params.secrets)}\n`);
  else io.stdout(`${loaded.file}: valid (${report.resources.length} resources, ${report.steps.length} steps: ${report.steps.join(' → ')})\n`);
  return 0;
}
