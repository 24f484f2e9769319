import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeSourceContract } from '@sparkify/core/testing';
import { createFsJsonSource, sourceFsConfigSchema } from './plugin.js';
import { writeFiles } from './write-files.js';

describeSourceContract('source-fs.json on a temporary folder', async (input) => {
  const root = await mkdtemp(path.join(tmpdir(), 'source-fs-contract-'));
  const data = path.join(root, 'root');
  await writeFiles(data, input.files);
  let jsonPaths: string | undefined;
  if (input.mapping.mode === 'jsonpaths') {
    jsonPaths = path.join(root, 'paths.json');
    await writeFile(jsonPaths, input.mapping.content);
  }
  const config = sourceFsConfigSchema.parse({
    path: `root/${input.prefix}`,
    ...(jsonPaths ? { jsonPaths } : { format: input.mapping.mode }),
    timeFormat: input.timeFormat,
  });
  return {
    source: createFsJsonSource(config, (written) => path.resolve(root, written)),
    uriOf: (key) => pathToFileURL(path.join(data, ...key.split('/'))).href,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
});
