import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { EventBus, loadPipeline, parseJsonText, redact, runPipeline, TOKENS } from '@sparkify/core';
import { dwhPipeline, unusedSettingsNotice, type DwhJob } from '../../dwh/dwh-pipeline.js';
import { readDwhConfig } from '../../dwh/dwh-config.js';
import { REDSHIFT_PIPELINE } from '../bundled-pipelines.js';
import { cancelOnSignals } from '../cancellation.js';
import { registryOf } from '../composition-root.js';
import { invocationCwd } from '../invocation.js';
import { addEnvironmentSecrets } from '../load.js';
import { attachRenderer, type Io, type OutputFlags } from '../output.js';
import { formatError } from '../render/format-error.js';
import { formatRunSummary } from '../render/run-summary.js';

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
  const secrets = loaded.params.secrets;
  if (config.dbPassword) secrets.add(config.dbPassword);
  const notice = unusedSettingsNotice(config);
  if (notice && !args.quiet) io.stderr(`${notice}\n`);

  const events = new EventBus();
  const detach = attachRenderer(events, args, io, secrets);
  const cancellation = cancelOnSignals();
  try {
    const outcome = await runPipeline(loaded, { container, events, signal: cancellation.signal });
    if (!args.json && !args.quiet) io.stdout(`\n${redact(formatRunSummary(outcome.summary), secrets)}\n`);
    if (outcome.error) {
      io.stderr(`${redact(formatError(outcome.error), secrets)}\n`);
      return outcome.error.exitCode;
    }
    return 0;
  } finally {
    cancellation.dispose();
    detach();
  }
}
