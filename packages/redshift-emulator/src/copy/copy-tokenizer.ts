import { StatementFailure, SYNTAX_ERROR } from '../sql/statement-failure.js';

/** A token of a Redshift COPY command: COPY is not Postgres syntax, so it has its own lexer. */
export interface CopyToken {
  kind: 'word' | 'string' | 'quoted' | 'number' | 'symbol';
  /** Words lower-cased; strings and quoted names unescaped; symbols as written. */
  value: string;
  /** The text as written, for error messages. */
  raw: string;
  /** 1-based character position. */
  position: number;
}

/**
 * Splits a COPY command into words, '...' strings ('' escapes a quote), "..." names, numbers
 * and the symbols ( ) , . ; — skipping white space and -- / block comments.
 */
export function tokenizeCopy(sql: string): CopyToken[] {
  const tokens: CopyToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw failure('unterminated /* comment', i);
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const { value, end } = readQuoted(sql, i, c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value, raw: sql.slice(i, end), position: i + 1 });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'word', value: match.toLowerCase(), raw: match, position: i + 1 });
      i += match.length;
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(sql.slice(i))?.[0];
      if (!match) throw failure(`syntax error at or near "${c}"`, i);
      tokens.push({ kind: 'number', value: match, raw: match, position: i + 1 });
      i += match.length;
    } else if ('(),.;'.includes(c)) {
      tokens.push({ kind: 'symbol', value: c, raw: c, position: i + 1 });
      i += 1;
    } else {
      throw failure(`syntax error at or near "${c}"`, i);
    }
  }
  return tokens;
}

function readQuoted(sql: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = sql.indexOf(quote, i);
    if (next < 0) throw failure(quote === "'" ? 'unterminated quoted string' : 'unterminated quoted identifier', start);
    value += sql.slice(i, next);
    if (sql[next + 1] === quote) {
      value += quote;
      i = next + 2;
    } else {
      return { value, end: next + 1 };
    }
  }
}

function failure(message: string, index: number): StatementFailure {
  return new StatementFailure(message, { code: SYNTAX_ERROR, position: index + 1 });
}
