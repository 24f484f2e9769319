import type { LoadRow } from '@sparkify/core';
import type { CopyCommand } from './copy-command-parser.js';
import type { TargetColumn } from './target-columns.js';

/**
 * The COPY options that change converted character values (copy-parameters-data-conversion):
 * EMPTYASNULL ('' → NULL), BLANKSASNULL (white space only → NULL) and TRUNCATECOLUMNS (cut to
 * the column's width in bytes instead of rejecting). Only nullable columns become NULL: a NOT NULL
 * column keeps the text (Redshift would reject the record; the emulator cannot place it).
 * Returns undefined when no option applies, so rows pass untouched.
 */
export function compileRowAdjuster(columns: readonly TargetColumn[], command: CopyCommand): ((row: LoadRow) => void) | undefined {
  const steps: ((row: LoadRow) => void)[] = [];
  columns.forEach((column, i) => {
    const type = column.spec.type;
    if (type.kind !== 'varchar' && type.kind !== 'char') return;
    const toNull = column.spec.nullable && (command.emptyAsNull || command.blanksAsNull);
    const blanks = command.blanksAsNull;
    const width = command.truncateColumns ? type.length : undefined;
    if (!toNull && width === undefined) return;
    steps.push((row) => {
      const value = row[i];
      if (typeof value !== 'string') return;
      if (toNull && (value === '' || (blanks && value.trim() === ''))) {
        row[i] = null;
        return;
      }
      if (width !== undefined && value.length * 3 > width && Buffer.byteLength(value, 'utf8') > width) {
        row[i] = cutToBytes(value, width);
      }
    });
  });
  if (steps.length === 0) return undefined;
  return (row) => {
    for (const step of steps) step(row);
  };
}

function cutToBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  let end = bytes;
  // Step back over UTF-8 continuation bytes so a character is never split.
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end -= 1;
  return buffer.subarray(0, end).toString('utf8');
}
