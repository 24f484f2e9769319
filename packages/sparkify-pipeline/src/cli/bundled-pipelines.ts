import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pipelines shipped in the repository's `pipelines/` folder. */
export const PIPELINES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../pipelines');
export const REDSHIFT_PIPELINE = resolve(PIPELINES_DIR, 'redshift.json');
