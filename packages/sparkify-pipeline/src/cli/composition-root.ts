import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { corePlugins, PluginRegistry, registerPlugins, TOKENS } from '@sparkify/core';
import { exportCsvPlugin } from '@sparkify/export-csv';
import { duckdbSinkPlugin } from '@sparkify/sink-duckdb';
import { sinkRedshiftPlugin } from '@sparkify/sink-redshift/plugin';
import { sourceFsPlugin } from '@sparkify/source-fs';
import { sourceS3Plugin } from '@sparkify/source-s3/plugin';
import { sparkifyCatalog } from '../schema/catalog.js';

/**
 * The one place that knows every plugin: the CLI's composition root. Plugins never import the
 * CLI; a new plugin package is added here (and to package.json), nowhere else.
 */
export function createRootContainer(env: NodeJS.ProcessEnv = process.env): DependencyContainer {
  const container = rootContainer.createChildContainer();
  registerPlugins(container, [...corePlugins, sourceFsPlugin, sourceS3Plugin, duckdbSinkPlugin, sinkRedshiftPlugin, exportCsvPlugin]);
  container.register(TOKENS.Catalog, { useValue: sparkifyCatalog });
  container.register(TOKENS.Environment, { useValue: env });
  return container;
}

export function registryOf(container: DependencyContainer): PluginRegistry {
  return new PluginRegistry(container.resolveAll(TOKENS.Plugin), container.resolveAll(TOKENS.Catalog));
}
