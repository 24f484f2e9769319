import { readFile } from 'node:fs/promises';
import { ConfigError } from '@sparkify/core';

/**
 * The original project's dwh.cfg: an INI file with sections CLUSTER (HOST, DB_NAME, DB_USER,
 * DB_PASSWORD, DB_PORT), IAM_ROLE (ARN) and S3 (LOG_DATA, LOG_JSONPATH, SONG_DATA). Values may be
 * quoted or not, as Python's configparser users wrote them.
 */
export interface DwhConfig {
  file: string;
  host: string;
  database: string;
  dbUser: string;
  /** Read so it can be redacted; the Data API never uses it. */
  dbPassword: string | undefined;
  dbPort: string | undefined;
  iamRole: string;
  logData: string;
  logJsonPath: string;
  songData: string;
}

type Sections = Map<string, Map<string, { value: string; line: number }>>;

export function parseIni(text: string, file: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, { value: string; line: number }> | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!.trim().toUpperCase(), current);
      return;
    }
    const eq = line.search(/[=:]/);
    if (eq <= 0 || !current) {
      throw new ConfigError(`${file}:${index + 1}: expected "KEY = value" inside a [SECTION], got "${line}"`, {
        location: { file, line: index + 1 },
      });
    }
    current.set(line.slice(0, eq).trim().toUpperCase(), { value: unquote(line.slice(eq + 1).trim()), line: index + 1 });
  });
  return sections;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}

export async function readDwhConfig(file: string): Promise<DwhConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      location: { file },
      hint: 'copy dwh.cfg.example to dwh.cfg and fill it in, or pass --config PATH',
      cause: error,
    });
  }
  return dwhConfigFrom(parseIni(text, file), file);
}

export function dwhConfigFrom(sections: Sections, file: string): DwhConfig {
  const get = (section: string, key: string, required = true): string | undefined => {
    const value = sections.get(section)?.get(key)?.value;
    if ((value === undefined || value === '') && required) {
      throw new ConfigError(`${file}: [${section}] ${key} is missing`, {
        location: { file, configPath: `${section}.${key}` },
        hint: 'see dwh.cfg.example for every key',
      });
    }
    return value === '' ? undefined : value;
  };
  return {
    file,
    host: get('CLUSTER', 'HOST')!,
    database: get('CLUSTER', 'DB_NAME')!,
    dbUser: get('CLUSTER', 'DB_USER')!,
    dbPassword: get('CLUSTER', 'DB_PASSWORD', false),
    dbPort: get('CLUSTER', 'DB_PORT', false),
    iamRole: get('IAM_ROLE', 'ARN')!,
    logData: get('S3', 'LOG_DATA')!,
    logJsonPath: get('S3', 'LOG_JSONPATH')!,
    songData: get('S3', 'SONG_DATA')!,
  };
}

export type RedshiftTarget =
  | { kind: 'cluster'; clusterIdentifier: string; region: string }
  | { kind: 'serverless'; workgroupName: string; region: string };

/**
 * The Data API addresses a cluster by identifier and region, not by host: both are in the
 * endpoint host, `<cluster>.<hash>.<region>.redshift.amazonaws.com` (provisioned) or
 * `<workgroup>.<account>.<region>.redshift-serverless.amazonaws.com` (serverless).
 */
export function targetFromHost(host: string, file: string): RedshiftTarget {
  const bare = host.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '').toLowerCase();
  const provisioned = /^([a-z][a-z0-9-]*)\.[a-z0-9]+\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.redshift\.amazonaws\.com(?:\.cn)?$/.exec(bare);
  if (provisioned) return { kind: 'cluster', clusterIdentifier: provisioned[1]!, region: provisioned[2]! };
  const serverless = /^([a-z][a-z0-9-]*)\.\d{12}\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.redshift-serverless\.amazonaws\.com(?:\.cn)?$/.exec(bare);
  if (serverless) return { kind: 'serverless', workgroupName: serverless[1]!, region: serverless[2]! };
  throw new ConfigError(`${file}: [CLUSTER] HOST "${host}" is not a Redshift endpoint host`, {
    location: { file, configPath: 'CLUSTER.HOST' },
    hint: 'expected <cluster>.<id>.<region>.redshift.amazonaws.com or <workgroup>.<account>.<region>.redshift-serverless.amazonaws.com',
  });
}

/** A URI's parent "folder": s3://b/x/log_data → s3://b/x. */
export function s3Parent(uri: string): string {
  return uri.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
}
