import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { loadPipeline, parseJsonText, TOKENS } from '@sparkify/core';
import { dwhPipeline, unusedSettingsNotice, type DwhJob } from '../../dwh/dwh-pipeline.js';
import { readDwhConfig } from '../../dwh/dwh-config.js';
import { REDSHIFT_PIPELINE } from '../bundled-pipelines.js';
import { registryOf } from '../composition-root.js';
import { invocationCwd } from '../invocation.js';
import { addEnvironmentSecrets } from '../load.js';
import type { Io, OutputFlags } from '../output.js';
import { runAndRender } from './run-verb.js';

export type DwhArgs = OutputFlags & { config: string; endpoint?: string; params: Record<string, string> };

/** `sparkify create-tables|etl --config dwh.cfg`: the original scripts' jobs, on the Redshift pipeline. */
export async function dwhVerb(container: DependencyContainer, job: DwhJob, args: DwhArgs, io: Io): Promise<number> {
  const cwd = invocationCwd();
  const config = await readDwhConfig(resolve(cwd, args.config));
  const template = parseJsonText(await readFile(REDSHIFT_PIPELINE, 'utf8'), REDSHIFT_PIPELINE) as Parameters<typeof dwhPipeline>[0];
  const params = { ...args.params, ...(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}) };
  const loaded = loadPipeline(dwhPipeline(template, config, job), {
    registry: registryOf(container),
    file: REDSHIFT_PIPELINE,
    params,
    cwd,
    env: container.resolve(TOKENS.Environment),
  });
  addEnvironmentSecrets(loaded, container.resolve(TOKENS.Environment));
  if (config.dbPassword) loaded.params.secrets.add(config.dbPassword);
  const notice = unusedSettingsNotice(config);
  if (notice && !args.quiet) io.stderr(`${notice}\n`);

  return runAndRender(container, loaded, args, io);
}
