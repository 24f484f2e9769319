import type { DependencyContainer } from 'tsyringe';
import { ConfigError } from '../errors/pipeline-error.js';
import type { Sink } from '../ports/sink.js';
import type { Source } from '../ports/source.js';
import type { PluginContext, Step } from '../plugins/plugin.js';
import { TOKENS } from '../plugins/tokens.js';
import type { LoadedPipeline } from './load-pipeline.js';
import { isAbsolute, resolve } from 'node:path';

/** The live objects of one run (or one validate/plan), created in that run's child container. */
export interface PipelineInstances {
  sources: Map<string, Source>;
  sinks: Map<string, Sink>;
  steps: Map<string, Step>;
  /** Names of the sinks some step uses, in declaration order. */
  usedSinks: string[];
}

/**
 * Creates every resource and step through its plugin. Plugins open nothing here (connections
 * open on first use), so validate and plan stay offline.
 */
export async function instantiate(loaded: LoadedPipeline, container: DependencyContainer): Promise<PipelineInstances> {
  container.register(TOKENS.PipelineCatalog, { useValue: loaded.catalog });
  const context = (configPath: string): PluginContext => ({
    container,
    configPath,
    resolvePath: (path) => (isAbsolute(path) || path.includes('://') ? path : resolve(loaded.dir, path)),
  });
  const sources = new Map<string, Source>();
  const sinks = new Map<string, Sink>();
  for (const resource of loaded.resources.values()) {
    const created = await resource.plugin.create(resource.config as never, context(`${resource.configPath}.with`));
    if (resource.plugin.kind === 'source') sources.set(resource.name, created as Source);
    else sinks.set(resource.name, created as Sink);
  }
  const steps = new Map<string, Step>();
  const used = new Set<string>();
  for (const step of loaded.steps) {
    steps.set(step.id, await step.plugin.create(step.config as never, context(`${step.configPath}.with`)));
    const config = (step.config ?? {}) as Record<string, unknown>;
    for (const [key, kind] of Object.entries(step.plugin.uses)) {
      if (kind === 'sink' && typeof config[key] === 'string') used.add(config[key]);
    }
  }
  const usedSinks = [...sinks.keys()].filter((name) => used.has(name));
  return { sources, sinks, steps, usedSinks };
}

export function lookup<T>(map: Map<string, T>, name: string, kind: string): T {
  const value = map.get(name);
  if (!value) throw new ConfigError(`unknown ${kind} "${name}"`, { hint: `${kind}s: ${[...map.keys()].join(', ')}` });
  return value;
}

export async function closeAll(instances: PipelineInstances): Promise<void> {
  await Promise.allSettled([...instances.sinks.values()].map((sink) => sink.close()));
}
