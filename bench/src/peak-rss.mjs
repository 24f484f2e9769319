// Preloaded into every measured process (`node --import …/peak-rss.mjs`): at exit it writes the
// process's peak resident set size, in bytes, to the file BENCH_RSS_FILE names.
import { writeFileSync } from 'node:fs';

const file = process.env['BENCH_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
