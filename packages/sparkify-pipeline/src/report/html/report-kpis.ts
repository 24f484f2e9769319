import { formatNumber, formatPercent, toNumber } from '../format-value.js';
import { answerOf, songMatchRate } from '../report-notes.js';
import type { Report } from '../run-report.js';

/** A headline figure at the top of the page, read from the answers (no query of its own). */
export interface Kpi {
  label: string;
  value: string;
  note: string;
}

/** The figures a reader looks for first; each is left out when its question was not asked. */
export function reportKpis(report: Report): Kpi[] {
  const kpis: (Kpi | undefined)[] = [plays(report), listeners(report), paid(report), busiestHour(report), matchRate(report)];
  return kpis.filter((k): k is Kpi => k !== undefined);
}

function plays(report: Report): Kpi | undefined {
  const days = answerOf(report, 'plays-per-day')?.rows;
  if (!days || days.length === 0) return undefined;
  const total = days.reduce((sum, r) => sum + toNumber(r['plays']), 0);
  const first = String(days[0]!['day']);
  const last = String(days.at(-1)!['day']);
  return { label: 'Plays', value: formatNumber(total), note: first === last ? `on ${first}` : `${first} to ${last}` };
}

function levels(report: Report): { users: number; paid: number } | undefined {
  const rows = answerOf(report, 'free-vs-paid')?.rows;
  if (!rows) return undefined;
  return {
    users: rows.reduce((sum, r) => sum + toNumber(r['users']), 0),
    paid: rows.filter((r) => r['level'] === 'paid').reduce((sum, r) => sum + toNumber(r['users']), 0),
  };
}

function listeners(report: Report): Kpi | undefined {
  const counts = levels(report);
  return counts && { label: 'Listeners', value: formatNumber(counts.users), note: 'users with at least one play' };
}

function paid(report: Report): Kpi | undefined {
  const counts = levels(report);
  if (!counts) return undefined;
  const share = counts.users > 0 ? counts.paid / counts.users : 0;
  return { label: 'Paid listeners', value: formatNumber(counts.paid), note: `${formatPercent(share)} of listeners, by current level` };
}

function busiestHour(report: Report): Kpi | undefined {
  const rows = answerOf(report, 'plays-by-hour')?.rows;
  if (!rows || rows.length === 0) return undefined;
  const best = rows.reduce((a, b) => (toNumber(b['plays']) > toNumber(a['plays']) ? b : a));
  const hour = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  const start = toNumber(best['hour']);
  return { label: 'Busiest hour', value: hour(start), note: `${formatNumber(toNumber(best['plays']))} plays from ${hour(start)} to ${hour(start + 1)} UTC` };
}

function matchRate(report: Report): Kpi | undefined {
  const rate = songMatchRate(report);
  const row = answerOf(report, 'song-match-rate')?.rows[0];
  if (rate === undefined || !row) return undefined;
  const matched = toNumber(row['matched_plays']);
  return { label: 'Song-match rate', value: formatPercent(rate), note: `${formatNumber(matched)} ${matched === 1 ? 'play' : 'plays'} matched a song` };
}
