import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, didYouMean, TOKENS, type Catalog, type TableSpec } from '@sparkify/core';
import { inject, injectable } from 'tsyringe';
import { STAGING_PREFIX, type ExportCsvConfig } from './export-config.js';

/** What one CSV file holds: a catalog table, or the result of a named query. */
export type ExportSource = { kind: 'table'; name: string; table: TableSpec } | { kind: 'query'; name: string; sql: string };

export interface ExportTarget {
  source: ExportSource;
  /** The absolute path of the file. */
  file: string;
}

/**
 * Turns the config into the files to write, checking table names against the pipeline's
 * catalog. Resolved from the run's child container, where the engine registers the catalog
 * under TOKENS.PipelineCatalog: `context.container.resolve(ExportTargets)`.
 */
export class ExportTargets {
  constructor(private readonly catalog: Catalog) {}

  /** `configPath` is the step's `with` (`steps[5].with`); `outDir` is already resolved. */
  select(config: ExportCsvConfig, outDir: string, configPath: string): ExportTarget[] {
    const sources: ExportSource[] = config.query
      ? Object.entries(config.query).map(([name, sql]) => ({ kind: 'query', name, sql }))
      : this.tables(config.tables, `${configPath}.tables`).map((table) => ({ kind: 'table', name: table.name, table }));
    if (sources.length === 0) {
      throw new ConfigError(`${configPath}: nothing to export: catalog "${this.catalog.id}" has no tables outside staging`, {
        location: { configPath },
        hint: 'name the tables with `tables`, or give `query`',
      });
    }
    return sources.map((source) => ({ source, file: join(outDir, `${source.name}.csv`) }));
  }

  private tables(names: readonly string[] | undefined, path: string): TableSpec[] {
    if (!names) return this.catalog.tables.filter((table) => !table.name.startsWith(STAGING_PREFIX));
    return names.map((name, i) => {
      if (names.indexOf(name) !== i) {
        throw new ConfigError(`${path}[${i}]: table "${name}" is listed twice`, { location: { configPath: `${path}[${i}]` } });
      }
      const table = this.catalog.tables.find((t) => t.name === name);
      if (table) return table;
      const known = this.catalog.tables.map((t) => t.name);
      throw new ConfigError(`${path}[${i}]: unknown table "${name}"${didYouMean(name, known)}`, {
        location: { configPath: `${path}[${i}]` },
        hint: `tables of catalog "${this.catalog.id}": ${known.join(', ') || '(none)'}`,
      });
    });
  }
}

// What `@injectable()` on the class and `@inject(TOKENS.PipelineCatalog)` on its constructor
// parameter compile to, written as calls: every runner reads this file the same way, tsx
// included when it runs from a folder whose tsconfig does not enable experimentalDecorators.
inject(TOKENS.PipelineCatalog)(ExportTargets, undefined, 0);
injectable()(ExportTargets);
