// Regenerates the committed default sample, data/sample/ (run from the repository root):
//   pnpm exec tsx packages/sparkify-pipeline/src/generator/write-sample.ts
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_DAYS,
  DEFAULT_EVENTS,
  DEFAULT_MATCH_RATE,
  DEFAULT_SEED,
  DEFAULT_SONGS,
  DEFAULT_START_DATE,
  generateDataset,
} from './generate-dataset.js';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../data/sample');

const result = await generateDataset({
  out,
  events: DEFAULT_EVENTS,
  songs: DEFAULT_SONGS,
  seed: DEFAULT_SEED,
  days: DEFAULT_DAYS,
  startDate: DEFAULT_START_DATE,
  overwrite: true,
});

const readme = `# Default sample data

Generated, not collected: \`pnpm exec tsx packages/sparkify-pipeline/src/generator/write-sample.ts\`
(the same as \`generateDataset({ events: ${DEFAULT_EVENTS}, songs: ${DEFAULT_SONGS}, seed: ${DEFAULT_SEED}, days: ${DEFAULT_DAYS}, startDate: '${DEFAULT_START_DATE}' })\`);
the same command always writes the same bytes. Do not edit these files by hand.

- \`song_data/A/B/C/TR….json\`: ${result.songFiles} song files, one song object each (Million Song Dataset keys).
- \`log_data/YYYY/MM/YYYY-MM-DD-events.json\`: ${result.events} events in ${result.logFiles} daily NDJSON files, ts order.
- \`log_json_path.json\`: the JSONPaths file for the logs, as in the original data set.

It exercises the pipeline's rules: about ${Math.round(DEFAULT_MATCH_RATE * 100)}% of NextSong events match a song by
title, artist and duration (the rest include near misses: same title and artist with another
duration, another artist, other letter case, double-encoded accents); logged-out events with an
empty userId; users whose level changes (Submit Upgrade / Submit Downgrade); song ids repeated
in two files with different values; songs sharing title, artist and duration under two ids;
artists with several songs, some with differing locations; artists without coordinates; events
sharing a ts. See packages/sparkify-pipeline/src/generator/ for the exact rules and rates.
`;
await writeFile(join(out, 'README.md'), readme);
console.log(`wrote ${result.events} events, ${result.songFiles} song files, ${result.bytes} bytes to ${out}`);
