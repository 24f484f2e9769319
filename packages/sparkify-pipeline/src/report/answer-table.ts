import { formatValue, isNumeric } from './format-value.js';
import type { ReportAnswer } from './run-report.js';

/** An answer as the terminal and the page show it: visible columns, formatted cells, alignment. */
export interface AnswerTable {
  headers: string[];
  /** Per column: right-aligned when every value is a number. */
  numeric: boolean[];
  cells: string[][];
}

export function answerTable(answer: ReportAnswer): AnswerTable {
  const { question, rows } = answer;
  const columns = answer.columns.filter((c) => !(question.hidden ?? []).includes(c));
  const percent = new Set(question.percent ?? []);
  return {
    headers: columns.map((c) => c.replace(/_/g, ' ')),
    numeric: columns.map((c) => rows.some((r) => isNumeric(r[c])) && rows.every((r) => r[c] === null || isNumeric(r[c]))),
    cells: rows.map((row) => columns.map((c) => formatValue(row[c], percent.has(c)))),
  };
}
