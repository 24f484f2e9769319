import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { starTables } from '../src/schema/tables.js';
import { queryPipeline, REPO_ROOT, removeDir, runPipelineFile, tempDir, UDACITY_SAMPLE } from '../src/testing.js';

// pipelines/local-export.json: the local pipeline composed with the export.csv plugin, end to end.
const PIPELINE = join(REPO_ROOT, 'pipelines/local-export.json');
const STAR_SCHEMA = starTables.map((t) => t.name);

let dir: string;
beforeAll(async () => {
  dir = await tempDir('sparkify-export-');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('pipelines/local-export.json on the Udacity sample', () => {
  const params = () => ({ data: UDACITY_SAMPLE, warehouse: join(dir, 'warehouse.duckdb'), out: join(dir, 'csv') });
  const count = async (from: string) => Number((await queryPipeline(PIPELINE, params(), `SELECT COUNT(*) AS n FROM ${from}`))[0]!['n']);
  const csv = (table: string) => `read_csv('${join(dir, 'csv', `${table}.csv`)}', header = true, allow_quoted_nulls = false)`;

  beforeAll(async () => {
    const run = await runPipelineFile(PIPELINE, params());
    expect(run.error).toBeUndefined();
  });

  it('writes one CSV file per star-schema table and nothing else', async () => {
    expect((await readdir(join(dir, 'csv'))).sort()).toEqual(STAR_SCHEMA.map((t) => `${t}.csv`).sort());
  });

  it.each(STAR_SCHEMA)('%s.csv starts with the column names and holds every row of the table, the same rows', async (table) => {
    const columns = starTables.find((t) => t.name === table)!.columns.map((c) => c.name);
    const text = await readFile(join(dir, 'csv', `${table}.csv`), 'utf8');
    expect(text.slice(0, text.indexOf('\r\n'))).toBe(columns.join(','));
    const rows = await count(`"${table}"`);
    expect(rows).toBeGreaterThan(0);
    expect(await count(csv(table))).toBe(rows);
    // Read back by DuckDB's CSV reader, the file is the table: no row lost, changed or added.
    expect(await count(`(SELECT * FROM "${table}" EXCEPT ALL SELECT * FROM ${csv(table)}) AS missing`)).toBe(0);
    expect(await count(`(SELECT * FROM ${csv(table)} EXCEPT ALL SELECT * FROM "${table}") AS extra`)).toBe(0);
  });

  it('reports the rows of each file as a step.statement event of the export step', async () => {
    const run = await runPipelineFile(PIPELINE, params());
    expect(run.error).toBeUndefined();
    const reported = run.events.flatMap((e) => (e.type === 'step.statement' && e.step === 'export_csv' ? [[e.label, e.rowsAffected]] : []));
    const expected = await Promise.all(STAR_SCHEMA.map(async (t) => [`export ${t} to ${join(dir, 'csv', `${t}.csv`)}`, await count(`"${t}"`)]));
    expect(reported).toEqual(expected);
  });
});
