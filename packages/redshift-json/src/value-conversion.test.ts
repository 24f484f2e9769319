import { type ColumnSpec, parseColumnType, type TimeFormat } from '@sparkify/core';
import { RawNumber, type JsonValue } from './json-value.js';
import { civilDays, compileValueConverter, parseTimestampText, ValueConversionError } from './value-conversion.js';

function column(type: string, nullable = true): ColumnSpec {
  const parsed = parseColumnType(type);
  if (!parsed) throw new Error(`bad type ${type}`);
  return { name: 'c', type: parsed, nullable };
}

function convert(type: string, value: JsonValue | undefined, timeFormat: TimeFormat = 'auto', nullable = true) {
  return compileValueConverter(column(type, nullable), timeFormat)(value);
}

function failure(type: string, value: JsonValue | undefined, timeFormat: TimeFormat = 'auto', nullable = true): ValueConversionError {
  try {
    convert(type, value, timeFormat, nullable);
  } catch (error) {
    if (error instanceof ValueConversionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} into ${type} to fail`);
}

const raw = (text: string) => new RawNumber(text);
const MS = 1543537327796;

describe('NULLs and empty strings', () => {
  it.each(['integer', 'bigint', 'double precision', 'decimal(10,2)', 'boolean', 'varchar(10)', 'date', 'timestamp'])('JSON null and a missing key load NULL into %s', (type) => {
    expect(convert(type, null)).toBeNull();
    expect(convert(type, undefined)).toBeNull();
  });

  it.each(['smallint', 'integer', 'bigint', 'real', 'double precision', 'decimal(10,2)', 'boolean', 'date', 'timestamp'])(
    'an empty or blank string loads NULL into %s',
    (type) => {
      expect(convert(type, '')).toBeNull();
      expect(convert(type, '  \t')).toBeNull();
      expect(convert(type, '', 'epochmillisecs')).toBeNull();
    },
  );

  it("an empty string loads '' into character columns, blanks as they are", () => {
    expect(convert('varchar(10)', '')).toBe('');
    expect(convert('char(4)', '')).toBe('');
    expect(convert('varchar(10)', '   ')).toBe('   ');
  });

  it('NULL into a NOT NULL column rejects the record', () => {
    expect(failure('integer', null, 'auto', false).reason).toBe('Missing data for not-null field');
    expect(failure('integer', undefined, 'auto', false).rawValue).toBeUndefined();
    expect(failure('integer', '', 'auto', false).reason).toBe('Missing data for not-null field');
    expect(convert('varchar(4)', '', 'auto', false)).toBe('');
  });
});

describe('integers', () => {
  it('load numbers and numeric strings (userId "91" loads 91)', () => {
    expect(convert('integer', 91)).toBe(91);
    expect(convert('integer', '91')).toBe(91);
    expect(convert('integer', '-007')).toBe(-7);
    expect(convert('smallint', -32768)).toBe(-32768);
    expect(convert('integer', raw('-0'))).toBe(0);
  });

  it('keep bigints exact beyond 2^53', () => {
    expect(convert('bigint', raw('9007199254740993'))).toBe(9007199254740993n);
    expect(convert('bigint', '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(convert('bigint', raw('12345678901234'))).toBe(12345678901234);
    expect(convert('bigint', 42)).toBe(42);
  });

  it.each([
    ['smallint', 32768],
    ['smallint', '-32769'],
    ['integer', 2147483648],
    ['integer', '-2147483649'],
    ['bigint', raw('9223372036854775808')],
    ['bigint', '-9223372036854775809'],
  ])('overflow is an error: %s %p', (type, value) => {
    expect(failure(type, value).reason).toMatch(/out of range \(Overflow\)/);
  });

  it.each([
    [3.5, '3.5'],
    [raw('3.0'), '3.0'],
    [raw('1e3'), '1e3'],
    ['3.0', '3.0'],
    ['abc', 'abc'],
    ['+3', '+3'],
    [' 3', ' 3'],
    ['0x10', '0x10'],
  ])('fractions and non-digits are errors, not rounded: %p', (value, text) => {
    const error = failure('integer', value);
    expect(error.reason).toMatch(/is not an integer \(Invalid digit\)/);
    expect(error.rawValue).toBe(text);
  });

  it.each([true, { a: 1 }, [1]])('booleans, objects and arrays are errors: %p', (value) => {
    expect(failure('integer', value).reason).toMatch(/cannot load into integer/);
  });
});

describe('floats and decimals', () => {
  it('load numbers and numeric strings', () => {
    expect(convert('double precision', 182.85669)).toBe(182.85669);
    expect(convert('double precision', raw('1540991795796.0'))).toBe(1540991795796);
    expect(convert('double precision', '1.5e3')).toBe(1500);
    expect(convert('double precision', '-.5')).toBe(-0.5);
    expect(convert('real', 1.5)).toBe(1.5);
    expect(convert('double precision', raw('-0'))).toBe(0);
  });

  it.each([
    ['double precision', 'NaN', /is not a number/],
    ['double precision', 'Infinity', /is not a number/],
    ['double precision', 'abc', /is not a number/],
    ['double precision', true, /a boolean cannot load/],
    ['double precision', raw('1e400'), /Overflow/],
    ['double precision', raw('1e-400'), /Underflow/],
    ['real', 1e39, /Overflow/],
    ['real', 1e-50, /Underflow/],
  ])('%s rejects %p', (type, value, message) => {
    expect(failure(type, value).reason).toMatch(message);
  });

  it('DECIMAL keeps exact text and truncates extra fraction digits, as COPY without ROUNDEC', () => {
    expect(convert('decimal(8,2)', raw('20.259'))).toBe('20.25');
    expect(convert('decimal(8,2)', '20.259')).toBe('20.25');
    expect(convert('decimal(8,2)', -1)).toBe('-1.00');
    expect(convert('decimal(8,2)', raw('-0.001'))).toBe('0.00');
    expect(convert('decimal(8,2)', '.5')).toBe('0.50');
    expect(convert('decimal(5,0)', '00042')).toBe('42');
    expect(convert('decimal(38,10)', raw('123456789012345678901234567.0123456789'))).toBe('123456789012345678901234567.0123456789');
  });

  it.each([
    ['decimal(4,2)', '123.4', /Numeric data overflow/],
    ['decimal(4,2)', raw('1e2'), /is not a decimal number/],
    ['decimal(4,2)', '.', /is not a decimal number/],
    ['decimal(4,2)', false, /a boolean cannot load/],
  ])('%s rejects %p', (type, value, message) => {
    expect(failure(type, value).reason).toMatch(message);
  });
});

describe('booleans', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['t', true],
    ['TRUE', true],
    ['yes', true],
    ['Y', true],
    ['1', true],
    ['f', false],
    ['False', false],
    ['no', false],
    ['n', false],
    ['0', false],
  ])('%p loads %p', (value, expected) => {
    expect(convert('boolean', value)).toBe(expected);
  });

  it.each([2, raw('1.0'), 'maybe', { a: true }])('%p is an error', (value) => {
    expect(() => convert('boolean', value)).toThrow(ValueConversionError);
  });
});

describe('character columns', () => {
  it('load numbers as their text as written, booleans, objects and arrays as JSON text', () => {
    expect(convert('varchar(20)', 91)).toBe('91');
    expect(convert('varchar(20)', raw('1540991795796.0'))).toBe('1540991795796.0');
    expect(convert('varchar(20)', true)).toBe('true');
    expect(convert('varchar(40)', ['nisi', 'culpa'])).toBe('["nisi","culpa"]');
    expect(convert('varchar(40)', { id: 1, name: 'Renaldo' })).toBe('{"id":1,"name":"Renaldo"}');
    expect(convert('varchar(40)', { n: raw('2.50'), s: 'a"b' })).toBe('{"n":2.50,"s":"a\\"b"}');
  });

  it('count UTF-8 bytes against VARCHAR(n)', () => {
    expect(convert('varchar(4)', 'abcd')).toBe('abcd');
    expect(convert('varchar(4)', 'éé')).toBe('éé');
    const error = failure('varchar(4)', 'ééa');
    expect(error.reason).toBe('String length exceeds DDL length: 5 bytes into varchar(4)');
    expect(error.rawValue).toBe('ééa');
    expect(failure('varchar(5)', ['abc']).reason).toMatch(/7 bytes/);
    expect(convert('varchar(4)', '😀')).toBe('😀');
    expect(() => convert('varchar(3)', '😀')).toThrow(/4 bytes/);
  });

  it('CHAR takes single-byte characters only', () => {
    expect(convert('char(2)', 'ab')).toBe('ab');
    expect(failure('char(2)', 'é').reason).toMatch(/Multibyte character not supported for CHAR/);
    expect(failure('char(2)', 'abc').reason).toMatch(/3 bytes into char\(2\)/);
  });

  it('reject an unpaired surrogate (not valid UTF-8) and NUL', () => {
    expect(failure('varchar(10)', '\ud83d').reason).toMatch(/Invalid UTF-8/);
    expect(failure('varchar(10)', 'a\u0000b').reason).toMatch(/NUL/);
  });

  it('cut long raw values in error reports', () => {
    const error = failure('varchar(10)', 'x'.repeat(500));
    expect(error.rawValue).toHaveLength(201);
  });
});

describe('dates and timestamps', () => {
  it("TIMEFORMAT 'epochmillisecs' and 'epochsecs' read epoch numbers and numeric strings (UTC)", () => {
    expect(convert('timestamp', MS, 'epochmillisecs')).toBe(MS * 1000);
    expect(convert('timestamp', String(MS), 'epochmillisecs')).toBe(MS * 1000);
    expect(convert('timestamptz', 1543537327, 'epochsecs')).toBe(1543537327000000);
    expect(convert('timestamp', -1000, 'epochmillisecs')).toBe(-1000000);
  });

  it('epoch formats take integers only', () => {
    expect(failure('timestamp', raw('1543537327796.0'), 'epochmillisecs').reason).toMatch(/is not an integer number of milliseconds since the epoch/);
    expect(failure('timestamp', '2018-11-30 00:22:07', 'epochmillisecs').reason).toMatch(/TIMEFORMAT 'epochmillisecs'/);
    expect(failure('timestamp', true, 'epochsecs').reason).toMatch(/a boolean cannot load/);
    expect(failure('timestamp', 1e16, 'epochmillisecs').reason).toMatch(/out of the supported range/);
  });

  it("TIMEFORMAT 'auto' reads common text formats and not epoch numbers", () => {
    const at = Date.UTC(2018, 10, 30, 0, 22, 7) * 1000;
    expect(convert('timestamp', '2018-11-30 00:22:07')).toBe(at);
    expect(convert('timestamp', '2018-11-30T00:22:07Z')).toBe(at);
    expect(convert('timestamp', '2018-11-30 00:22:07.796')).toBe(at + 796000);
    expect(convert('timestamp', '2009-01-12 14:15:57.119568')).toBe(Date.UTC(2009, 0, 12, 14, 15, 57) * 1000 + 119568);
    expect(convert('timestamp', '20181130 002207')).toBe(at);
    expect(convert('timestamp', '2018-11-30')).toBe(Date.UTC(2018, 10, 30) * 1000);
    expect(failure('timestamp', MS).reason).toMatch(/does not read epoch numbers/);
    expect(failure('timestamp', 'yesterday').reason).toMatch(/not a timestamp format/);
    expect(failure('timestamp', '2018-02-30 00:00:00').reason).toMatch(/not a timestamp format/);
  });

  it('TIMESTAMP ignores an offset, TIMESTAMPTZ converts to UTC', () => {
    expect(convert('timestamp', '1997-12-17 07:37:16-08')).toBe(Date.UTC(1997, 11, 17, 7, 37, 16) * 1000);
    expect(convert('timestamptz', '1997-12-17 07:37:16-08')).toBe(Date.UTC(1997, 11, 17, 15, 37, 16) * 1000);
    expect(convert('timestamptz', '2019-02-11T05:09:12.195+05:30')).toBe(Date.UTC(2019, 1, 10, 23, 39, 12, 195) * 1000);
  });

  it('DATE reads YYYY-MM-DD (a time part is ignored) as days since 1970-01-01', () => {
    expect(convert('date', '2018-11-01')).toBe(17836);
    expect(convert('date', '2018-11-01 21:01:46')).toBe(17836);
    expect(convert('date', '1969-12-31')).toBe(-1);
    expect(failure('date', '2018-13-01').reason).toMatch(/not a valid date/);
    expect(failure('date', 17836).reason).toMatch(/a number is not a date/);
  });

  it('computes civil days and timestamps like Date.UTC', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [2000, 2, 29],
      [1900, 3, 1],
      [2255, 12, 31],
      [1600, 1, 1],
    ] as const) {
      expect(civilDays(y, m, d)).toBe(Date.UTC(y, m - 1, d) / 86400000);
    }
    expect(civilDays(1900, 2, 29)).toBeUndefined();
    expect(parseTimestampText('2000-02-29 23:59:59.9999995', false)).toBe(BigInt(Date.UTC(2000, 2, 1)) * 1000n);
  });
});
