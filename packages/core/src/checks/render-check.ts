import type { CheckSpec } from '../model/catalog.js';
import type { Dialect } from '../ports/sink.js';

/**
 * A check as SQL: each query returns one row whose first column is a count. `pass` decides from
 * the counts; names go through the dialect's quoting, never pasted raw.
 */
export interface RenderedCheck {
  name: string;
  table?: string;
  queries: string[];
  pass(counts: number[]): boolean;
  detail(counts: number[]): string;
  /** Metrics are reported, never fail. */
  informational: boolean;
}

export function checkName(check: CheckSpec): string {
  if (check.name) return check.name;
  switch (check.kind) {
    case 'not-empty':
      return `${check.table} not empty`;
    case 'unique':
      return `${check.table}(${check.columns.join(', ')}) unique`;
    case 'not-null':
      return `${check.table}(${check.columns.join(', ')}) not null`;
    case 'foreign-key':
      return `${check.table}.${check.column} found in ${check.references.table}.${check.references.column}`;
    default:
      return check.kind;
  }
}

export function renderCheck(check: CheckSpec, dialect: Dialect): RenderedCheck {
  const q = (name: string) => dialect.quoteIdentifier(name);
  const name = checkName(check);
  const base = { name, informational: false };
  switch (check.kind) {
    case 'not-empty':
      return {
        ...base,
        table: check.table,
        queries: [`SELECT COUNT(*) FROM ${q(check.table)}`, ...(check.whenNonZero ? [check.whenNonZero] : [])],
        pass: ([rows = 0, required = 1]) => rows > 0 || required === 0,
        detail: ([rows = 0, required]) => (rows > 0 ? `${rows} rows` : required === 0 ? 'empty, as its input is' : 'empty, though its input has data'),
      };
    case 'unique': {
      const columns = check.columns.map(q).join(', ');
      return {
        ...base,
        table: check.table,
        queries: [`SELECT COUNT(*) FROM (SELECT ${columns} FROM ${q(check.table)} GROUP BY ${columns} HAVING COUNT(*) > 1) AS duplicates`],
        pass: ([n = 0]) => n === 0,
        detail: ([n = 0]) => `${n} duplicated key${n === 1 ? '' : 's'}`,
      };
    }
    case 'not-null':
      return {
        ...base,
        table: check.table,
        queries: [`SELECT COUNT(*) FROM ${q(check.table)} WHERE ${check.columns.map((c) => `${q(c)} IS NULL`).join(' OR ')}`],
        pass: ([n = 0]) => n === 0,
        detail: ([n = 0]) => `${n} row${n === 1 ? '' : 's'} with NULL`,
      };
    case 'foreign-key':
      return {
        ...base,
        table: check.table,
        // An anti join written as a LEFT JOIN: a row with a match joins only to non-NULL keys, so
        // it drops out, however many it matches; the same count as NOT EXISTS, which DuckDB ran
        // 1.3-2x slower (songplays against time at 1M events: 190 ms against 100 ms).
        queries: [
          `SELECT COUNT(*) FROM ${q(check.table)} AS f LEFT JOIN ${q(check.references.table)} AS d ` +
            `ON d.${q(check.references.column)} = f.${q(check.column)} WHERE f.${q(check.column)} IS NOT NULL AND d.${q(check.references.column)} IS NULL`,
        ],
        pass: ([n = 0]) => n === 0,
        detail: ([n = 0]) => `${n} row${n === 1 ? '' : 's'} without a match`,
      };
    case 'equal-counts':
      return {
        ...base,
        queries: [check.left, check.right],
        pass: ([left, right]) => left === right,
        detail: ([left, right]) => `${left} ${left === right ? '=' : '≠'} ${right}`,
      };
    case 'metric':
      return {
        ...base,
        informational: true,
        queries: [check.sql],
        pass: () => true,
        detail: ([value]) => `${formatMetric(value)}${check.unit ? ` ${check.unit}` : ''}`,
      };
  }
}

function formatMetric(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
