import { rewriteColumnTypes } from './column-type-rewriter.js';
import { rewriteDateparts } from './datepart-rewriter.js';
import { rewriteDdlAttributes } from './ddl-attribute-rewriter.js';
import { rewriteKeyConstraints } from './key-constraint-rewriter.js';
import { findPostgresOnlyConstruct } from './postgres-only-checker.js';
import { applyEdits } from './sql-edits.js';
import { parseSql, scanSql, SqlSyntaxError, SqlText, type AstNode } from './sql-parser.js';
import { StatementFailure, SYNTAX_ERROR } from './statement-failure.js';

export interface TranslatedSql {
  /** The Postgres text to run. */
  sql: string;
  /** Its AST (one statement). */
  ast: AstNode;
}

/**
 * Turns one Redshift statement into the Postgres statement that behaves the same on PGlite:
 * Redshift-only DDL attributes are rewritten before parsing (Postgres cannot parse them), key
 * constraints, column types and date parts are rewritten from the AST, and the result is
 * checked for constructs Redshift does not have. Throws StatementFailure, as the database would.
 */
export function translateRedshiftSql(redshiftSql: string): TranslatedSql {
  const original = new SqlText(redshiftSql);
  const attributesDone = new SqlText(applyEdits(original, rewriteDdlAttributes(scanOrFail(original))));
  const first = parseSingle(attributesDone);
  const tokens = scanOrFail(attributesDone);
  const edits = [
    ...rewriteKeyConstraints(first, tokens),
    ...rewriteColumnTypes(first, tokens),
    ...rewriteDateparts(first, tokens),
  ];
  const finalText = edits.length === 0 ? attributesDone : new SqlText(applyEdits(attributesDone, edits));
  const ast = edits.length === 0 ? first : parseSingle(finalText);
  const problem = findPostgresOnlyConstruct(ast, finalText);
  if (problem) throw problem;
  return { sql: finalText.text, ast };
}

function scanOrFail(sql: SqlText) {
  try {
    return scanSql(sql);
  } catch (error) {
    throw syntaxFailure(error);
  }
}

/** The Data API runs each statement as a prepared statement: one statement per call. */
export function parseSingle(sql: SqlText): AstNode {
  let statements;
  try {
    statements = parseSql(sql);
  } catch (error) {
    throw syntaxFailure(error);
  }
  if (statements.length > 1) {
    throw new StatementFailure('cannot insert multiple commands into a prepared statement', { code: SYNTAX_ERROR });
  }
  const statement = statements[0];
  if (!statement) throw new StatementFailure('empty query: the Sql has no statement', { code: SYNTAX_ERROR });
  return statement.node;
}

function syntaxFailure(error: unknown): StatementFailure {
  if (error instanceof SqlSyntaxError) {
    return new StatementFailure(error.message, {
      code: SYNTAX_ERROR,
      ...(error.position === undefined ? {} : { position: error.position }),
      cause: error,
    });
  }
  return new StatementFailure(error instanceof Error ? error.message : String(error), { code: SYNTAX_ERROR, cause: error });
}
