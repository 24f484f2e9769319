import { ConfigError } from '../errors/pipeline-error.js';
import type { Catalog, Transform } from '../model/catalog.js';
import type { TableSpec } from '../model/table-spec.js';
import { didYouMean } from '../pipeline/closest-name.js';
import type { PluginContext } from '../plugins/plugin.js';
import { TOKENS } from '../plugins/tokens.js';

export function pipelineCatalog(context: PluginContext): Catalog {
  return context.container.resolve(TOKENS.PipelineCatalog);
}

/** The named tables (all of them when `names` is absent), or a ConfigError at `path`. */
export function catalogTables(catalog: Catalog, names: readonly string[] | undefined, path: string): TableSpec[] {
  if (!names) return [...catalog.tables];
  return names.map((name, i) => catalogTable(catalog, name, `${path}[${i}]`));
}

export function catalogTable(catalog: Catalog, name: string, path: string): TableSpec {
  const table = catalog.tables.find((t) => t.name === name);
  if (!table) {
    const known = catalog.tables.map((t) => t.name);
    throw new ConfigError(`${path}: unknown table "${name}"${didYouMean(name, known)}`, {
      location: { configPath: path },
      hint: `tables of catalog "${catalog.id}": ${known.join(', ') || '(none)'}`,
    });
  }
  return table;
}

export function catalogTransforms(catalog: Catalog, names: readonly string[] | undefined, path: string): Transform[] {
  if (!names) return [...catalog.transforms];
  return names.map((name, i) => {
    const transform = catalog.transforms.find((t) => t.name === name);
    if (!transform) {
      const known = catalog.transforms.map((t) => t.name);
      throw new ConfigError(`${path}[${i}]: unknown transform "${name}"${didYouMean(name, known)}`, {
        location: { configPath: `${path}[${i}]` },
        hint: `transforms of catalog "${catalog.id}": ${known.join(', ') || '(none)'}`,
      });
    }
    return transform;
  });
}
