import type { InjectionToken } from 'tsyringe';
import type { EventBus } from '../events/run-events.js';
import type { Catalog } from '../model/catalog.js';
import type { AnyPlugin } from './plugin.js';

/**
 * Explicit DI tokens. Everything is registered and resolved by these, never by emitted type
 * metadata (esbuild/swc-based runners do not all emit it).
 */
export const TOKENS = {
  /** Every plugin, registered many times under this one token; resolve with resolveAll. */
  Plugin: Symbol('sparkify.plugin') as InjectionToken<AnyPlugin>,
  /** Every catalog of tables, transforms and checks; resolve with resolveAll. */
  Catalog: Symbol('sparkify.catalog') as InjectionToken<Catalog>,
  /** The catalog of the pipeline being run: its named catalog plus its inline tables (child container). */
  PipelineCatalog: Symbol('sparkify.pipeline-catalog') as InjectionToken<Catalog>,
  /** The run's event bus (child container). */
  EventBus: Symbol('sparkify.event-bus') as InjectionToken<EventBus>,
  /** The run's abort signal (child container). */
  AbortSignal: Symbol('sparkify.abort-signal') as InjectionToken<AbortSignal>,
  /** The environment values are read from (`${env:NAME}`): process.env in the CLI, a map in tests. */
  Environment: Symbol('sparkify.environment') as InjectionToken<Readonly<Record<string, string | undefined>>>,
} as const;
