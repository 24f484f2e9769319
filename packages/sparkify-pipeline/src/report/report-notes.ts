import { formatPercent, toNumber } from './format-value.js';
import type { ReportQuestion } from './report-questions.js';
import type { Report } from './run-report.js';

/** The answer of one question by id, if the report asked it. */
export function answerOf(report: Report, id: string) {
  return report.answers.find((a) => a.question.id === id);
}

/** The share of plays that matched a song, when the report asked for it. */
export function songMatchRate(report: Report): number | undefined {
  const row = answerOf(report, 'song-match-rate')?.rows[0];
  return row && row['match_rate'] !== null && row['match_rate'] !== undefined ? toNumber(row['match_rate']) : undefined;
}

/** The question's low-match note, when most plays matched no song. */
export function noteFor(report: Report, question: ReportQuestion): string | undefined {
  const rate = songMatchRate(report);
  if (!question.lowMatchNote || rate === undefined || rate >= 0.5) return undefined;
  return question.lowMatchNote.replace('{rate}', formatPercent(rate));
}
