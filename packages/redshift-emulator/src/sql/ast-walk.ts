import type { AstNode } from './sql-parser.js';

/** One typed node met during a walk: `{ TypeName: body }` gives type 'TypeName'. */
export interface AstVisit {
  type: string;
  body: AstNode;
  /** The typed nodes above this one, nearest last. */
  ancestors: readonly { type: string; body: AstNode }[];
}

/**
 * Fields whose value is a node written without its type wrapper
 * (`ColumnDef.typeName: {names: ...}` rather than `{TypeName: {...}}`).
 */
const IMPLIED_TYPES: Record<string, string> = {
  typeName: 'TypeName',
  relation: 'RangeVar',
  rel: 'RangeVar',
  pktable: 'RangeVar',
  into: 'IntoClause',
};

/**
 * Visits every typed node of a libpg_query JSON AST, depth first. A typed node is an object
 * with a single key starting with an upper-case letter whose value is an object, or the value
 * of a field listed in IMPLIED_TYPES.
 */
export function walkAst(root: unknown, visit: (node: AstVisit) => void): void {
  const ancestors: { type: string; body: AstNode }[] = [];
  const walk = (value: unknown, impliedType?: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as AstNode;
    if (impliedType !== undefined) {
      visit({ type: impliedType, body: record, ancestors });
      ancestors.push({ type: impliedType, body: record });
      for (const [key, child] of Object.entries(record)) walk(child, IMPLIED_TYPES[key]);
      ancestors.pop();
      return;
    }
    const keys = Object.keys(record);
    const only = keys.length === 1 ? keys[0] : undefined;
    const inner = only === undefined ? undefined : record[only];
    if (only !== undefined && /^[A-Z]/.test(only) && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const body = inner as AstNode;
      visit({ type: only, body, ancestors });
      ancestors.push({ type: only, body });
      for (const [key, child] of Object.entries(body)) walk(child, IMPLIED_TYPES[key]);
      ancestors.pop();
      return;
    }
    for (const [key, child] of Object.entries(record)) walk(child, IMPLIED_TYPES[key]);
  };
  walk(root);
}

/** The single typed node's type and body (`{ SelectStmt: {...} }` → ['SelectStmt', {...}]). */
export function nodeType(node: AstNode): [string, AstNode] | undefined {
  const keys = Object.keys(node);
  const only = keys[0];
  if (keys.length !== 1 || only === undefined) return undefined;
  const body = node[only];
  return body !== null && typeof body === 'object' ? [only, body as AstNode] : undefined;
}

/** Names in a `names`/`funcname` list: [{String:{sval:'pg_catalog'}},{String:{sval:'int4'}}] → ['pg_catalog','int4']. */
export function nameList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const item of value) {
    const sval = (item as { String?: { sval?: unknown } }).String?.sval;
    if (typeof sval === 'string') names.push(sval);
  }
  return names;
}

export function numberField(body: AstNode, key: string): number | undefined {
  const value = body[key];
  return typeof value === 'number' ? value : undefined;
}
