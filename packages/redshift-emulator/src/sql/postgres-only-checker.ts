import { nameList, nodeType, numberField, walkAst, type AstVisit } from './ast-walk.js';
import type { AstNode, SqlText } from './sql-parser.js';
import { notSupportedByRedshift, type StatementFailure } from './statement-failure.js';

/**
 * Finds the first construct in a parsed statement that PostgreSQL accepts and Redshift does
 * not (redshift-reference.md §2), so SQL that passes the emulator also passes Redshift.
 * Works on the AST: a string literal that says `ON CONFLICT` is just a string.
 */
export function findPostgresOnlyConstruct(statement: AstNode, sql: SqlText): StatementFailure | undefined {
  let found: StatementFailure | undefined;
  walkAst(statement, (visit) => {
    if (found) return;
    const rule = RULES[visit.type];
    const problem = rule?.(visit);
    if (problem) {
      const location = problem.location ?? numberField(visit.body, 'location');
      found = notSupportedByRedshift(problem.feature, problem.hint, location === undefined ? undefined : sql.charPosition(location));
    }
  });
  return found;
}

interface Problem {
  feature: string;
  hint: string;
  location?: number;
}

type Rule = (visit: AstVisit) => Problem | undefined;

const MERGE_HINT = 'Use MERGE, or DELETE ... USING a staging table then INSERT ... SELECT, in one transaction.';
const RETURNING: Problem = {
  feature: 'RETURNING',
  hint: 'Run a SELECT after the statement (in the same transaction) to read what it changed.',
};

function returning(visit: AstVisit): Problem | undefined {
  const clause = visit.body.returningClause ?? visit.body.returningList;
  return clause ? RETURNING : undefined;
}

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);
const JSON_TYPES = new Set(['json', 'jsonb']);

/** Popular Postgres functions Redshift lacks (c_unsupported-postgresql-functions), with what to use. */
const UNSUPPORTED_FUNCTIONS: Record<string, string> = {
  nextval: 'Redshift has no sequences: use an IDENTITY column.',
  currval: 'Redshift has no sequences: use an IDENTITY column.',
  setval: 'Redshift has no sequences: use an IDENTITY column.',
  array_agg: 'Redshift has no arrays: use LISTAGG.',
  string_agg: 'Use LISTAGG(expr, delimiter) WITHIN GROUP (ORDER BY ...).',
  unnest: 'Redshift has no arrays.',
  string_to_array: 'Redshift has no arrays: use SPLIT_PART.',
  array_to_string: 'Redshift has no arrays.',
  generate_series: 'generate_series runs only on the leader node in Redshift and cannot feed tables: use a numbers table.',
  json_agg: 'Redshift has no json type: use SUPER.',
  jsonb_agg: 'Redshift has no jsonb type: use SUPER.',
  json_build_object: 'Redshift has no json type: use SUPER (OBJECT(...)).',
  jsonb_build_object: 'Redshift has no jsonb type: use SUPER (OBJECT(...)).',
  to_json: 'Redshift has no json type: use SUPER.',
  to_jsonb: 'Redshift has no jsonb type: use SUPER.',
};

