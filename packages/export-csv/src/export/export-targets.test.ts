import 'reflect-metadata';
import { defineTable, emptyCatalog, TOKENS, type Catalog } from '@sparkify/core';
import { container as rootContainer } from 'tsyringe';
import { exportCsvConfigSchema } from './export-config.js';
import { ExportTargets } from './export-targets.js';

const column = [{ name: 'id', type: 'integer' }];
const catalog: Catalog = {
  ...emptyCatalog('shop'),
  tables: ['staging_orders', 'orders', 'customers'].map((name) => defineTable({ name, columns: column })),
};

/** The run's child container, as the engine prepares it before plugins create their steps. */
function runContainer(registered: Catalog | undefined) {
  const child = rootContainer.createChildContainer();
  if (registered) child.register(TOKENS.PipelineCatalog, { useValue: registered });
  return child;
}

const config = (input: Record<string, unknown>) => exportCsvConfigSchema.parse({ sink: 'warehouse', outDir: 'out', ...input });

describe('ExportTargets', () => {
  it('is resolved from the run’s container with the pipeline catalog injected by its token', () => {
    const targets = runContainer(catalog).resolve(ExportTargets).select(config({}), '/exports', 'steps[3].with');
    expect(targets.map((t) => [t.source.name, t.file])).toEqual([
      ['orders', '/exports/orders.csv'],
      ['customers', '/exports/customers.csv'],
    ]);
  });

  it('cannot be resolved where no pipeline catalog is registered', () => {
    expect(() => runContainer(undefined).resolve(ExportTargets)).toThrow(/sparkify\.pipeline-catalog/);
  });

  it('keeps the order of named tables and queries', () => {
    const targets = new ExportTargets(catalog);
    expect(targets.select(config({ tables: ['customers', 'staging_orders'] }), '/x', 'w').map((t) => t.source.name)).toEqual(['customers', 'staging_orders']);
    expect(targets.select(config({ query: { b: 'SELECT 2', a: 'SELECT 1' } }), '/x', 'w').map((t) => t.source)).toEqual([
      { kind: 'query', name: 'b', sql: 'SELECT 2' },
      { kind: 'query', name: 'a', sql: 'SELECT 1' },
    ]);
  });

  it('says so when a catalog has nothing outside staging', () => {
    const staging = { ...catalog, tables: catalog.tables.filter((t) => t.name.startsWith('staging_')) };
    expect(() => new ExportTargets(staging).select(config({}), '/x', 'steps[3].with')).toThrow(
      'steps[3].with: nothing to export: catalog "shop" has no tables outside staging',
    );
  });
});
