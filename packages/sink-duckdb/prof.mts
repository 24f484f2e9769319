import path from 'node:path';
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { createFsJsonSource, sourceFsConfigSchema } from '@sparkify/source-fs';
import { planServerLoad } from './src/load/server-json-load.ts';
import { stagingEvents, stagingSongs } from '../sparkify-pipeline/src/schema/tables.ts';
import { renderDuckDbCreateTable } from './src/index.ts';
const data = process.argv[2] ?? '/tmp/g1m';
rmSync('/tmp/sx/prof.duckdb', { force: true }); rmSync('/tmp/sx/prof.duckdb.wal', { force: true });
const inst = await DuckDBInstance.create('/tmp/sx/prof.duckdb', { preserve_insertion_order: 'false', memory_limit: '1GB' });
const c = await inst.connect(); const a = await inst.connect();
let t = Date.now(); const T = (l: string) => { console.log(l.padEnd(30), Date.now() - t); t = Date.now(); };
for (const which of process.argv.slice(3)) {
  const table = which === 'songs' ? stagingSongs : stagingEvents;
  const src = which === 'songs'
    ? createFsJsonSource(sourceFsConfigSchema.parse({ path: 'song_data', format: 'auto' }), (w) => path.resolve(data, w))
    : createFsJsonSource(sourceFsConfigSchema.parse({ path: 'log_data', jsonPaths: 'log_json_path.json', timeFormat: 'epochmillisecs' }), (w) => path.resolve(data, w));
  const d = await src.describe(); T(`${which} describe`);
  const plan: any = planServerLoad(d, table, { batchBytes: 256 << 20, batchFiles: 4000 });
  await a.run(renderDuckDbCreateTable(table));
  for (const b of plan.batches) {
    const small = b.paths.filter((_: any, j: number) => b.sizes[j] <= 4 << 20);
    const big = b.paths.filter((_: any, j: number) => b.sizes[j] > 4 << 20);
    if (small.length) { await c.run(plan.sql.textCheck(small, true)); T(`text small ${small.length}`); }
    if (big.length) { await c.run(plan.sql.textCheck(big, false)); T(`text big ${big.length}`);
      await c.run(plan.sql.recordCheck({ paths: big, compression: 'none' }, 'newline_delimited')); T('record check'); }
    await c.run(plan.sql.check(b, 'newline_delimited')); T('check');
    await a.run(`INSERT INTO ${table.name} ${plan.sql.values(b, 'newline_delimited')}`); T('insert');
  }
}
