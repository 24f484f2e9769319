import type { Catalog } from '@sparkify/core';
import { sparkifyChecks } from './checks.js';
import { sparkifyTables } from './tables.js';
import { sparkifyTransforms } from './transforms.js';

/** The Sparkify warehouse: tables, transforms and checks, registered as catalog "sparkify". */
export const sparkifyCatalog: Catalog = {
  id: 'sparkify',
  description: 'Sparkify song plays: staging tables, the songplays fact, and the users, songs, artists and time dimensions',
  tables: sparkifyTables,
  transforms: sparkifyTransforms,
  checks: sparkifyChecks,
};
