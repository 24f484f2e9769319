import { formatTimestampMicros, parseColumnType } from '@sparkify/core';
import { CopyBuffer } from './copy-buffer.js';
import { compileRowEncoder, timestampText } from './copy-text-encoder.js';

describe('timestampText', () => {
  it.each([0, 1541106106796000, 1541106106796123, -1, -86_400_000_000, 253402300799999999, 951782400000000, 4107542400000000])(
    'agrees with core formatTimestampMicros for %d',
    (micros) => {
      const fast = timestampText(micros);
      const trimmed = fast.includes('.') ? fast.replace(/0+$/, '').replace(/\.$/, '') : fast;
      expect(trimmed).toBe(formatTimestampMicros(micros));
    },
  );
});

describe('compileRowEncoder', () => {
  it('writes COPY text with escapes, NULL and DEFAULT markers', () => {
    const encode = compileRowEncoder([
      { type: parseColumnType('varchar(10)')!, hasDefault: false },
      { type: parseColumnType('integer')!, hasDefault: true },
      { type: parseColumnType('boolean')!, hasDefault: false },
      { type: parseColumnType('date')!, hasDefault: false },
      { type: parseColumnType('timestamp')!, hasDefault: false },
    ]);
    const out = new CopyBuffer();
    encode(['a\tb\\c\nd', null, true, 17836, 1541106106796000], out);
    encode([null, 5, false, null, null], out);
    expect(Buffer.from(out.view()).toString('utf8')).toBe('a\\tb\\\\c\\nd\t\\D\tt\t2018-11-01\t2018-11-01 21:01:46.796000\n\\N\t5\tf\t\\N\t\\N\n');
    expect(out.rows).toBe(2);
  });

  it('escapes after a non-ASCII character too, and writes UTF-8', () => {
    const encode = compileRowEncoder([{ type: parseColumnType('varchar(64)')!, hasDefault: false }]);
    const out = new CopyBuffer();
    encode(['Zoë\tBeyoncé\\東京\r🎵'], out);
    expect(Buffer.from(out.view()).toString('utf8')).toBe('Zoë\\tBeyoncé\\\\東京\\r🎵\n');
  });
});
