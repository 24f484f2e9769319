import { nameList, nodeType, numberField } from './ast-walk.js';
import type { AstNode, SqlToken } from './sql-parser.js';
import { matchingParen, tokenAt, type SqlEdit } from './sql-edits.js';

/**
 * Redshift accepts PRIMARY KEY, UNIQUE and FOREIGN KEY but does not enforce them
 * (redshift-reference.md §2): duplicates load. Postgres would enforce them, hiding duplicate
 * bugs, so CREATE TABLE keeps only what Redshift does enforce: a primary key's columns become
 * NOT NULL, UNIQUE and FOREIGN KEY / REFERENCES are dropped.
 */
export function rewriteKeyConstraints(statement: AstNode, tokens: readonly SqlToken[]): SqlEdit[] {
  const create = (statement as { CreateStmt?: { tableElts?: unknown[] } }).CreateStmt;
  if (!create?.tableElts) return [];
  const edits: SqlEdit[] = [];
  for (const element of create.tableElts) {
    const typed = nodeType(element as AstNode);
    if (!typed) continue;
    const [type, body] = typed;
    if (type === 'ColumnDef') edits.push(...columnConstraintEdits(body, tokens));
    if (type === 'Constraint') {
      const edit = tableConstraintEdit(body, tokens);
      if (edit) edits.push(edit);
    }
  }
  return edits;
}

/** True when an ALTER TABLE only adds key constraints, which Redshift records and never checks. */
export function onlyAddsKeyConstraints(statement: AstNode): boolean {
  const alter = (statement as { AlterTableStmt?: { cmds?: unknown[] } }).AlterTableStmt;
  if (!alter?.cmds?.length) return false;
  return alter.cmds.every((cmd) => {
    const body = (cmd as { AlterTableCmd?: { subtype?: string; def?: { Constraint?: { contype?: string } } } }).AlterTableCmd;
    return body?.subtype === 'AT_AddConstraint' && KEY_TYPES.has(body.def?.Constraint?.contype ?? '');
  });
}

const KEY_TYPES = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN']);

function columnConstraintEdits(column: AstNode, tokens: readonly SqlToken[]): SqlEdit[] {
  const constraints = Array.isArray(column.constraints) ? column.constraints : [];
  const edits: SqlEdit[] = [];
  for (const item of constraints) {
    const constraint = (item as { Constraint?: AstNode }).Constraint;
    const contype = constraint?.contype;
    if (!constraint || typeof contype !== 'string' || !KEY_TYPES.has(contype)) continue;
    const extent = constraintExtent(tokens, numberField(constraint, 'location'));
    if (!extent) continue;
    edits.push({ start: extent.start, end: extent.end, replacement: contype === 'CONSTR_PRIMARY' ? ' NOT NULL ' : ' ' });
  }
  return edits;
}

function tableConstraintEdit(constraint: AstNode, tokens: readonly SqlToken[]): SqlEdit | undefined {
  const contype = constraint.contype;
  if (typeof contype !== 'string' || !KEY_TYPES.has(contype)) return undefined;
  const extent = constraintExtent(tokens, numberField(constraint, 'location'));
  if (!extent) return undefined;
  if (contype === 'CONSTR_PRIMARY') {
    const keys = nameList(constraint.keys).map(quoteName);
    return { start: extent.start, end: extent.end, replacement: keys.map((k) => `NOT NULL ${k}`).join(', ') };
  }
  // Drop the element with one of its separating commas.
  const first = tokenAt(tokens, extent.start);
  const before = tokens[first - 1];
  if (before?.text === ',') return { start: before.start, end: extent.end, replacement: ' ' };
  const after = tokens[tokenAt(tokens, extent.end)];
  if (after?.text === ',') return { start: extent.start, end: after.end, replacement: ' ' };
  return { start: extent.start, end: extent.end, replacement: ' ' };
}

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * The byte range of a key constraint starting at `location`, following the grammar of
 * [CONSTRAINT name] PRIMARY KEY | UNIQUE | FOREIGN KEY (...) | REFERENCES ..., with its options.
 */
function constraintExtent(tokens: readonly SqlToken[], location: number | undefined): { start: number; end: number } | undefined {
  if (location === undefined) return undefined;
  const first = tokenAt(tokens, location);
  let i = first;
  const word = (at: number): string | undefined => tokens[at]?.word;
  const skipParens = (): void => {
    if (tokens[i]?.text === '(') {
      const close = matchingParen(tokens, i);
      i = close < 0 ? tokens.length : close + 1;
    }
  };
  if (word(i) === 'constraint') i += 2;
  if (word(i) === 'primary' && word(i + 1) === 'key') {
    i += 2;
    skipParens();
  } else if (word(i) === 'unique') {
    i += 1;
    if (word(i) === 'nulls') i += word(i + 1) === 'not' ? 3 : 2;
    skipParens();
  } else if (word(i) === 'foreign' && word(i + 1) === 'key') {
    i += 2;
    skipParens();
  }
  if (word(i) === 'references') {
    i += 2;
    while (tokens[i]?.text === '.') i += 2;
    skipParens();
  }
  i = skipConstraintOptions(tokens, i);
  const last = tokens[i - 1];
  if (i <= first || !last) return undefined;
  return { start: tokens[first]!.start, end: last.end };
}

const REFERENTIAL_ACTIONS: Record<string, number> = { cascade: 1, restrict: 1, no: 2, set: 2 };

function skipConstraintOptions(tokens: readonly SqlToken[], start: number): number {
  let i = start;
  const word = (at: number): string | undefined => tokens[at]?.word;
  for (;;) {
    const current = word(i);
    if (current === 'match') i += 2;
    else if (current === 'on' && (word(i + 1) === 'delete' || word(i + 1) === 'update')) {
      i += 2 + (REFERENTIAL_ACTIONS[word(i + 2) ?? ''] ?? 1);
      if (tokens[i]?.text === '(') i = matchingParen(tokens, i) + 1;
    } else if (current === 'deferrable' || current === 'enforced') i += 1;
    else if (current === 'initially') i += 2;
    else if (current === 'not' && ['deferrable', 'enforced', 'valid'].includes(word(i + 1) ?? '')) i += 2;
    else if (current === 'include' || current === 'with') {
      i += 1;
      if (tokens[i]?.text === '(') i = matchingParen(tokens, i) + 1;
    } else if (current === 'using' && word(i + 1) === 'index' && word(i + 2) === 'tablespace') i += 4;
    else return i;
  }
}
