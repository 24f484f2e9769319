import { describeSourceContract } from '@sparkify/core/testing';
import { MemoryObjectStore } from '@sparkify/redshift-json';
import { MemoryS3Port } from './memory-s3-port.js';
import { sourceS3ConfigSchema } from './plugin.js';
import { createS3JsonSource } from './s3-json-source.js';

// S3ObjectStore over an in-memory S3 (no server): two keys per listing page, so every case
// also crosses ListObjectsV2 pages.
describeSourceContract('source-s3.json over an in-memory S3', async (input) => {
  const data = new MemoryObjectStore(input.files, { scheme: 's3', bucket: 'contract-data', chunkSize: 97 });
  const config = new MemoryObjectStore(input.mapping.mode === 'jsonpaths' ? { 'paths/events.json': input.mapping.content } : {}, { scheme: 's3', bucket: 'contract-config' });
  const client = new MemoryS3Port({ 'contract-data': data, 'contract-config': config });
  const source = createS3JsonSource(
    sourceS3ConfigSchema.parse({
      uri: `s3://contract-data/${input.prefix}`,
      ...(input.mapping.mode === 'jsonpaths' ? { jsonPaths: 's3://contract-config/paths/events.json' } : { format: input.mapping.mode }),
      timeFormat: input.timeFormat,
    }),
    { client, pageSize: 2 },
  );
  return { source, uriOf: (key) => `s3://contract-data/${key}` };
});
