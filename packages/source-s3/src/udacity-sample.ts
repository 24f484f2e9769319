import path from 'node:path';
import { MemoryObjectStore, type ObjectStore } from '@sparkify/redshift-json';

/** The real sample, read in place (never copied into the repository): `../shared/data/udacity-sample` from the repository root. */
export const UDACITY_SAMPLE = path.resolve(process.cwd(), '../shared/data/udacity-sample');

/** Rows the sample holds: one per log event, one per song object. */
export const UDACITY_SAMPLE_ROWS = { stagingEvents: 8056, stagingSongs: 71 } as const;

// The staging tables exactly as the Sparkify pipeline declares them: imported, not copied, so
// these tests follow the pipeline's schema (test helpers only; the plugin knows no Sparkify).
export { stagingEvents as stagingEventsTable, stagingSongs as stagingSongsTable } from '../../sparkify-pipeline/src/schema/tables.js';

/** Every object of a store, copied into a MemoryObjectStore standing in for an S3 bucket (tests; small data only). */
export async function memoryBucket(bucket: string, from: ObjectStore): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore({}, { scheme: 's3', bucket });
  for await (const info of from.list('')) {
    const parts: Uint8Array[] = [];
    for await (const chunk of await from.open(info.key)) parts.push(chunk);
    store.put(info.key, Buffer.concat(parts));
  }
  return store;
}
