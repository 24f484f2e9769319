import { PipelineError, redactDeep, WarehouseError, type QueryValue, type Sink } from '@sparkify/core';
import type { ReportQuestion } from './report-questions.js';

export interface ReportAnswer {
  readonly question: ReportQuestion;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, QueryValue>[];
}

/** What the three renderers (terminal, JSON, HTML) read. */
export interface Report {
  /** The pipeline's name. */
  readonly pipeline: string;
  /** The sink resource's name and its dialect, e.g. `warehouse (duckdb)`. */
  readonly warehouse: string;
  readonly generatedAt: Date;
  readonly answers: readonly ReportAnswer[];
}

export interface RunReportOptions {
  signal?: AbortSignal;
  /** Values never shown: any warehouse value holding one is redacted before rendering. */
  secrets?: Iterable<string>;
  /** For the hint when a query fails, e.g. `pnpm sparkify run pipelines/local.json`. */
  runCommand?: string;
}

/** Asks the warehouse every question, one after another (a Redshift session runs one at a time). */
export async function runReport(sink: Sink, questions: readonly ReportQuestion[], options: RunReportOptions = {}): Promise<ReportAnswer[]> {
  const secrets = [...(options.secrets ?? [])];
  const answers: ReportAnswer[] = [];
  for (const question of questions) {
    options.signal?.throwIfAborted();
    const result = await sink.query(question.sql, { label: `report.${question.id}`, signal: options.signal }).catch((error: unknown) => {
      throw questionFailed(question, error, options.runCommand);
    });
    answers.push({ question, columns: result.columns.map((c) => c.name), rows: redactDeep(result.rows, secrets) });
  }
  return answers;
}

function questionFailed(question: ReportQuestion, error: unknown, runCommand: string | undefined): unknown {
  if (error instanceof PipelineError && error.kind !== 'warehouse') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new WarehouseError(`report question "${question.id}" (${question.title}) failed: ${reason}`, {
    cause: error,
    location: { sql: question.sql },
    hint: `the report reads the tables a pipeline run builds; build them first${runCommand ? ` with \`${runCommand}\`` : ''}`,
  });
}
