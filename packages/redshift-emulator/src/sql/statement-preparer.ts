import { isCopyCommand, parseCopyCommand, type CopyCommand } from '../copy/copy-command-parser.js';
import { nameList, walkAst } from './ast-walk.js';
import { onlyAddsKeyConstraints } from './key-constraint-rewriter.js';
import { translateRedshiftSql } from './redshift-translator.js';
import { scanSql, SqlText, type AstNode, type SqlToken } from './sql-parser.js';
import { notSupportedByRedshift, StatementFailure } from './statement-failure.js';

export type TransactionAction = 'begin' | 'commit' | 'rollback';

/** What the engine does with one statement. */
export type PreparedStatement =
  | { kind: 'sql'; sql: string; effects: StatementEffects }
  | { kind: 'transaction'; action: TransactionAction; sql: string }
  | { kind: 'copy'; command: CopyCommand }
  /** Accepted and ignored: VACUUM, ANALYZE, Redshift-only SET, ALTER TABLE ... ADD PRIMARY KEY. */
  | { kind: 'noop'; command: string; refusedInTransaction: boolean };

export interface StatementEffects {
  /** The AST node type (`SelectStmt`, `InsertStmt`...). */
  statementType: string;
  /** TRUNCATE commits the open transaction in Redshift (redshift-reference.md §2). */
  commitsTransaction: boolean;
  /** Temporary tables the statement creates (dropped when its session ends). */
  createsTempTables: string[];
  /** Calls pg_last_copy_count(), which reads the session's last COPY. */
  readsLastCopyCount: boolean;
}

/** Redshift settings Postgres does not know; SET/RESET of them is accepted and ignored. */
const REDSHIFT_ONLY_SETTINGS = new Set([
  'query_group', 'wlm_query_slot_count', 'enable_result_cache_for_session', 'analyze_threshold_percent',
  'enable_case_sensitive_identifier', 'json_serialization_enable', 'json_parse_truncate_strings',
  'describe_field_name_in_uppercase', 'error_on_nondeterministic_update', 'mv_enable_aqmv_for_session',
  'spectrum_query_maxerror', 'downcase_delimited_identifier', 'auto_analyze', 'enable_vacuum_boost',
  'use_fips_ssl', 'datashare_break_glass_session_var', 'default_geometry_encoding',
]);

/** ALTER TABLE forms that only change physical layout. */
const LAYOUT_ALTERS = new Set(['diststyle', 'distkey', 'sortkey', 'compound', 'interleaved', 'encode']);

/**
 * Decides how one Redshift statement (parameters already bound) runs on the emulator, or throws
 * the StatementFailure Redshift would report.
 */
export function prepareStatement(sql: string): PreparedStatement {
  if (isCopyCommand(sql)) return { kind: 'copy', command: parseCopyCommand(sql) };
  const noop = redshiftOnlyNoop(sql);
  if (noop) return noop;
  const translated = translateRedshiftSql(sql);
  const transaction = transactionAction(translated.ast);
  if (transaction) return { kind: 'transaction', action: transaction, sql: translated.sql };
  if (onlyAddsKeyConstraints(translated.ast)) return { kind: 'noop', command: 'ALTER TABLE', refusedInTransaction: false };
  return { kind: 'sql', sql: translated.sql, effects: effectsOf(translated.ast) };
}

function redshiftOnlyNoop(sql: string): PreparedStatement | undefined {
  let tokens: SqlToken[];
  try {
    tokens = scanSql(new SqlText(sql));
  } catch {
    return undefined; // the translator reports the syntax error
  }
  const words = tokens.slice(0, 6).map((t) => t.word);
  const [first, second] = words;
  if (first === 'vacuum') return { kind: 'noop', command: 'VACUUM', refusedInTransaction: true };
  if (first === 'analyze') return { kind: 'noop', command: 'ANALYZE', refusedInTransaction: false };
  if (first === 'unload') {
    throw new StatementFailure('UNLOAD is not supported by the Redshift emulator: query the rows with SELECT instead', { code: '0A000' });
  }
  if ((first === 'set' || first === 'reset') && second !== undefined) {
    const setting = second === 'session' || second === 'local' ? words[2] : second;
    if (setting && REDSHIFT_ONLY_SETTINGS.has(setting)) return { kind: 'noop', command: first.toUpperCase(), refusedInTransaction: false };
  }
  if (first === 'alter' && second === 'table') {
    const alterAt = words.indexOf('alter', 2);
    const target = alterAt > 0 ? words[alterAt + 1] : undefined;
    if (target && LAYOUT_ALTERS.has(target)) return { kind: 'noop', command: 'ALTER TABLE', refusedInTransaction: false };
    const column = tokens.findIndex((t, i) => i > 2 && t.word === 'encode');
    if (alterAt > 0 && words[alterAt + 1] === 'column' && column > 0) return { kind: 'noop', command: 'ALTER TABLE', refusedInTransaction: false };
  }
  return undefined;
}

const TRANSACTION_KINDS: Record<string, TransactionAction> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
};

function transactionAction(ast: AstNode): TransactionAction | undefined {
  const statement = (ast as { TransactionStmt?: { kind?: string } }).TransactionStmt;
  if (!statement) return undefined;
  const action = TRANSACTION_KINDS[statement.kind ?? ''];
  if (!action) throw notSupportedByRedshift('SAVEPOINT and two-phase commit', 'Use BEGIN ... END / ROLLBACK around the whole unit of work.');
  return action;
}

function effectsOf(ast: AstNode): StatementEffects {
  const effects: StatementEffects = {
    statementType: Object.keys(ast)[0] ?? '',
    commitsTransaction: 'TruncateStmt' in ast,
    createsTempTables: [],
    readsLastCopyCount: false,
  };
  walkAst(ast, ({ type, body }) => {
    if (type === 'RangeVar' && body.relpersistence === 't' && typeof body.relname === 'string') {
      effects.createsTempTables.push(body.relname);
    }
    if (type === 'FuncCall' && nameList(body.funcname).pop() === 'pg_last_copy_count') effects.readsLastCopyCount = true;
  });
  return effects;
}
