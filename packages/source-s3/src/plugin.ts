// The source-s3.json plugin: its config schema, and a `create` that loads the S3 client only
// when a pipeline uses the plugin (the CLI imports this module through `@sparkify/source-s3/plugin`).
import { defineSourcePlugin } from '@sparkify/core';
import { z } from 'zod';
import { awsEndpointSchema, awsRegionSchema } from './aws/aws-config-schemas.js';
import { parseS3Uri, s3UriProblem } from './s3-uri.js';

/** A zod check that reports parseS3Uri's reason at the field. */
function s3Uri(options: { object?: boolean } = {}) {
  return z.string().superRefine((uri, context) => {
    const problem = s3UriProblem(uri);
    if (problem) {
      context.addIssue({ code: 'custom', message: `not an S3 URI: ${problem}` });
      return;
    }
    const { key } = parseS3Uri(uri);
    if (options.object && (key === '' || key.endsWith('/'))) {
      context.addIssue({ code: 'custom', message: `"${uri}" names a prefix; a JSONPaths file is a single object (s3://bucket/path/file.json)` });
    }
  });
}

export const sourceS3ConfigSchema = z
  .object({
    uri: s3Uri().describe(
      'The objects to read, as s3://bucket/prefix: every object whose key starts with the prefix is read, in every "folder" below (s3://b/log_data also matches log_data_old/… and log_data.bak; end it with "/" to read one folder only), as Redshift COPY does.',
    ),
    jsonPaths: s3Uri({ object: true })
      .optional()
      .describe("S3 URI of a JSONPaths file (a single object, not a prefix) mapping JSON elements to columns, one expression per column in column order (COPY ... FORMAT AS JSON 's3://…'). Without it, `format` applies."),
    format: z
      .enum(['auto', 'auto ignorecase'])
      .optional()
      .describe("How keys map to columns when there is no jsonPaths: 'auto' matches first-level keys to column names case-sensitively, 'auto ignorecase' ignoring case. Default 'auto'."),
    timeFormat: z
      .enum(['auto', 'epochmillisecs', 'epochsecs'])
      .default('auto')
      .describe("How TIMESTAMP columns read values (COPY TIMEFORMAT): 'epochmillisecs' or 'epochsecs' for epoch numbers, 'auto' for date-time text."),
    region: awsRegionSchema
      .default('us-west-2')
      .describe("The bucket's AWS region (also the REGION of a server-side COPY)."),
    endpoint: awsEndpointSchema
      .default('')
      .describe('An S3-compatible endpoint instead of AWS, e.g. the local Redshift emulator (http://127.0.0.1:4566); "" for AWS. With an endpoint, credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY only.'),
    forcePathStyle: z
      .boolean()
      .optional()
      .describe('Address buckets as endpoint/bucket/key instead of bucket.endpoint/key. Default: true with an endpoint, false for AWS.'),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Objects read at once.'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.jsonPaths !== undefined && config.format !== undefined) {
      context.addIssue({ code: 'custom', path: ['format'], message: 'give either jsonPaths or format, not both: a JSONPaths file replaces the auto mapping' });
    }
  });

export type SourceS3Config = z.output<typeof sourceS3ConfigSchema>;

export const sourceS3Plugin = defineSourcePlugin<SourceS3Config>({
  id: 'source-s3.json',
  kind: 'source',
  description: 'JSON objects in S3, read as Redshift COPY ... FORMAT AS JSON reads them (prefix matching, auto or JSONPaths, gzip); Redshift sinks COPY them server-side.',
  configSchema: sourceS3ConfigSchema,
  // Loaded at first use: the AWS SDK costs a tenth of a second at every start of the CLI otherwise.
  create: async (config, context) => (await import('./s3-json-source.js')).createS3JsonSource(config, { configPath: context.configPath }),
});
