import { answerTable, type AnswerTable } from './answer-table.js';
import { utcMinute } from './format-value.js';
import { noteFor } from './report-notes.js';
import type { Report } from './run-report.js';

export interface TextStyle {
  /** Bold titles and dim notes: only on a terminal. */
  tty: boolean;
}

const BOLD = (s: string) => `\x1b[1m${s}\x1b[22m`;
const DIM = (s: string) => `\x1b[2m${s}\x1b[22m`;
const PLAIN = (s: string) => s;

/** The report for a terminal: a title, then each question's title, note and aligned table. */
export function renderReportText(report: Report, style: TextStyle): string {
  const bold = style.tty ? BOLD : PLAIN;
  const dim = style.tty ? DIM : PLAIN;
  const sections = report.answers.map((answer) => {
    const table = answerTable(answer);
    const body = table.cells.length === 0 ? dim('(no rows)') : alignedTable(table);
    const note = noteFor(report, answer.question);
    return [bold(answer.question.title), dim(answer.question.description), ...(note ? [note] : []), '', body].join('\n');
  });
  const heading = [
    bold('Sparkify listening report'),
    dim(`pipeline ${report.pipeline} · warehouse ${report.warehouse} · generated ${utcMinute(report.generatedAt)} · times in UTC`),
  ].join('\n');
  return `${[heading, ...sections].join('\n\n')}\n`;
}

/** Columns two spaces apart; numbers right-aligned, text left-aligned; a rule under the headers. */
function alignedTable(table: AnswerTable): string {
  const widths = table.headers.map((header, i) => Math.max(header.length, ...table.cells.map((row) => row[i]!.length)));
  const format = (row: readonly string[]) =>
    row.map((cell, i) => (table.numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [format(table.headers), format(widths.map((w) => '-'.repeat(w))), ...table.cells.map(format)].join('\n');
}
