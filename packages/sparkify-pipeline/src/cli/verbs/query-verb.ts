import type { DependencyContainer } from 'tsyringe';
import { closeAll, ConfigError, instantiate, redact } from '@sparkify/core';
import { loadFromArgs, type PipelineArgs } from '../load.js';
import type { Io } from '../output.js';
import { renderTable, toJson } from '../render/text-format.js';

export type QueryArgs = PipelineArgs & { sql: string; json?: boolean; sink?: string };

/** `sparkify query`: one statement on the pipeline's warehouse; `--json` prints only a JSON array of rows. */
export async function queryVerb(container: DependencyContainer, args: QueryArgs, io: Io): Promise<number> {
  const loaded = await loadFromArgs(container, args);
  const instances = await instantiate(loaded, container.createChildContainer());
  try {
    const name = args.sink ?? instances.usedSinks[0] ?? [...instances.sinks.keys()][0];
    const sink = name ? instances.sinks.get(name) : undefined;
    if (!sink) {
      throw new ConfigError(`${args.sink ? `--sink ${args.sink}: no such sink` : 'the pipeline declares no sink'}`, {
        hint: `sinks: ${[...instances.sinks.keys()].join(', ') || '(none)'}`,
      });
    }
    const result = await sink.query(args.sql, { label: 'query' });
    if (args.json) io.stdout(`${toJson(result.rows)}\n`);
    else {
      const headers = result.columns.map((c) => c.name);
      const rows = result.rows.map((row) => headers.map((h) => display(row[h])));
      io.stdout(`${redact(renderTable(headers, rows), loaded.params.secrets)}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})\n`);
    }
    return 0;
  } finally {
    await closeAll(instances);
  }
}

function display(value: unknown): string | number {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return value;
  return String(value);
}
