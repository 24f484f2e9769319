// The public surface of @sparkify/sparkify-pipeline.
export { sparkifyCatalog } from './schema/catalog.js';
export {
  stagingEvents,
  stagingSongs,
  songplays,
  users,
  songs,
  artists,
  time,
  stagingTables,
  starTables,
  sparkifyTables,
} from './schema/tables.js';
export { sparkifyTransforms } from './schema/transforms.js';
export { sparkifyChecks } from './schema/checks.js';
export {
  generateDataset,
  DEFAULT_EVENTS,
  DEFAULT_SONGS,
  DEFAULT_SEED,
  DEFAULT_DAYS,
  DEFAULT_START_DATE,
  DEFAULT_MATCH_RATE,
} from './generator/generate-dataset.js';
export { createRootContainer, registryOf } from './cli/composition-root.js';
