import { describeSourceContract } from '@sparkify/core/testing';
import { JsonObjectSource, type JsonMappingSpec } from './json-object-source.js';
import { MemoryObjectStore } from './memory-object-store.js';

// Small chunks, so every case also crosses chunk boundaries inside records.
describeSourceContract('JsonObjectSource over MemoryObjectStore', async (input) => {
  const store = new MemoryObjectStore(input.files, { scheme: 's3', bucket: 'contract', chunkSize: 97 });
  let mapping: JsonMappingSpec = { mode: 'auto' };
  if (input.mapping.mode === 'jsonpaths') {
    const paths = new MemoryObjectStore({ 'paths.json': input.mapping.content }, { scheme: 's3', bucket: 'config' });
    mapping = { mode: 'jsonpaths', store: paths, key: 'paths.json' };
  } else {
    mapping = { mode: input.mapping.mode };
  }
  const source = new JsonObjectSource({ store, prefix: input.prefix, mapping, timeFormat: input.timeFormat });
  return { source, uriOf: (key) => store.uri(key) };
});