const RULES: Record<string, Rule> = {
  InsertStmt: (visit) => {
    const conflict = visit.body.onConflictClause as AstNode | undefined;
    if (conflict) return { feature: 'INSERT ... ON CONFLICT', hint: MERGE_HINT, location: numberField(conflict, 'location') };
    return returning(visit);
  },
  UpdateStmt: returning,
  DeleteStmt: returning,
  MergeStmt: returning,
  SelectStmt: ({ body }) => {
    const distinct = body.distinctClause;
    // Plain DISTINCT is `[{}]`; DISTINCT ON lists its expressions.
    if (Array.isArray(distinct) && distinct.some((item) => item && Object.keys(item as object).length > 0)) {
      return { feature: 'SELECT DISTINCT ON', hint: 'Use ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) and keep row 1.' };
    }
    return undefined;
  },
  RangeSubselect: ({ body }) => {
    const subquery = nodeType((body.subquery ?? {}) as AstNode);
    if (subquery?.[0] === 'SelectStmt' && Array.isArray(subquery[1].valuesLists)) {
      return { feature: 'A VALUES list used as a table in FROM', hint: 'Load the rows into a (temporary) table, or use SELECT ... UNION ALL SELECT ....' };
    }
    return undefined;
  },
  RangeFunction: () => ({ feature: 'A function used as a table in FROM', hint: 'Redshift has no table functions on compute nodes: use a table.' }),
  CreateSeqStmt: () => ({ feature: 'CREATE SEQUENCE', hint: 'Use an IDENTITY(seed, step) column.' }),
  AlterSeqStmt: () => ({ feature: 'ALTER SEQUENCE', hint: 'Use an IDENTITY(seed, step) column.' }),
  IndexStmt: () => ({ feature: 'CREATE INDEX', hint: 'Redshift has no indexes: use SORTKEY and DISTKEY.' }),
  CreateTrigStmt: () => ({ feature: 'CREATE TRIGGER', hint: 'Run the logic as part of the load.' }),
  CreateEnumStmt: () => ({ feature: 'CREATE TYPE', hint: 'Use VARCHAR with a CHECK in your load.' }),
  CompositeTypeStmt: () => ({ feature: 'CREATE TYPE', hint: 'Use a table.' }),
  CreateDomainStmt: () => ({ feature: 'CREATE DOMAIN', hint: 'Use the base type.' }),
  CreateExtensionStmt: () => ({ feature: 'CREATE EXTENSION', hint: 'Redshift has no extensions.' }),
  CreateStmt: ({ body }) => {
    if (body.partspec || body.partbound) return { feature: 'Table partitioning', hint: 'Use a SORTKEY on the partitioning column.' };
    return undefined;
  },
  Constraint: ({ body }) => {
    if (body.contype === 'CONSTR_GENERATED') return { feature: 'GENERATED ALWAYS AS (expression) columns', hint: 'Compute the value in the INSERT or a view.' };
    if (body.contype === 'CONSTR_EXCLUSION') return { feature: 'EXCLUDE constraints', hint: 'Check the rule in SQL.' };
    return undefined;
  },
  TypeName: ({ body }) => {
    const name = nameList(body.names).pop() ?? '';
    if (Array.isArray(body.arrayBounds)) return { feature: 'Array types', hint: 'Use SUPER, or one row per element.' };
    if (SERIAL_TYPES.has(name)) return { feature: `${name.toUpperCase()} (sequence-backed) columns`, hint: 'Use BIGINT IDENTITY(seed, step).' };
    if (JSON_TYPES.has(name)) return { feature: `The ${name} type`, hint: 'Use SUPER, or VARCHAR holding JSON text.' };
    return undefined;
  },
  A_ArrayExpr: () => ({ feature: 'ARRAY[...] constructors', hint: 'Redshift has no arrays: use SUPER (ARRAY(...)) or one row per element.' }),
  SubLink: ({ body }) =>
    body.subLinkType === 'ARRAY_SUBLINK'
      ? { feature: 'ARRAY(subquery) constructors', hint: 'Redshift has no arrays: use LISTAGG.' }
      : undefined,
  RowExpr: ({ body }) =>
    body.row_format === 'COERCE_EXPLICIT_CALL'
      ? { feature: 'ROW(...) constructors', hint: 'Compare the columns one by one.' }
      : undefined,
  FuncCall: ({ body }) => {
    const name = nameList(body.funcname).pop() ?? '';
    const hint = UNSUPPORTED_FUNCTIONS[name];
    if (hint) return { feature: `The function ${name}()`, hint };
    if (body.agg_filter) return { feature: 'Aggregate FILTER (WHERE ...)', hint: 'Use CASE WHEN ... THEN ... END inside the aggregate.' };
    return undefined;
  },
  ListenStmt: () => ({ feature: 'LISTEN', hint: 'Poll a table instead.' }),
  NotifyStmt: () => ({ feature: 'NOTIFY', hint: 'Write to a table instead.' }),
};
