import type { QueryValue } from '@sparkify/core';

/** How a missing value reads in the terminal and the page. */
export const NONE = '(none)';

export function isNumeric(value: QueryValue | undefined): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** A warehouse value as text: counts with thousands separators, ratios as percentages. */
export function formatValue(value: QueryValue | undefined, asPercent = false): string {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  if (typeof value === 'number') return asPercent ? formatPercent(value) : formatNumber(value);
  return String(value);
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(n) ? 0 : 2 });
}

/** 0.153 → "15.3%"; small shares keep two significant digits (0.000147 → "0.015%"), so they never read as 0. */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct === 0 || !Number.isFinite(pct)) return `${pct}%`;
  if (Math.abs(pct) >= 1) return `${pct.toFixed(1)}%`;
  return `${Number(pct.toPrecision(2))}%`;
}

/** A value as a number for a chart; NULL and text count as 0. */
export function toNumber(value: QueryValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}

/** 2018-11-30T12:34:56Z → "2018-11-30 12:34 UTC". */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
