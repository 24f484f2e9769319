import { bindParameters, checkParameters, ParameterError, placeholderNames } from './parameter-binder.js';
import { loadSqlParser } from './sql-parser.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('parameters', () => {
  it('finds :name placeholders, not casts, strings, quoted names or comments', () => {
    expect(placeholderNames("select :a, b::int, ':c', \":d\", x -- :e\n from t where y = :a and z = :user")).toEqual(['a', 'a', 'user']);
  });

  it('binds values as escaped string literals', () => {
    expect(bindParameters('select :a, :b::int, :a', [{ name: 'a', value: "it's" }, { name: 'b', value: '5' }])).toBe("select 'it''s', '5'::int, 'it''s'");
  });

  it('doubles backslashes, which Redshift reads as escapes in literals', () => {
    expect(bindParameters('select :p', [{ name: 'p', value: 'C:\\dir' }])).toBe("select 'C:\\\\dir'");
  });

  it('keeps non-ASCII text around placeholders intact', () => {
    expect(bindParameters("select 'héllo', :v", [{ name: 'v', value: '€' }])).toBe("select 'héllo', '€'");
  });

  it.each([
    [['select :a'], [], 'No value was given for the parameter :a'],
    [['select 1'], [{ name: 'a', value: '1' }], "'a' is not used"],
    [['select :a'], [{ name: 'a', value: '1' }, { name: 'a', value: '2' }], 'more than once'],
    [['select 1'], [{ name: 'bad-name', value: '1' }], 'not valid'],
  ])('checks %j with %j', (sqls, parameters, message) => {
    expect(() => checkParameters(sqls, parameters)).toThrow(ParameterError);
    expect(() => checkParameters(sqls, parameters)).toThrow(message);
  });

  it('accepts parameters used by any statement of a batch', () => {
    expect(() => checkParameters(['select :a', 'select :b'], [{ name: 'a', value: '1' }, { name: 'b', value: '2' }])).not.toThrow();
  });
});
