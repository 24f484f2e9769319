import type { DependencyContainer } from 'tsyringe';
import { loadPipelineFile, TOKENS, type LoadedPipeline } from '@sparkify/core';
import { registryOf } from './composition-root.js';
import { invocationCwd } from './invocation.js';

export interface PipelineArgs {
  pipeline: string;
  params: Record<string, string>;
}

export async function loadFromArgs(container: DependencyContainer, args: PipelineArgs): Promise<LoadedPipeline> {
  const env = container.resolve(TOKENS.Environment);
  const loaded = await loadPipelineFile(args.pipeline, { registry: registryOf(container), params: args.params, cwd: invocationCwd(), env });
  addEnvironmentSecrets(loaded, env);
  return loaded;
}

/** Credentials the AWS clients read from the environment: never printed, whatever a library says. */
const SECRET_ENVIRONMENT = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'];

export function addEnvironmentSecrets(loaded: LoadedPipeline, env: Readonly<Record<string, string | undefined>>): void {
  for (const name of SECRET_ENVIRONMENT) {
    const value = env[name];
    if (value) loaded.params.secrets.add(value);
  }
}
