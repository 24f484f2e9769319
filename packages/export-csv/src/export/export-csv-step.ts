import { mkdir } from 'node:fs/promises';
import { ConfigError, type PlannedAction, type Sink, type Step, type StepContext } from '@sparkify/core';
import { csvRecord } from '../csv/csv-format.js';
import { StagedFile } from '../files/staged-file.js';
import type { ExportCsvConfig } from './export-config.js';
import type { ExportTarget } from './export-targets.js';
import { queryColumnsSql, tablePageSql } from './page-sql.js';
import { readPages } from './read-pages.js';

export interface ExportCsvStepOptions {
  config: ExportCsvConfig;
  targets: readonly ExportTarget[];
  /** The absolute output folder. */
  outDir: string;
  /** The step's `with`, for errors. */
  configPath: string;
}

/** Running totals of one export, reported as `step.progress`. */
interface Totals {
  files: number;
  bytes: number;
  rows: number;
}

/**
 * Exports each target to its CSV file. Every file is written under a temporary name and renamed
 * into place only after all of them are complete: a failed or cancelled export leaves the
 * folder as it was.
 */
export function exportCsvStep(options: ExportCsvStepOptions): Step {
  const { config, targets, outDir } = options;
  return {
    describe: () => `export ${targets.map((t) => t.source.name).join(', ')} from ${config.sink} to ${outDir}`,
    async plan({ sink }) {
      return targets.map((target) => plannedExport(sink(config.sink), target, config));
    },
    async run(context) {
      await exportAll(context.sink(config.sink), options, context);
    },
  };
}

function plannedExport(sink: Sink, target: ExportTarget, config: ExportCsvConfig): PlannedAction {
  const { source, file } = target;
  const first = { limit: config.pageRows, offset: 0 };
  if (source.kind === 'table') {
    return {
      resource: config.sink,
      description: `export table ${source.name} to ${file}, ${config.pageRows} rows a page (OFFSET ${config.pageRows}, ${2 * config.pageRows}, … until a page comes back short)`,
      sql: [tablePageSql(sink.dialect, source.table, first)],
    };
  }
  return {
    resource: config.sink,
    description: `export query ${source.name} to ${file}: its columns first, then pages of ${config.pageRows} rows ordered by every column (ORDER BY 1, 2, … n)`,
    sql: [queryColumnsSql(sink.dialect, source.sql)],
  };
}

async function exportAll(sink: Sink, options: ExportCsvStepOptions, context: StepContext): Promise<void> {
  await onDisk(options.outDir, options.configPath, () => mkdir(options.outDir, { recursive: true }));
  const staged: StagedFile[] = [];
  const totals: Totals = { files: 0, bytes: 0, rows: 0 };
  try {
    for (const target of options.targets) {
      const started = Date.now();
      const file = await onDisk(target.file, options.configPath, () => StagedFile.create(target.file));
      staged.push(file);
      const rows = await writeCsv(sink, target, file, options, context, totals);
      await onDisk(target.file, options.configPath, () => file.close());
      totals.files += 1;
      context.events.emit({
        type: 'step.statement',
        step: context.stepId,
        label: `export ${target.source.name} to ${target.file}`,
        elapsedMs: Date.now() - started,
        rowsAffected: rows,
      });
    }
    for (const file of staged) await onDisk(file.path, options.configPath, () => file.publish());
  } catch (error) {
    await Promise.all(staged.map((file) => file.discard()));
    throw error;
  }
}

/** Writes one target's rows, page by page; returns how many. */
async function writeCsv(sink: Sink, target: ExportTarget, file: StagedFile, options: ExportCsvStepOptions, context: StepContext, totals: Totals): Promise<number> {
  const { config } = options;
  const configPath = target.source.kind === 'query' ? `${options.configPath}.query.${target.source.name}` : options.configPath;
  let rows = 0;
  let first = true;
  for await (const page of readPages(sink, target.source, { pageRows: config.pageRows, signal: context.signal, configPath })) {
    const header = first && config.header ? csvRecord(page.columns, config.delimiter) : '';
    first = false;
    const before = file.bytesWritten;
    await onDisk(target.file, options.configPath, () => file.write(header + page.rows.map((row) => csvRecord(row, config.delimiter)).join('')));
    rows += page.rows.length;
    totals.rows += page.rows.length;
    totals.bytes += file.bytesWritten - before;
    context.events.emit({
      type: 'step.progress',
      step: context.stepId,
      table: target.source.name,
      progress: { objectsDone: totals.files, objectsTotal: options.targets.length, bytesDone: totals.bytes, bytesTotal: 0, rowsRead: totals.rows, rowsRejected: 0 },
    });
  }
  return rows;
}

/** Runs a file operation; a failure is the output folder's fault, said with the file and the config path. */
async function onDisk<T>(path: string, configPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(`${configPath}.outDir: cannot write ${path} (${code})`, {
      location: { configPath: `${configPath}.outDir`, file: path },
      hint: 'outDir must be a folder this user can create and write, on a disk with room for the files',
      cause: error,
    });
  }
}
