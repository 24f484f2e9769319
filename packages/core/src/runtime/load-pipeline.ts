import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors/pipeline-error.js';
import type { Catalog } from '../model/catalog.js';
import type { TableSpec } from '../model/table-spec.js';
import { didYouMean } from '../pipeline/closest-name.js';
import { orderSteps } from '../pipeline/dag.js';
import { parseJsonText } from '../pipeline/json-text.js';
import { resolveParams, substitute, type ResolvedParams } from '../pipeline/params.js';
import { pipelineFileSchema, type PipelineFile } from '../pipeline/pipeline-schema.js';
import { configErrorFromZod } from '../pipeline/zod-issues.js';
import type { SinkPlugin, SourcePlugin, StepPlugin } from '../plugins/plugin.js';
import type { PluginRegistry } from './plugin-registry.js';

export interface LoadOptions {
  registry: PluginRegistry;
  /** `--param NAME=VALUE` overrides, raw. */
  params?: Readonly<Record<string, string>>;
  /** Where the command was typed (relative CLI paths resolve here). */
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedResource {
  name: string;
  configPath: string;
  plugin: SourcePlugin | SinkPlugin;
  config: unknown;
}

export interface LoadedStep {
  id: string;
  index: number;
  configPath: string;
  after: string[];
  description?: string;
  plugin: StepPlugin;
  config: unknown;
}

/** A pipeline file read, its params resolved and every plugin config validated; nothing opened. */
export interface LoadedPipeline {
  file: string;
  dir: string;
  definition: PipelineFile;
  params: ResolvedParams;
  catalog: Catalog;
  resources: Map<string, LoadedResource>;
  steps: LoadedStep[];
  /** Step ids in a valid execution order. */
  order: string[];
}

export async function loadPipelineFile(file: string, options: LoadOptions): Promise<LoadedPipeline> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read pipeline file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file: path },
      cause: error,
    });
  }
  return loadPipeline(parseJsonText(text, path), { ...options, file: path });
}

/** Validates a pipeline given as data (tests, programmatic use). `file` anchors relative paths. */
export function loadPipeline(data: unknown, options: LoadOptions & { file: string }): LoadedPipeline {
  const { file, registry } = options;
  const parsed = pipelineFileSchema.safeParse(data);
  if (!parsed.success) throw configErrorFromZod(parsed.error, '', file);
  const definition = parsed.data;
  const dir = dirname(file);
  const env = options.env ?? process.env;
  const params = resolveParams(definition.params, {
    overrides: options.params ?? {},
    cwd: options.cwd ?? process.cwd(),
    pipelineDir: dir,
    env,
  });
  const catalog = buildCatalog(definition, registry);

  const resources = new Map<string, LoadedResource>();
  for (const [name, entry] of Object.entries(definition.resources)) {
    const configPath = `resources.${name}`;
    const plugin = resourcePlugin(registry, entry.use, `${configPath}.use`);
    const config = parseConfig(plugin.configSchema, substitute(entry.with, params, env, `${configPath}.with`), `${configPath}.with`, file);
    collectSecrets(plugin, config, params.secrets);
    resources.set(name, { name, configPath, plugin, config });
  }

  const steps = definition.steps.map((entry, index): LoadedStep => {
    const configPath = `steps[${index}]`;
    const plugin = registry.get(entry.use, 'step', `${configPath}.use`);
    const config = parseConfig(plugin.configSchema, substitute(entry.with, params, env, `${configPath}.with`), `${configPath}.with`, file);
    checkResourceRefs(plugin, config, resources, `${configPath}.with`);
    collectSecrets(plugin, config, params.secrets);
    return { id: entry.id, index, configPath, after: entry.after, plugin, config, ...(entry.description ? { description: entry.description } : {}) };
  });
  const order = orderSteps(steps);
  return { file, dir, definition, params, catalog, resources, steps, order };
}

function resourcePlugin(registry: PluginRegistry, id: string, configPath: string): SourcePlugin | SinkPlugin {
  const candidates = [...registry.list('source'), ...registry.list('sink')];
  const plugin = candidates.find((p) => p.id === id);
  if (plugin) return plugin as SourcePlugin | SinkPlugin;
  const isStep = registry.list('step').some((p) => p.id === id);
  const ids = candidates.map((p) => p.id);
  throw new ConfigError(
    isStep
      ? `${configPath}: "${id}" is a step plugin; resources use source or sink plugins`
      : `${configPath}: unknown source or sink plugin "${id}"${didYouMean(id, ids)}`,
    { location: { configPath }, hint: `source and sink plugins: ${ids.join(', ') || '(none registered)'}` },
  );
}

function parseConfig(schema: z.ZodType, data: unknown, configPath: string, file: string): unknown {
  const result = schema.safeParse(data);
  if (!result.success) throw configErrorFromZod(result.error, configPath, file);
  return result.data;
}

/** Values of the keys a plugin marks secret join the run's redaction set, wherever they came from. */
function collectSecrets(plugin: { secretKeys?: readonly string[] }, config: unknown, secrets: Set<string>): void {
  const values = (config ?? {}) as Record<string, unknown>;
  for (const key of plugin.secretKeys ?? []) {
    const value = values[key];
    if (typeof value === 'string' && value !== '') secrets.add(value);
  }
}

function checkResourceRefs(plugin: StepPlugin, config: unknown, resources: Map<string, LoadedResource>, configPath: string): void {
  const values = (config ?? {}) as Record<string, unknown>;
  for (const [key, kind] of Object.entries(plugin.uses)) {
    const name = values[key];
    if (name === undefined) continue;
    const path = `${configPath}.${key}`;
    const resource = typeof name === 'string' ? resources.get(name) : undefined;
    if (!resource) {
      const names = [...resources.values()].filter((r) => r.plugin.kind === kind).map((r) => r.name);
      throw new ConfigError(`${path}: unknown ${kind} "${String(name)}"; ${kind}s declared under "resources": ${names.join(', ') || '(none)'}`, {
        location: { configPath: path },
      });
    }
    if (resource.plugin.kind !== kind) {
      throw new ConfigError(`${path}: resource "${String(name)}" is a ${resource.plugin.kind}, this step needs a ${kind}`, {
        location: { configPath: path },
      });
    }
  }
}

function buildCatalog(definition: PipelineFile, registry: PluginRegistry): Catalog {
  const named = definition.catalog ? registry.catalog(definition.catalog, 'catalog') : undefined;
  const tables = new Map<string, TableSpec>();
  for (const table of named?.tables ?? []) tables.set(table.name, table);
  definition.tables.forEach((table, i) => {
    if (tables.has(table.name)) {
      throw new ConfigError(`tables[${i}].name: table "${table.name}" is already declared by catalog "${definition.catalog}"`, {
        location: { configPath: `tables[${i}].name` },
      });
    }
    tables.set(table.name, table);
  });
  return {
    id: named?.id ?? definition.name,
    description: named?.description ?? definition.description ?? '',
    tables: [...tables.values()],
    transforms: named?.transforms ?? [],
    checks: named?.checks ?? [],
  };
}

