import type { DependencyContainer } from 'tsyringe';
import type { z } from 'zod';
import type { CheckOutcome, EventBus, LoadCounts } from '../events/run-events.js';
import type { Sink } from '../ports/sink.js';
import type { Source } from '../ports/source.js';

export type PluginKind = 'source' | 'sink' | 'step';

/** What every plugin factory gets besides its parsed config. */
export interface PluginContext {
  /** The run's child container: resolve shared services by token from here. */
  container: DependencyContainer;
  /** Resolves a path written in the pipeline file against that file's directory. */
  resolvePath(path: string): string;
  /** The config path of this plugin's `with`, e.g. `resources.events.with`, for error messages. */
  configPath: string;
}

interface PluginBase<K extends PluginKind, Config, Instance> {
  /** Stable, dotted, lower-case: `source-fs.json`, `duckdb`, `warehouse.load`. */
  id: string;
  kind: K;
  /** One line for `--help`, plan output and the JSON Schema. */
  description: string;
  /** Validates `with`. Use `.strict()` so unknown keys are errors; `.describe()` fields for docs. */
  configSchema: z.ZodType<Config>;
  /** Config keys whose values are secrets: redacted in plan, events and errors. */
  secretKeys?: readonly string[];
  create(config: Config, context: PluginContext): Instance | Promise<Instance>;
}

export type SourcePlugin<Config = unknown> = PluginBase<'source', Config, Source>;
export type SinkPlugin<Config = unknown> = PluginBase<'sink', Config, Sink>;

/**
 * A step plugin. `uses` names the top-level `with` keys that refer to resources and what kind
 * each must be, so the engine can check them offline and name the path when one is wrong.
 */
export interface StepPlugin<Config = unknown> extends PluginBase<'step', Config, Step> {
  uses: Readonly<Record<string, 'source' | 'sink'>>;
}

export type AnyPlugin = SourcePlugin<any> | SinkPlugin<any> | StepPlugin<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a step can reach while it runs. */
export interface StepContext {
  stepId: string;
  signal: AbortSignal;
  events: EventBus;
  source(name: string): Source;
  sink(name: string): Sink;
  /** Reports a finished load; also emitted as a `step.rows` event. */
  recordLoad(load: LoadCounts): void;
  recordCheck(check: CheckOutcome): void;
  warn(message: string): void;
}

/** One planned action, for `plan`: a statement or a description of work. */
export interface PlannedAction {
  /** The resource the action goes to. */
  resource?: string;
  description: string;
  sql?: string[];
}

export interface Step {
  /** One line describing what this instance does (`load events into staging_events`). */
  describe(): string;
  /** Names of the tables this step writes, for the run summary. */
  tables?(): string[];
  plan(context: Omit<StepContext, 'recordLoad' | 'recordCheck' | 'warn' | 'events'>): Promise<PlannedAction[]>;
  run(context: StepContext): Promise<void>;
}

/** Identity helpers that keep the Config type inferred from the schema. */
export function defineSourcePlugin<C>(plugin: SourcePlugin<C>): SourcePlugin<C> {
  return plugin;
}
export function defineSinkPlugin<C>(plugin: SinkPlugin<C>): SinkPlugin<C> {
  return plugin;
}
export function defineStepPlugin<C>(plugin: StepPlugin<C>): StepPlugin<C> {
  return plugin;
}
