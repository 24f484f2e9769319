import { ConfigError, InputDataError, type JsonMapping, type SourceDescription, type TableSpec } from '@sparkify/core';
import { AWS_REGION_PATTERN, s3UriProblem } from '@sparkify/source-s3/config';
import { quoteRedshiftIdentifier, quoteRedshiftLiteral } from '../dialect/redshift-dialect.js';

/** `arn:aws:iam::<12 digits>:role/<name>` (role names may carry a path), in any AWS partition; or Redshift's `default` role. */
export const IAM_ROLE_PATTERN = /^(default|arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512})$/;


/** Redshift's MAXERROR ceiling. */
export const MAX_MAXERROR = 100_000;

export interface CopySettings {
  /** The role Redshift assumes to read the bucket (IAM_ROLE). */
  iamRole?: string;
  /** Where the sink was configured, for ConfigErrors (`resources.warehouse.with`). */
  configPath?: string;
  /** The Data API endpoint, when not AWS's: the warehouse that will read the objects. */
  endpoint?: string;
}

export interface CopyCommandPlan {
  sql: string;
  /** Findings worth a warning in the load's result: the source's own, JSONPaths arity. */
  warnings: string[];
}

/**
 * The COPY that loads a described S3 source server-side, as redshift-reference.md §1 spells it.
 * Every value is checked (S3 URIs, the role ARN, the region, MAXERROR) and then escaped through
 * the dialect: nothing from a config or a listing is pasted into the SQL as it came.
 */
export function renderCopyCommand(table: TableSpec, description: SourceDescription, maxErrors: number, settings: CopySettings): CopyCommandPlan {
  const at = (key: string) => (settings.configPath ? { location: { configPath: `${settings.configPath}.${key}` } } : {});
  const iamRole = settings.iamRole;
  if (!iamRole) {
    throw new ConfigError(`a COPY from ${description.location} needs the IAM role Redshift reads S3 with`, {
      ...at('iamRole'),
      hint: "set the sink's iamRole to the ARN of a role attached to the cluster (arn:aws:iam::123456789012:role/dwhRole), or 'default'",
    });
  }
  if (!IAM_ROLE_PATTERN.test(iamRole)) {
    throw new ConfigError(`iamRole "${iamRole}" is not an IAM role ARN`, { ...at('iamRole'), hint: 'write it as arn:aws:iam::<12-digit account>:role/<name>, or default' });
  }
  const from = checkedS3Uri(description.location, 'the source location');
  const region = description.store['region'];
  if (region !== undefined && !AWS_REGION_PATTERN.test(region)) {
    throw new ConfigError(`the source's region "${region}" is not an AWS region`, { hint: 'set the source region to the bucket\'s region, e.g. us-west-2' });
  }
  if (!Number.isInteger(maxErrors) || maxErrors < 0 || maxErrors + 1 > MAX_MAXERROR) {
    throw new ConfigError(`maxErrors must be a whole number from 0 to ${MAX_MAXERROR - 1} for a Redshift COPY (MAXERROR ${MAX_MAXERROR} at most), not ${maxErrors}`);
  }
  const lines = [
    `COPY ${quoteRedshiftIdentifier(table.name)} (${table.columns.map((c) => quoteRedshiftIdentifier(c.name)).join(', ')})`,
    `FROM ${quoteRedshiftLiteral(from)}`,
    `IAM_ROLE ${quoteRedshiftLiteral(iamRole)}`,
    `FORMAT AS JSON ${quoteRedshiftLiteral(jsonOption(description.mapping))}`,
    `TIMEFORMAT AS ${quoteRedshiftLiteral(description.timeFormat)}`,
    ...(region ? [`REGION ${quoteRedshiftLiteral(region)}`] : []),
    // Our maxErrors is the number of bad records a load may skip; COPY fails at MAXERROR errors (§1).
    `MAXERROR ${maxErrors + 1}`,
    ...(compression(description) === 'gzip' ? ['GZIP'] : []),
  ];
  return { sql: lines.join('\n'), warnings: [...description.warnings, ...arityWarnings(table, description.mapping), ...endpointWarnings(description, settings)] };
}

function checkedS3Uri(uri: string, what: string): string {
  const problem = s3UriProblem(uri);
  if (problem) throw new ConfigError(`${what} "${uri}" cannot be loaded with COPY: ${problem}`, { hint: 'a Redshift COPY reads s3://bucket/prefix locations only' });
  return uri;
}

function jsonOption(mapping: JsonMapping): string {
  if (mapping.mode === 'jsonpaths') return checkedS3Uri(mapping.uri, 'the JSONPaths file');
  return mapping.mode;
}

/** COPY reads every object as GZIP or none (the keyword, never the extension, decides). */
function compression(description: SourceDescription): 'gzip' | 'none' {
  const gzip = description.objects.filter((o) => o.compression === 'gzip').length;
  if (gzip === 0) return 'none';
  if (gzip === description.objects.length) return 'gzip';
  const examples = description.objects.filter((o) => o.compression === 'gzip').slice(0, 3).map((o) => o.uri);
  throw new InputDataError(
    `${gzip} of ${description.objects.length} objects under ${description.location} are gzip-compressed and the others are not: one COPY reads all of them as GZIP or none (e.g. ${examples.join(', ')})`,
    {
      location: { file: description.location },
      hint: 'keep compressed and plain objects under different prefixes (or compress all of them), and load each prefix on its own',
    },
  );
}

function arityWarnings(table: TableSpec, mapping: JsonMapping): string[] {
  if (mapping.mode !== 'jsonpaths' || mapping.paths.length === table.columns.length) return [];
  return [
    `the JSONPaths file ${mapping.uri} has ${mapping.paths.length} expressions but ${table.name} has ${table.columns.length} columns: ` +
      'COPY needs one expression per column, in column order, and fails otherwise',
  ];
}

/** The source listed the objects at one S3 endpoint; the warehouse reads them from its own S3 (AWS's, or the emulator's). */
function endpointWarnings(description: SourceDescription, settings: CopySettings): string[] {
  const sourceEndpoint = description.store['endpoint'];
  if ((sourceEndpoint ?? '') === (settings.endpoint ?? '')) return [];
  const warehouse = settings.endpoint ? `the warehouse at ${settings.endpoint}` : 'Redshift';
  const listed = sourceEndpoint ? `the S3 endpoint ${sourceEndpoint}` : 'AWS S3';
  return [`the source listed ${description.location} at ${listed}, but ${warehouse} reads it from its own S3: the COPY may see other objects, or none`];
}
