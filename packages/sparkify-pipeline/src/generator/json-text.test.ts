import { jsonFloat, jsonIntegralFloat, jsonString } from './json-text.js';

describe('jsonString', () => {
  it.each([
    ['plain', 'song', '"plain"'],
    ['AC/DC', 'song', '"AC/DC"'],
    ['AC/DC', 'log', '"AC\\/DC"'],
    ['Clementina Santafè', 'song', '"Clementina Santaf\\u00e8"'],
    ['say "hi"\\', 'log', '"say \\"hi\\"\\\\"'],
    ['tab\tnew\nline\u0001', 'song', '"tab\\tnew\\nline\\u0001"'],
    ['🎵', 'log', '"\\ud83c\\udfb5"'],
  ] as const)('writes %j in the %s style as %s', (text, style, expected) => {
    expect(jsonString(text, style)).toBe(expected);
    expect(JSON.parse(expected)).toBe(text);
  });
});

describe('jsonFloat', () => {
  it.each([
    [267.70240000001, '267.7024'],
    [-8, '-8.0'],
    [0, '0.0'],
    [-0.000001, '0.0'],
    [29.54404, '29.54404'],
    [-122.42005, '-122.42005'],
  ])('writes %d as Python would: %s', (value, expected) => {
    expect(jsonFloat(value, 5)).toBe(expected);
  });

  it('refuses values Python would write in exponent form', () => {
    expect(() => jsonFloat(0.00005, 5)).toThrow(RangeError);
  });

  it('writes integral floats with .0', () => {
    expect(jsonIntegralFloat(1540919166796)).toBe('1540919166796.0');
    expect(() => jsonIntegralFloat(1.5)).toThrow(RangeError);
  });
});
