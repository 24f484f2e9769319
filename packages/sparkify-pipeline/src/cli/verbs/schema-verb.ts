import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { pipelineJsonSchema, TOKENS } from '@sparkify/core';
import { invocationCwd } from '../invocation.js';
import type { Io } from '../output.js';

/** The JSON Schema of pipeline files, every registered plugin included. */
export function pipelineSchemaText(container: DependencyContainer): string {
  return `${JSON.stringify(pipelineJsonSchema(container.resolveAll(TOKENS.Plugin), container.resolveAll(TOKENS.Catalog)), null, 2)}\n`;
}

/** `sparkify schema [--out FILE]`: print or write the JSON Schema. */
export async function schemaVerb(container: DependencyContainer, args: { out?: string }, io: Io): Promise<number> {
  const text = pipelineSchemaText(container);
  if (!args.out) {
    io.stdout(text);
    return 0;
  }
  const file = resolve(invocationCwd(), args.out);
  await writeFile(file, text);
  io.stderr(`wrote ${file}\n`);
  return 0;
}
