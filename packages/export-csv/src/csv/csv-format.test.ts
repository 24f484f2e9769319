import { csvField, csvRecord } from './csv-format.js';

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain text as it is', 'Jóga', ',', 'Jóga'],
    ['a delimiter quoted', 'Hey, Jude', ',', '"Hey, Jude"'],
    ['quotes doubled and quoted', 'the "best" one', ',', '"the ""best"" one"'],
    ['a lone quote', '"', ',', '""""'],
    ['LF quoted', 'one\ntwo', ',', '"one\ntwo"'],
    ['CR quoted', 'one\rtwo', ',', '"one\rtwo"'],
    ['CRLF quoted', 'one\r\ntwo', ',', '"one\r\ntwo"'],
    ['an empty string as two quotes, apart from NULL', '', ',', '""'],
    ['spaces kept, unquoted', '  padded  ', ',', '  padded  '],
    ['unicode beyond the BMP unquoted', 'Sigur Rós 🎵 東京', ',', 'Sigur Rós 🎵 東京'],
    ['a comma unquoted when the delimiter is ;', 'a,b', ';', 'a,b'],
    ['the ; delimiter quoted', 'a;b', ';', '"a;b"'],
    ['a tab quoted when the delimiter is a tab', 'a\tb', '\t', '"a\tb"'],
  ])('writes %s', (_name, value, delimiter, expected) => {
    expect(csvField(value, delimiter)).toBe(expected);
  });

  it('writes NULL as an empty field', () => {
    expect(csvField(null, ',')).toBe('');
  });

  it('writes numbers, bigints and booleans as the sink returned them', () => {
    expect([0.1, -1234.5678, 1e-7, 42, 9007199254740993n, true, false].map((v) => csvField(v, ','))).toEqual([
      '0.1',
      '-1234.5678',
      '1e-7',
      '42',
      '9007199254740993',
      'true',
      'false',
    ]);
  });

  it('quotes a number that holds the delimiter', () => {
    expect(csvField(0.5, '.')).toBe('"0.5"');
  });
});

describe('csvRecord', () => {
  it('joins the fields and ends the record with CRLF', () => {
    expect(csvRecord([1, 'a,b', null, '', '2018-11-01 21:01:46.796'], ',')).toBe('1,"a,b",,"",2018-11-01 21:01:46.796\r\n');
    expect(csvRecord([], ',')).toBe('\r\n');
  });
});
