import { nameList, nodeType, numberField, walkAst } from './ast-walk.js';
import type { AstNode, SqlToken } from './sql-parser.js';
import { tokenAt, type SqlEdit } from './sql-edits.js';

/**
 * Redshift's DATEADD, DATEDIFF and DATE_PART take the date part as a bare word
 * (`DATEADD(day, 1, ts)`) with many abbreviations (r_Dateparts_for_datetime_functions).
 * Postgres would read `day` as a column, so the first argument becomes the canonical quoted
 * unit (`'day'`), which the emulator's DATEADD/DATEDIFF functions and Postgres' DATE_PART and
 * DATE_TRUNC understand.
 */
export function rewriteDateparts(statement: AstNode, tokens: readonly SqlToken[]): SqlEdit[] {
  const edits: SqlEdit[] = [];
  walkAst(statement, ({ type, body }) => {
    if (type !== 'FuncCall') return;
    const name = nameList(body.funcname).pop();
    if (!name || !DATEPART_FUNCTIONS.has(name) || !Array.isArray(body.args)) return;
    const first = nodeType((body.args[0] ?? {}) as AstNode);
    if (!first) return;
    const [argType, arg] = first;
    const location = numberField(arg, 'location');
    if (location === undefined) return;
    const token = tokens[tokenAt(tokens, location)];
    if (!token) return;
    let written: string | undefined;
    if (argType === 'ColumnRef') {
      const fields = nameList(arg.fields);
      if (fields.length === 1) written = fields[0];
    } else if (argType === 'A_Const') {
      written = (arg.sval as { sval?: string } | undefined)?.sval;
    }
    if (written === undefined) return;
    const unit = canonicalDatepart(written);
    if (unit === undefined) return;
    edits.push({ start: token.start, end: token.end, replacement: `'${unit}'` });
  });
  return edits;
}

const DATEPART_FUNCTIONS = new Set(['dateadd', 'datediff', 'date_part', 'date_trunc']);

const DATEPARTS: Record<string, readonly string[]> = {
  millennium: ['millennium', 'millennia', 'mil', 'mils'],
  century: ['century', 'centuries', 'c', 'cent', 'cents'],
  decade: ['decade', 'decades', 'dec', 'decs'],
  epoch: ['epoch'],
  year: ['year', 'years', 'y', 'yr', 'yrs'],
  quarter: ['quarter', 'quarters', 'qtr', 'qtrs'],
  month: ['month', 'months', 'mon', 'mons'],
  week: ['week', 'weeks', 'w'],
  dow: ['dayofweek', 'dow', 'dw', 'weekday'],
  doy: ['dayofyear', 'doy', 'dy', 'yearday'],
  day: ['day', 'days', 'd'],
  hour: ['hour', 'hours', 'h', 'hr', 'hrs'],
  minute: ['minute', 'minutes', 'm', 'min', 'mins'],
  second: ['second', 'seconds', 's', 'sec', 'secs'],
  milliseconds: ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds', 'millisec', 'millisecs', 'millisecon'],
  microseconds: ['microsecond', 'microseconds', 'microsec', 'microsecs', 'usecond', 'useconds', 'us', 'usec', 'usecs'],
};

const CANONICAL = new Map(Object.entries(DATEPARTS).flatMap(([unit, spellings]) => spellings.map((s) => [s, unit] as const)));

export function canonicalDatepart(written: string): string | undefined {
  return CANONICAL.get(written.toLowerCase());
}
