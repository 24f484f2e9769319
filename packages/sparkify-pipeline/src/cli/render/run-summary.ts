import type { RunSummary } from '@sparkify/core';
import { formatCount, formatDuration, renderTable } from './text-format.js';

const REJECTS_SHOWN = 20;

/** The end-of-run report: steps, loads (read = loaded + rejected), checks, tables, time. */
export function formatRunSummary(summary: RunSummary): string {
  const out: string[] = [];
  out.push(
    renderTable(
      ['step', 'status', 'time'],
      summary.steps.map((s) => [s.id, s.status, s.status === 'skipped' ? '' : formatDuration(s.elapsedMs)]),
    ),
  );
  const loads = summary.steps.flatMap((s) => s.loads);
  if (loads.length > 0) {
    out.push('', renderTable(['table', 'read', 'loaded', 'rejected', 'path'], loads.map((l) => [l.table, l.rowsRead, l.rowsLoaded, l.rowsRejected, l.path])));
    for (const load of loads.filter((l) => l.rowsRejected > 0)) {
      out.push('', `rejected records in ${load.table}:`);
      for (const r of load.rejected.slice(0, REJECTS_SHOWN)) {
        out.push(`  ${r.file}:${r.line}${r.column ? ` (${r.column})` : ''}: ${r.reason}`);
      }
      const more = load.rowsRejected - Math.min(load.rejected.length, REJECTS_SHOWN);
      if (more > 0) out.push(`  … and ${formatCount(more)} more`);
    }
  }
  const checks = summary.steps.flatMap((s) => s.checks);
  if (checks.length > 0) {
    const failed = checks.filter((c) => !c.passed);
    out.push('', `checks: ${checks.length - failed.length} passed, ${failed.length} failed`);
    for (const check of failed) out.push(`  FAILED ${check.name}: ${check.detail}`);
    for (const check of checks.filter((c) => c.name.includes('rate'))) out.push(`  ${check.name}: ${check.detail}`);
  }
  if (summary.tables.length > 0) {
    out.push('', renderTable(['table', 'rows'], summary.tables.map((t) => [t.name, t.rows])));
  }
  for (const warning of new Set(summary.warnings)) out.push(`warning: ${warning}`);
  out.push('', `${summary.pipeline}: ${summary.status} in ${formatDuration(summary.elapsedMs)}`);
  return out.join('\n');
}
