import type { DependencyContainer } from 'tsyringe';
import { loadPipelineFile, TOKENS, type LoadedPipeline } from '@sparkify/core';
import { registryOf } from './composition-root.js';
import { invocationCwd } from './invocation.js';

export interface PipelineArgs {
  pipeline: string;
  params: Record<string, string>;
}

export async function loadFromArgs(container: DependencyContainer, args: PipelineArgs): Promise<LoadedPipeline> {
  return loadPipelineFile(args.pipeline, {
    registry: registryOf(container),
    params: args.params,
    cwd: invocationCwd(),
    env: container.resolve(TOKENS.Environment),
  });
}
