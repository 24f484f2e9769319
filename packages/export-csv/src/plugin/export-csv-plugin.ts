import { defineStepPlugin } from '@sparkify/core';
import { exportCsvConfigSchema, type ExportCsvConfig } from '../export/export-config.js';
import { exportCsvStep } from '../export/export-csv-step.js';
import { ExportTargets } from '../export/export-targets.js';

/**
 * `export.csv`: tables of the pipeline's catalog, or named queries, from any sink to CSV files.
 * `create` runs offline (validate, plan): it checks the config against the catalog and opens
 * nothing; the files are written by the step's `run`.
 */
export const exportCsvPlugin = defineStepPlugin<ExportCsvConfig>({
  id: 'export.csv',
  kind: 'step',
  description: 'Exports tables of the catalog (the star schema by default) or named queries from a sink to CSV files (RFC 4180), atomically',
  configSchema: exportCsvConfigSchema,
  uses: { sink: 'sink' },
  create(config, context) {
    const outDir = context.resolvePath(config.outDir);
    const targets = context.container.resolve(ExportTargets).select(config, outDir, context.configPath);
    return exportCsvStep({ config, targets, outDir, configPath: context.configPath });
  },
});
