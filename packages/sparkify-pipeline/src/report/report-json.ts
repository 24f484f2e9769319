import type { QueryValue } from '@sparkify/core';
import type { ChartKind } from './report-questions.js';
import type { Report } from './run-report.js';

/** `sparkify report --json`: one document with every question's rows (hidden columns included). */
export interface ReportDocument {
  report: 'sparkify';
  pipeline: string;
  warehouse: string;
  generatedAt: string;
  questions: {
    id: string;
    title: string;
    description: string;
    chart: ChartKind;
    method?: string;
    sql: string;
    columns: string[];
    rows: Record<string, QueryValue>[];
  }[];
}

export function reportDocument(report: Report): ReportDocument {
  return {
    report: 'sparkify',
    pipeline: report.pipeline,
    warehouse: report.warehouse,
    generatedAt: report.generatedAt.toISOString(),
    questions: report.answers.map(({ question, columns, rows }) => ({
      id: question.id,
      title: question.title,
      description: question.description,
      chart: question.chart.kind,
      ...(question.method ? { method: question.method } : {}),
      sql: question.sql,
      columns: [...columns],
      rows: [...rows],
    })),
  };
}
