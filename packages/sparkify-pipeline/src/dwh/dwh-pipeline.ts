import type { DwhConfig } from './dwh-config.js';
import { targetFromHost } from './dwh-config.js';

export type DwhJob = 'create-tables' | 'etl';

interface PipelineData {
  params: Record<string, { default?: unknown }>;
  resources: Record<string, { with: Record<string, unknown> }>;
  steps: { id: string; use: string; after?: string[] }[];
  [key: string]: unknown;
}

/**
 * The two jobs of the original scripts as pipelines/redshift.json restricted to their steps:
 * `create-tables` drops and creates every table; `etl` loads staging with COPY, then builds the
 * star schema and checks it. dwh.cfg names its three S3 locations separately, so they replace
 * the resources' URIs rather than the single `s3` param.
 */
export function dwhPipeline(template: PipelineData, config: DwhConfig, job: DwhJob): PipelineData {
  const target = targetFromHost(config.host, config.file);
  const data: PipelineData = structuredClone(template);
  const set = (name: string, value: string) => {
    data.params[name] = { ...data.params[name], default: value };
  };
  set('region', target.region);
  set('cluster', target.kind === 'cluster' ? target.clusterIdentifier : '');
  set('workgroup', target.kind === 'serverless' ? target.workgroupName : '');
  set('database', config.database);
  set('dbUser', target.kind === 'cluster' ? config.dbUser : '');
  set('iamRole', config.iamRole);
  const events = data.resources['events']!.with;
  events['uri'] = config.logData;
  events['jsonPaths'] = config.logJsonPath;
  data.resources['songs']!.with['uri'] = config.songData;
  const keep = (use: string) => (job === 'create-tables' ? use === 'warehouse.create-tables' : use !== 'warehouse.create-tables');
  const kept = new Set(data.steps.filter((s) => keep(s.use)).map((s) => s.id));
  data.steps = data.steps.filter((s) => kept.has(s.id)).map((s) => ({ ...s, after: (s.after ?? []).filter((id) => kept.has(id)) }));
  data['name'] = `sparkify-${job}`;
  return data;
}

/** What dwh.cfg holds that the Data API does not use: said once, never with the value. */
export function unusedSettingsNotice(config: DwhConfig): string | undefined {
  const unused = [config.dbPassword !== undefined ? 'DB_PASSWORD' : '', config.dbPort !== undefined ? 'DB_PORT' : ''].filter(Boolean);
  if (unused.length === 0) return undefined;
  return (
    `note: ${unused.join(' and ')} in ${config.file} ${unused.length > 1 ? 'are' : 'is'} not used: the Redshift Data API ` +
    `authenticates as DB_USER with temporary IAM credentials and needs no host, port or password`
  );
}
