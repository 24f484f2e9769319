import { scanSql, SqlText } from './sql-parser.js';

export interface SqlParameter {
  name: string;
  value: string;
}

/** A problem with the request's Parameters: the Data API answers it with a ValidationException. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The `:name` placeholders of a statement, in order (a name may repeat). */
export function placeholderNames(sql: string): string[] {
  return findPlaceholders(new SqlText(sql)).map((p) => p.name);
}

/**
 * Replaces each `:name` placeholder with its value as a string literal. The Data API sends values
 * as strings and Redshift converts them to the type the context needs, as Postgres does with an
 * untyped literal. Placeholders are found with the SQL scanner, so `'a:b'`, `"x:y"` and `a::int`
 * are left alone.
 */
export function bindParameters(sql: string, parameters: readonly SqlParameter[]): string {
  const text = new SqlText(sql);
  const placeholders = findPlaceholders(text);
  if (placeholders.length === 0) return sql;
  const values = new Map(parameters.map((p) => [p.name, p.value]));
  const parts: Buffer[] = [];
  let at = 0;
  for (const placeholder of placeholders) {
    const value = values.get(placeholder.name);
    if (value === undefined) throw new ParameterError(`No value was given for the parameter :${placeholder.name}.`);
    parts.push(text.bytes.subarray(at, placeholder.start), Buffer.from(quoteLiteral(value), 'utf8'));
    at = placeholder.end;
  }
  parts.push(text.bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Checks the request's parameters against the statements that will use them: every parameter
 * has a valid unique name and is used by at least one statement, and every placeholder has a value.
 */
export function checkParameters(sqls: readonly string[], parameters: readonly SqlParameter[]): void {
  const given = new Set<string>();
  for (const parameter of parameters) {
    if (!PARAMETER_NAME.test(parameter.name)) {
      throw new ParameterError(`Parameter name '${parameter.name}' is not valid: use letters, digits and _.`);
    }
    if (given.has(parameter.name)) throw new ParameterError(`Parameter '${parameter.name}' is given more than once.`);
    given.add(parameter.name);
  }
  const used = new Set(sqls.flatMap((sql) => placeholderNames(sql)));
  for (const name of used) {
    if (!given.has(name)) throw new ParameterError(`No value was given for the parameter :${name}.`);
  }
  for (const name of given) {
    if (!used.has(name)) throw new ParameterError(`Parameter '${name}' is not used by the SQL: remove it or add :${name}.`);
  }
}

/** A Redshift string literal: quotes doubled, and backslashes too, since Redshift reads them as escapes. */
function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

interface Placeholder {
  name: string;
  start: number;
  end: number;
}

function findPlaceholders(text: SqlText): Placeholder[] {
  if (!text.text.includes(':')) return [];
  const tokens = scanSql(text);
  const found: Placeholder[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    const colon = tokens[i]!;
    const name = tokens[i + 1]!;
    if (colon.text !== ':' || name.start !== colon.end) continue;
    const previous = tokens[i - 1];
    // `arr[1:2]` slices are not placeholders; Redshift has no arrays, but stay safe.
    if (previous?.text === '[' || previous?.end === colon.start && previous.kind === 'ICONST') continue;
    if (!PARAMETER_NAME.test(name.text)) continue;
    found.push({ name: name.text, start: colon.start, end: name.end });
  }
  return found;
}
