import type { DependencyContainer } from 'tsyringe';
import type { AnyPlugin } from '../plugins/plugin.js';
import { TOKENS } from '../plugins/tokens.js';
import { checksStepPlugin } from './checks-step.js';
import { createTablesStepPlugin } from './create-tables-step.js';
import { loadStepPlugin } from './load-step.js';
import { transformStepPlugin } from './transform-step.js';

/** The generic warehouse steps every pipeline can use. */
export const corePlugins: readonly AnyPlugin[] = [createTablesStepPlugin, loadStepPlugin, transformStepPlugin, checksStepPlugin];

export function registerPlugins(container: DependencyContainer, plugins: readonly AnyPlugin[]): void {
  for (const plugin of plugins) container.register(TOKENS.Plugin, { useValue: plugin });
}
