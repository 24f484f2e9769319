import type { z } from 'zod';
import { ConfigError } from '../errors/pipeline-error.js';
import { joinConfigPath } from './config-path.js';

/** Turns a zod failure into one ConfigError listing every issue with its full config path. */
export function configErrorFromZod(error: z.ZodError, basePath: string, file?: string): ConfigError {
  const lines = error.issues.map((issue) => `${joinConfigPath(basePath, issuePath(issue)) || '(root)'}: ${describeIssue(issue)}`);
  const first = error.issues[0];
  const configPath = first ? joinConfigPath(basePath, issuePath(first)) : basePath;
  const where = file ? `${file}: ` : '';
  return new ConfigError(`${where}${lines.join('\n')}`, {
    location: { configPath, ...(file ? { file } : {}) },
    cause: error,
    details: lines,
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message;
}

/** An unknown key is reported at the key itself, so editors and users land on it. */
function issuePath(issue: z.core.$ZodIssue): PropertyKey[] {
  if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) return [...issue.path, issue.keys[0]!];
  return issue.path;
}
