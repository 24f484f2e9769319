import { nameList, numberField, walkAst } from './ast-walk.js';
import type { AstNode, SqlToken } from './sql-parser.js';
import { tokenAt, type SqlEdit } from './sql-edits.js';

/**
 * Column types whose meaning differs: in Redshift `VARCHAR` without a length and `TEXT` are
 * VARCHAR(256) and `BPCHAR` is CHAR(256); in Postgres they are unbounded. Rewritten in column
 * definitions (CREATE TABLE, ALTER TABLE ADD COLUMN) so over-long values fail as they would.
 */
export function rewriteColumnTypes(statement: AstNode, tokens: readonly SqlToken[]): SqlEdit[] {
  const edits: SqlEdit[] = [];
  walkAst(statement, ({ type, body }) => {
    if (type !== 'ColumnDef') return;
    const typeName = (body.typeName ?? undefined) as AstNode | undefined;
    if (!typeName || Array.isArray(typeName.arrayBounds)) return;
    const names = nameList(typeName.names);
    const last = names[names.length - 1];
    const location = numberField(typeName, 'location');
    if (location === undefined || typeName.typmods !== undefined) return;
    const first = tokenAt(tokens, location);
    const token = tokens[first];
    if (!token) return;
    if (last === 'text' && names.length === 1) {
      edits.push({ start: token.start, end: token.end, replacement: 'VARCHAR(256)' });
    } else if (last === 'bpchar' && token.word === 'bpchar') {
      edits.push({ start: token.start, end: token.end, replacement: 'CHAR(256)' });
    } else if (last === 'varchar') {
      // `varchar` or `character varying`: add the length after the type's last word.
      const end = token.word === 'character' || token.word === 'char' ? tokens[first + 1] : token;
      if (end) edits.push({ start: end.end, end: end.end, replacement: '(256)' });
    }
  });
  return edits;
}
