import { ConfigError } from '../errors/pipeline-error.js';
import { resolveParams, substitute } from './params.js';
import type { ParamSpec } from './pipeline-schema.js';

const spec = (p: Partial<ParamSpec>): ParamSpec => ({ type: 'string', secret: false, ...p });
const inputs = { overrides: {}, cwd: '/home/me/work', pipelineDir: '/repo/pipelines', env: { HOME_REGION: 'eu-west-1', TOKEN: 's3cr3t-token' } };

describe('resolveParams', () => {
  it('types values and resolves relative paths: CLI against cwd, defaults against the pipeline file', () => {
    const specs = {
      data: spec({ type: 'path', default: '../data/sample' }),
      out: spec({ type: 'path', default: 'x' }),
      maxErrors: spec({ type: 'integer', default: 0 }),
      strict: spec({ type: 'boolean', default: true }),
    };
    const { values } = resolveParams(specs, { ...inputs, overrides: { out: 'mine.duckdb', maxErrors: '5', strict: 'false' } });
    expect(values).toEqual({ data: '/repo/data/sample', out: '/home/me/work/mine.duckdb', maxErrors: 5, strict: false });
  });

  it('leaves special names such as :memory: and URIs unresolved', () => {
    const specs = { db: spec({ type: 'path', default: 'x' }), s3: spec({ type: 'path', default: 'x' }) };
    expect(resolveParams(specs, { ...inputs, overrides: { db: ':memory:', s3: 's3://bucket/prefix' } }).values).toEqual({ db: ':memory:', s3: 's3://bucket/prefix' });
  });

  it('reads the environment in defaults, with a fallback', () => {
    const specs = { region: spec({ default: '${env:HOME_REGION}' }), other: spec({ default: '${env:NOPE:-us-west-2}' }) };
    expect(resolveParams(specs, inputs).values).toEqual({ region: 'eu-west-1', other: 'us-west-2' });
  });

  it.each([
    [{ a: spec({}) }, {}, /param "a" has no default/],
    [{ a: spec({ default: 'x' }) }, { b: '1' }, /--param b: the pipeline declares no param "b"/],
    [{ maxErrors: spec({ type: 'integer', default: 0 }) }, { maxErrors: 'many' }, /expects an integer, got "many"/],
    [{ r: spec({ default: '${env:MISSING_VAR}' }) }, {}, /environment variable MISSING_VAR is not set/],
  ])('rejects %j with %j', (specs, overrides, message) => {
    expect(() => resolveParams(specs, { ...inputs, overrides })).toThrow(message);
    expect(() => resolveParams(specs, { ...inputs, overrides })).toThrow(ConfigError);
  });

  it('records secret values so they can be redacted', () => {
    const specs = { password: spec({ secret: true, default: 'hunter2!' }) };
    expect([...resolveParams(specs, inputs).secrets]).toEqual(['hunter2!']);
  });
});

describe('substitute', () => {
  const params = { values: { data: '/d', maxErrors: 3 }, secrets: new Set<string>() };

  it('keeps the type of a whole-string param and interpolates inside strings', () => {
    const out = substitute({ path: '${param:data}/log_data', max: '${param:maxErrors}', list: ['${env:HOME_REGION}'] }, params, inputs.env, 'resources.x.with');
    expect(out).toEqual({ path: '/d/log_data', max: 3, list: ['eu-west-1'] });
  });

  it('names the config path and suggests the closest param when one is unknown', () => {
    expect(() => substitute({ a: { b: '${param:dat}' } }, params, inputs.env, 'steps[2].with')).toThrow(
      'steps[2].with.a.b: unknown param "dat"; did you mean "data"?',
    );
  });

  it('leaves out a key whose whole value is an empty param, so the plugin default applies', () => {
    const local = { values: { workgroup: '', cluster: 'dwh' }, secrets: new Set<string>() };
    expect(substitute({ workgroupName: '${param:workgroup}', clusterIdentifier: '${param:cluster}', note: 'x${param:workgroup}' }, local, {}, 'w')).toEqual({
      clusterIdentifier: 'dwh',
      note: 'x',
    });
  });

  it('marks ${secret:NAME} values as secrets', () => {
    const local = { values: {}, secrets: new Set<string>() };
    expect(substitute('token=${secret:TOKEN}', local, inputs.env, 'x')).toBe('token=s3cr3t-token');
    expect(local.secrets.has('s3cr3t-token')).toBe(true);
  });
});
