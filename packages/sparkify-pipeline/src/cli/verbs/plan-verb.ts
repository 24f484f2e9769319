import type { DependencyContainer } from 'tsyringe';
import { planPipeline } from '@sparkify/core';
import { loadFromArgs, type PipelineArgs } from '../load.js';
import type { Io } from '../output.js';

export type PlanArgs = PipelineArgs & { json?: boolean };

/** `sparkify plan`: the DAG and the exact SQL each step would send, secrets redacted. */
export async function planVerb(container: DependencyContainer, args: PlanArgs, io: Io): Promise<number> {
  const loaded = await loadFromArgs(container, args);
  const planned = await planPipeline(loaded, container);
  if (args.json) {
    io.stdout(`${JSON.stringify({ pipeline: loaded.definition.name, steps: planned }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [`pipeline ${loaded.definition.name} (${loaded.file})`];
  for (const step of planned) {
    out.push('', `── ${step.id} [${step.use}]${step.after.length ? ` after ${step.after.join(', ')}` : ''}`, `   ${step.description}`);
    for (const action of step.actions) {
      out.push(`   • ${action.description}${action.resource ? ` (on ${action.resource})` : ''}`);
      for (const sql of action.sql ?? []) out.push(indent(`${sql.trim()};`, '       '));
    }
  }
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
