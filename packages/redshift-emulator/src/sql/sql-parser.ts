import { loadModule, parseSync, scanSync } from 'libpg-query';

/**
 * The real PostgreSQL parser (libpg_query compiled to WASM), used two ways: its scanner gives
 * tokens that know about strings, quoted names and comments (so rewrites never touch text inside
 * a literal), and its parser gives the AST the checks walk. Offsets are UTF-8 byte offsets, as
 * libpg_query reports them; `SqlText` converts.
 */

let loading: Promise<void> | undefined;

/** Loads the WASM module once per process; every other function here needs it. */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

export interface SqlToken {
  /** Byte offsets into the UTF-8 text. */
  start: number;
  end: number;
  text: string;
  /** libpg_query's token name: IDENT, SCONST, ICONST, FCONST, SQL_COMMENT, C_COMMENT, ASCII_40... */
  kind: string;
  /** Lower-case text for keywords and unquoted identifiers; the text otherwise. */
  word: string;
}

export class SqlSyntaxError extends Error {
  /** 1-based character position, as Postgres reports it. */
  readonly position: number | undefined;
  constructor(message: string, position: number | undefined) {
    super(message);
    this.name = 'SqlSyntaxError';
    this.position = position;
  }
}

/** A SQL text with its UTF-8 bytes, so byte offsets from the parser can be mapped back. */
export class SqlText {
  readonly text: string;
  readonly bytes: Buffer;
  constructor(text: string) {
    this.text = text;
    this.bytes = Buffer.from(text, 'utf8');
  }
  slice(start: number, end: number): string {
    return this.bytes.subarray(start, end).toString('utf8');
  }
  /** 1-based character position of a byte offset. */
  charPosition(byteOffset: number): number {
    return this.bytes.subarray(0, byteOffset).toString('utf8').length + 1;
  }
}

const COMMENT_KINDS = new Set(['SQL_COMMENT', 'C_COMMENT']);

/** Tokens of the text, comments left out. Throws SqlSyntaxError on an unterminated literal. */
export function scanSql(sql: SqlText): SqlToken[] {
  let result;
  try {
    result = scanSync(sql.text);
  } catch (error) {
    throw toSyntaxError(error, sql);
  }
  const tokens: SqlToken[] = [];
  for (const token of result.tokens) {
    if (COMMENT_KINDS.has(token.tokenName)) continue;
    const text = sql.slice(token.start, token.end);
    const isWord = token.tokenName === 'IDENT' || token.keywordKind > 0;
    tokens.push({
      start: token.start,
      end: token.end,
      text,
      kind: token.tokenName,
      word: isWord && !text.startsWith('"') ? text.toLowerCase() : text,
    });
  }
  return tokens;
}

/** A parsed statement: the raw AST node (`{ SelectStmt: {...} }`) and where it is. */
export interface ParsedStatement {
  node: AstNode;
  /** Byte range in the text. */
  start: number;
  end: number;
}

/** A node of libpg_query's JSON AST: `{ TypeName: {...} }`, lists, scalars. */
export type AstNode = Record<string, unknown>;

export function parseSql(sql: SqlText): ParsedStatement[] {
  let result;
  try {
    result = parseSync(sql.text);
  } catch (error) {
    throw toSyntaxError(error, sql);
  }
  return (result.stmts ?? []).map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : sql.bytes.length;
    return { node: (raw.stmt ?? {}) as AstNode, start, end };
  });
}

function toSyntaxError(error: unknown, sql: SqlText): SqlSyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const cursor = details?.cursorPosition;
  // libpg_query's cursor is a 0-based byte offset; Postgres reports 1-based characters.
  const position = cursor === undefined ? undefined : sql.charPosition(Math.max(0, cursor));
  return new SqlSyntaxError(message, position);
}
