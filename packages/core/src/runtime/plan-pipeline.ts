import type { DependencyContainer } from 'tsyringe';
import type { PlannedAction } from '../plugins/plugin.js';
import { closeAll, instantiate, lookup } from './instantiate.js';
import type { LoadedPipeline } from './load-pipeline.js';
import { redactDeep } from './redact.js';

export interface PlannedStep {
  id: string;
  use: string;
  after: string[];
  description: string;
  actions: PlannedAction[];
}

/**
 * What a run would do, step by step, with the exact SQL each step sends; secrets redacted.
 * Sources may list their objects (plan shows the exact COPY), nothing is written.
 */
export async function planPipeline(loaded: LoadedPipeline, container: DependencyContainer): Promise<PlannedStep[]> {
  const child = container.createChildContainer();
  const instances = await instantiate(loaded, child);
  try {
    const signal = new AbortController().signal;
    const planned: PlannedStep[] = [];
    for (const id of loaded.order) {
      const entry = loaded.steps.find((s) => s.id === id)!;
      const step = lookup(instances.steps, id, 'step');
      const actions = await step.plan({
        stepId: id,
        signal,
        source: (name) => lookup(instances.sources, name, 'source'),
        sink: (name) => lookup(instances.sinks, name, 'sink'),
      });
      planned.push({ id, use: entry.plugin.id, after: entry.after, description: step.describe(), actions });
    }
    return redactDeep(planned, loaded.params.secrets);
  } finally {
    await closeAll(instances);
  }
}
