import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createRootContainer } from '../src/cli/composition-root.js';
import { pipelineSchemaText } from '../src/cli/verbs/schema-verb.js';
import { REPO_ROOT } from '../src/testing.js';

const SCHEMA_FILE = join(REPO_ROOT, 'schema/pipeline.schema.json');
const PIPELINES = join(REPO_ROOT, 'pipelines');

async function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addKeyword('markdownEnumDescriptions');
  return ajv.compile(JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as object);
}

describe('schema/pipeline.schema.json', () => {
  it('is current: regenerate it with `pnpm sparkify schema --out schema/pipeline.schema.json`', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(pipelineSchemaText(createRootContainer({})));
  });

  it('accepts every pipeline in pipelines/, each of which points at it', async () => {
    const validate = await validator();
    const files = (await readdir(PIPELINES)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const pipeline = JSON.parse(await readFile(join(PIPELINES, file), 'utf8')) as Record<string, unknown>;
      expect(pipeline['$schema']).toBe('../schema/pipeline.schema.json');
      expect({ file, valid: validate(pipeline), errors: validate.errors }).toEqual({ file, valid: true, errors: null });
    }
  });

  it.each([
    ['an unknown plugin', (p: any) => (p.steps[0].use = 'warehouse.create-table')],
    ['a misspelt key in a plugin config', (p: any) => (p.resources.events.with.jsonPath = 'x')],
    ['a wrong type in a plugin config', (p: any) => (p.steps[1].with.maxErrors = 'many')],
    ['a top-level typo', (p: any) => (p.stpes = [])],
  ])('rejects a pipeline with %s', async (_name, breakIt) => {
    const validate = await validator();
    const pipeline = JSON.parse(await readFile(join(PIPELINES, 'local.json'), 'utf8')) as Record<string, unknown>;
    breakIt(pipeline);
    expect(validate(pipeline)).toBe(false);
  });
});
