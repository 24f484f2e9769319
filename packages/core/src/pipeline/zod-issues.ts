import type { z } from 'zod';
import { ConfigError } from '../errors/pipeline-error.js';
import { joinConfigPath } from './config-path.js';

/** Turns a zod failure into one ConfigError listing every issue with its full config path. */
export function configErrorFromZod(error: z.ZodError, basePath: string, file?: string): ConfigError {
  const lines = error.issues.map((issue) => `${joinConfigPath(basePath, issue.path) || '(root)'}: ${describeIssue(issue)}`);
  const first = error.issues[0];
  const configPath = first ? joinConfigPath(basePath, first.path) : basePath;
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
