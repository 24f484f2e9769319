import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors/pipeline-error.js';
import { joinConfigPath } from './config-path.js';
import { didYouMean } from './closest-name.js';
import type { ParamSpec } from './pipeline-schema.js';

export type ParamValue = string | number | boolean;

export interface ParamInputs {
  /** Values from `--param NAME=VALUE`, as typed. */
  overrides: Readonly<Record<string, string>>;
  /** Directory the user typed the command in: relative path overrides resolve against it. */
  cwd: string;
  /** Directory of the pipeline file: relative path defaults resolve against it. */
  pipelineDir: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedParams {
  values: Record<string, ParamValue>;
  /** Values that must never be printed (secret params, secret env lookups). */
  secrets: Set<string>;
}

const REFERENCE = /\$\{(param|env|secret):([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Resolves every declared param from its override or default, typed and path-resolved. */
export function resolveParams(specs: Readonly<Record<string, ParamSpec>>, inputs: ParamInputs): ResolvedParams {
  for (const name of Object.keys(inputs.overrides)) {
    if (!(name in specs)) {
      throw new ConfigError(`--param ${name}: the pipeline declares no param "${name}"${didYouMean(name, Object.keys(specs))}`, {
        location: { configPath: `params.${name}` },
        hint: `declared params: ${Object.keys(specs).join(', ') || '(none)'}`,
      });
    }
  }
  const secrets = new Set<string>();
  const values: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const override = inputs.overrides[name];
    const fromCli = override !== undefined;
    const raw = fromCli ? override : spec.default;
    const where = fromCli ? `--param ${name}` : `params.${name}.default`;
    if (raw === undefined) {
      throw new ConfigError(`param "${name}" has no default: give it with --param ${name}=VALUE`, {
        location: { configPath: `params.${name}` },
      });
    }
    const expanded = typeof raw === 'string' ? expandEnvOnly(raw, inputs.env, where, secrets) : raw;
    let value = coerce(name, spec, expanded, where);
    if (spec.type === 'path' && typeof value === 'string' && isRelativePath(value)) {
      value = resolve(fromCli ? inputs.cwd : inputs.pipelineDir, value);
    }
    values[name] = value;
    if (spec.secret && String(value) !== '') secrets.add(String(value));
  }
  return { values, secrets };
}

/** A relative file path; URIs and special names such as `:memory:` are left as written. */
function isRelativePath(value: string): boolean {
  return value !== '' && !isAbsolute(value) && !value.includes('://') && !/^:[a-z]+:$/.test(value);
}

function coerce(name: string, spec: ParamSpec, raw: ParamValue, where: string): ParamValue {
  const fail = (expected: string): never => {
    throw new ConfigError(`${where}: param "${name}" expects ${expected}, got ${JSON.stringify(raw)}`, {
      location: { configPath: `params.${name}` },
    });
  };
  switch (spec.type) {
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isSafeInteger(n) ? n : fail('an integer');
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? n : fail('a number');
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return fail('true or false');
    default:
      return typeof raw === 'string' ? raw : String(raw);
  }
}

function expandEnvOnly(text: string, env: ParamInputs['env'], where: string, secrets: Set<string>): string {
  return text.replace(REFERENCE, (whole, kind: string, name: string, fallback: string | undefined) => {
    if (kind === 'param') {
      throw new ConfigError(`${where}: a param default cannot refer to another param (${whole})`, { location: { configPath: where } });
    }
    return lookupEnv(kind, name, fallback, env, where, secrets);
  });
}

function lookupEnv(kind: string, name: string, fallback: string | undefined, env: ParamInputs['env'], where: string, secrets: Set<string>): string {
  const value = env[name] ?? fallback;
  if (value === undefined) {
    throw new ConfigError(`${where}: environment variable ${name} is not set`, {
      location: { configPath: where },
      hint: `set ${name}, or write \${${kind}:${name}:-default} to give a default`,
    });
  }
  if (kind === 'secret' && value !== '') secrets.add(value);
  return value;
}

/**
 * Replaces `${param:X}`, `${env:X}` and `${secret:X}` (an env value that is never printed) in
 * every string of a config tree. A string that is exactly one `${param:X}` takes the param's
 * typed value, so `"maxErrors": "${param:maxErrors}"` stays a number.
 */
export function substitute(
  tree: unknown,
  params: ResolvedParams,
  env: ParamInputs['env'],
  basePath: string,
): unknown {
  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') return substituteString(node, params, env, joinConfigPath(basePath, path));
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node).map(([key, value]) => [key, walk(value, [...path, key])] as const);
      return Object.fromEntries(entries.filter(([, value]) => value !== UNSET));
    }
    return node;
  };
  const out = walk(tree, []);
  return out === UNSET ? undefined : out;
}

/**
 * A key whose whole value is `${param:X}` with X empty is left out, so an optional plugin
 * setting can be switched off from the command line (`--param workgroup=`) and takes its default.
 */
const UNSET = Symbol('unset');

function substituteString(text: string, params: ResolvedParams, env: ParamInputs['env'], where: string): unknown {
  const whole = /^\$\{param:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text);
  if (whole) {
    const value = paramValue(whole[1]!, params, where);
    return value === '' ? UNSET : value;
  }
  return text.replace(REFERENCE, (_all, kind: string, name: string, fallback: string | undefined) =>
    kind === 'param' ? String(paramValue(name, params, where)) : lookupEnv(kind, name, fallback, env, where, params.secrets),
  );
}

function paramValue(name: string, params: ResolvedParams, where: string): ParamValue {
  const value = params.values[name];
  if (value === undefined) {
    throw new ConfigError(`${where}: unknown param "${name}"${didYouMean(name, Object.keys(params.values))}`, {
      location: { configPath: where },
      hint: 'declare it under "params" in the pipeline file',
    });
  }
  return value;
}
