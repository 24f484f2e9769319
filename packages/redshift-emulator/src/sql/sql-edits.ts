import type { SqlText, SqlToken } from './sql-parser.js';

/** Replace bytes [start, end) of the text with `replacement`. */
export interface SqlEdit {
  start: number;
  end: number;
  replacement: string;
}

/** Applies non-overlapping edits (an edit overlapping an earlier one is dropped). */
export function applyEdits(text: SqlText, edits: readonly SqlEdit[]): string {
  if (edits.length === 0) return text.text;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) continue;
    parts.push(text.bytes.subarray(at, edit.start), Buffer.from(edit.replacement, 'utf8'));
    at = edit.end;
  }
  parts.push(text.bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}

/** Index of the token that closes the parenthesis opened at `open`, or -1. */
export function matchingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const text = tokens[i]!.text;
    if (text === '(') depth += 1;
    else if (text === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index of the first token starting at or after byte `offset`. */
export function tokenAt(tokens: readonly SqlToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function wordAt(tokens: readonly SqlToken[], index: number): string | undefined {
  return tokens[index]?.word;
}
