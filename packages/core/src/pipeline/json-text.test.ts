import { parseJsonText } from './json-text.js';

describe('parseJsonText', () => {
  it.each([
    ['{\n  "name": "x",\n  "steps": [,]\n}', '3:13', 'expected a value, found ","'],
    ['{\n"a": 1', '2:7', 'expected "," or "}", found the end of the file'],
    ['{\n  "a": 1,\n}', '3:1', 'a trailing comma before "}"'],
    ['{"a": "x\ny"}', '1:9', 'a control character'],
    ['{"a": 1} x', '1:10', 'unexpected "x" after the end of the document'],
    ['{a: 1}', '1:2', 'expected a quoted key'],
  ])('locates the error in %j at %s', (text, where, reason) => {
    expect(() => parseJsonText(text, 'p.json')).toThrow(`p.json:${where}: invalid JSON: ${reason}`);
  });

  it('parses valid JSON', () => {
    expect(parseJsonText('{"a": [1, "b", null, true]}', 'p.json')).toEqual({ a: [1, 'b', null, true] });
  });
});
