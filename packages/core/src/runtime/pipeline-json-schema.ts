import { z } from 'zod';
import type { Catalog } from '../model/catalog.js';
import { pipelineFileSchema } from '../pipeline/pipeline-schema.js';
import type { AnyPlugin } from '../plugins/plugin.js';

type JsonSchema = Record<string, unknown>;

/** A `${param:X}` / `${env:X}` / `${secret:X}` reference, allowed wherever a value is. */
const REFERENCE: JsonSchema = {
  type: 'string',
  pattern: '^\\$\\{(param|env|secret):[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$',
  description: 'a ${param:NAME}, ${env:NAME} or ${secret:NAME} reference, substituted before validation',
};

/**
 * The JSON Schema of pipeline files, generated from the same zod schemas that validate them:
 * the pipeline's own shape, and each plugin's `with`, selected by `use`. Editors use it for
 * completion and checking; `sparkify validate` stays the authority (it knows params' values).
 */
export function pipelineJsonSchema(plugins: readonly AnyPlugin[], catalogs: readonly Catalog[] = []): JsonSchema {
  const base = z.toJSONSchema(pipelineFileSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = base['properties'] as Record<string, JsonSchema>;
  const byKind = (kind: AnyPlugin['kind']) => plugins.filter((p) => p.kind === kind);
  const resources = [...byKind('source'), ...byKind('sink')];

  properties['resources'] = { ...properties['resources'], additionalProperties: entrySchema(properties['resources']!['additionalProperties'] as JsonSchema, resources) };
  const steps = properties['steps'] as JsonSchema;
  properties['steps'] = { ...steps, items: entrySchema(steps['items'] as JsonSchema, byKind('step')) };
  if (catalogs.length > 0) properties['catalog'] = { ...properties['catalog'], enum: catalogs.map((c) => c.id) };
  return {
    $schema: base['$schema'],
    $id: 'https://sparkify.dev/schema/pipeline.schema.json',
    title: 'Sparkify pipeline',
    description: 'A pipeline file: params, resources (sources and sinks) and steps. Generated from the plugins’ zod schemas by `sparkify schema`.',
    ...Object.fromEntries(Object.entries(base).filter(([key]) => key !== '$schema')),
  };
}

/** A resource or step entry: `use` is one of the plugin ids, and `with` follows that plugin's schema. */
function entrySchema(entry: JsonSchema, plugins: readonly AnyPlugin[]): JsonSchema {
  const properties = { ...(entry['properties'] as Record<string, JsonSchema>) };
  properties['use'] = {
    ...properties['use'],
    enum: plugins.map((p) => p.id),
    markdownEnumDescriptions: plugins.map((p) => p.description),
  };
  return {
    ...entry,
    properties,
    allOf: plugins.map((plugin) => ({
      if: { properties: { use: { const: plugin.id } }, required: ['use'] },
      then: { properties: { with: { description: plugin.description, ...allowReferences(pluginSchema(plugin)) } } },
    })),
  };
}

function pluginSchema(plugin: AnyPlugin): JsonSchema {
  const schema = z.toJSONSchema(plugin.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete schema['$schema'];
  return schema;
}

/** Every leaf value may also be a reference string (it is substituted before validation). */
function allowReferences(node: unknown): JsonSchema {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node as JsonSchema;
  const schema = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, allowReferences(v)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? allowReferences(value) : value;
    } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === 'prefixItems') {
      out[key] = (value as unknown[]).map(allowReferences);
    } else {
      out[key] = value;
    }
  }
  const isLeaf = out['type'] !== 'object' && out['type'] !== 'array' && !out['anyOf'] && !out['oneOf'] && !out['allOf'];
  if (!isLeaf) return out;
  const { description, default: fallback, ...rest } = out;
  return { ...(description ? { description } : {}), ...(fallback !== undefined ? { default: fallback } : {}), anyOf: [rest, REFERENCE] };
}
