import { describeLocation, toPipelineError } from '@sparkify/core';

/** One paragraph a person can act on: what, where, what to do, and the exit code's meaning. */
export function formatError(caught: unknown): string {
  const error = toPipelineError(caught);
  const lines = [`error (${error.kind}): ${error.message}`];
  const where = describeLocation(error.location);
  const alreadySaid = error.location.file ? error.message.includes(error.location.file) : error.message.includes(where);
  if (where && !alreadySaid) lines.push(`  where: ${where}`);
  if (error.location.sql) lines.push(`  sql: ${excerpt(error.location.sql)}`);
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  if (error.kind === 'internal' && error.cause instanceof Error && error.cause.stack && process.env['SPARKIFY_DEBUG']) {
    lines.push(error.cause.stack);
  } else if (error.kind === 'internal') {
    lines.push('  this is a bug in sparkify: set SPARKIFY_DEBUG=1 for a stack trace and report it');
  }
  return lines.join('\n');
}

function excerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
