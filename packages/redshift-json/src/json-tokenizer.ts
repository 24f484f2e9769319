import { type JsonObject, type JsonValue, numberFromText, setOwn } from './json-value.js';

/**
 * The careful path of the record reader: an incremental, validating JSON tokenizer that finds
 * the records of a file (objects or arrays separated only by white space, as COPY accepts them),
 * builds their values with exact numbers, and reports each bad stretch once:
 * - text outside any object (COPY: "an error for each instance") is one error per run, up to the
 *   next `{`/`[` or the end of the line;
 * - a syntax error inside a record rejects the record; reading resumes at the next line whose
 *   first non-blank character starts a record (the offending character itself when it does);
 * - a line break inside a string, invalid UTF-8, or a record over the size limit likewise;
 * - the end of the input inside a record is a truncated record.
 * Errors carry the last line of the offending record, as stl_load_errors does.
 */

export type JsonRecordEvent =
  | { kind: 'record'; value: JsonObject | JsonValue[]; line: number }
  | { kind: 'error'; line: number; reason: string; excerpt: string };

/** COPY's limit on one JSON object or array, braces included (developer guide, copy-parameters-data-format). */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

const EXCERPT_CHARS = 200;

const enum Expect {
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  Colon,
  CommaOrEnd,
}

const enum Token {
  None,
  String,
  Number,
  Literal,
}

type Mode = 'between' | 'garbage' | 'record' | 'skip';

interface Frame {
  container: JsonObject | JsonValue[];
  isArray: boolean;
  key: string;
}

export class JsonTokenizer {
  /** Events produced so far; the caller drains it. */
  events: JsonRecordEvent[] = [];
  private mode: Mode = 'between';
  private stack: Frame[] = [];
  private expect: Expect = Expect.Value;
  private token: Token = Token.None;
  private tokenText = '';
  private stringIsKey = false;
  /** 0: none, 1: after a backslash, 2-5: that many hex digits of \uXXXX still to read. */
  private escape = 0;
  private hex = '';
  private recordBytes = 0;
  private excerpt = '';
  private lastContentLine = 0;
  private line = 0;

  constructor(private readonly maxRecordBytes = MAX_RECORD_BYTES) {}

  /** True when a whole line may take the fast path (no record, garbage run or skip under way). */
  get idle(): boolean {
    return this.mode === 'between';
  }

  /** Whether the tokenizer is skipping to the next line that starts a record. */
  get skipping(): boolean {
    return this.mode === 'skip';
  }

  /** Leaves skip mode: the caller saw a line that starts a record. */
  resume(): void {
    if (this.mode === 'skip') this.mode = 'between';
  }

  /**
   * Feeds a piece of a line (without its line break). `start`: the piece begins the line;
   * `end`: the line ends after it.
   */
  feed(text: string, line: number, start: boolean, end: boolean): void {
    this.line = line;
    let i = 0;
    if (this.mode === 'skip') {
      if (!start) return;
      const first = firstNonBlank(text);
      if (first < 0 || !isRecordStart(text.charCodeAt(first))) return;
      this.mode = 'between';
      i = first;
    }
    if (this.mode === 'record') {
      if (start) this.recordBytes += 1; // the line break inside the record
      if (this.excerpt.length < EXCERPT_CHARS) this.excerpt += (start ? '\n' : '') + text.slice(0, EXCERPT_CHARS - this.excerpt.length);
    }
    this.run(text, i, start);
    if (end) this.endLine();
  }

  /** A line (or the rest of one) that is not valid UTF-8. */
  invalidLine(line: number): void {
    this.line = line;
    if (this.mode === 'skip') return;
    if (this.mode === 'record') {
      this.fail('invalid UTF-8 inside the JSON object');
      return;
    }
    this.report(line, 'invalid UTF-8 on this line', '');
    this.mode = 'between';
  }

  /** The input ended. */
  finish(): void {
    if (this.mode === 'record') {
      this.report(this.lastContentLine, 'truncated: the input ends inside a JSON object (missing closing brackets)', this.excerpt);
    }
    this.reset();
    this.mode = 'between';
  }

  private run(text: string, from: number, lineStart: boolean): void {
    const n = text.length;
    let i = from;
    let recordFrom = this.mode === 'record' ? i : -1;
    while (i < n) {
      switch (this.mode) {
        case 'skip':
          return;
        case 'garbage': {
          i = nextRecordStart(text, i);
          if (i < n) this.mode = 'between';
          continue;
        }
        case 'between': {
          const c = text.charCodeAt(i);
          if (isBlank(c)) {
            i++;
          } else if (isRecordStart(c)) {
            this.beginRecord(c, text, i);
            recordFrom = i;
            i++;
          } else {
            const stop = nextRecordStart(text, i);
            this.report(this.line, `unexpected text outside a JSON object: ${quoteExcerpt(text.slice(i, stop))}`, text.slice(i, i + EXCERPT_CHARS));
            this.mode = stop < n ? 'between' : 'garbage';
            i = stop;
          }
          continue;
        }
        case 'record': {
          i = this.step(text, i, lineStart);
          if ((this.mode as Mode) === 'record') continue;
          if (this.events[this.events.length - 1]?.kind === 'record') {
            // The record closed at i - 1: check its size.
            this.recordBytes += byteLength(text, recordFrom, i);
            if (this.recordBytes > this.maxRecordBytes) {
              // Well-formed but too large: replace it by an error and read on after it.
              this.events.pop();
              this.report(this.line, oversizeReason(this.maxRecordBytes), this.excerpt);
              this.reset();
            }
          }
          recordFrom = -1;
          continue;
        }
      }
    }
    if (this.mode === 'record' && recordFrom >= 0) {
      this.recordBytes += byteLength(text, recordFrom, n);
      if (this.recordBytes > this.maxRecordBytes) this.rejectOversized();
    }
  }

  private beginRecord(c: number, text: string, at: number): void {
    this.mode = 'record';
    this.stack = [];
    this.recordBytes = 0;
    this.excerpt = text.slice(at, at + EXCERPT_CHARS);
    this.openContainer(c === 0x5b);
  }

  /** Advances the record state machine by one token or run; returns the next index. */
  private step(text: string, i: number, lineStart: boolean): number {
    if (this.token === Token.String) return this.continueString(text, i);
    if (this.token !== Token.None) return this.continueBareword(text, i);
    const c = text.charCodeAt(i);
    if (isBlank(c)) return i + 1;
    switch (this.expect) {
      case Expect.Value:
      case Expect.ValueOrEnd:
        if (c === 0x5d && this.expect === Expect.ValueOrEnd) return this.closeContainer(i);
        return this.startValue(text, i, lineStart);
      case Expect.KeyOrEnd:
        if (c === 0x7d) return this.closeContainer(i);
        if (c === 0x22) return this.startString(true, i);
        return this.syntaxError(text, i, lineStart, 'expected a quoted key or "}"');
      case Expect.Key:
        if (c === 0x22) return this.startString(true, i);
        return this.syntaxError(text, i, lineStart, 'expected a quoted key');
      case Expect.Colon:
        if (c === 0x3a) {
          this.expect = Expect.Value;
          return i + 1;
        }
        return this.syntaxError(text, i, lineStart, 'expected ":" after the key');
      case Expect.CommaOrEnd: {
        const top = this.stack[this.stack.length - 1]!;
        if (c === 0x2c) {
          this.expect = top.isArray ? Expect.Value : Expect.Key;
          return i + 1;
        }
        if (c === (top.isArray ? 0x5d : 0x7d)) return this.closeContainer(i);
        return this.syntaxError(text, i, lineStart, `expected "," or "${top.isArray ? ']' : '}'}"`);
      }
    }
  }

  private startValue(text: string, i: number, lineStart: boolean): number {
    const c = text.charCodeAt(i);
    if (c === 0x22) return this.startString(false, i);
    if (c === 0x7b || c === 0x5b) {
      this.openContainer(c === 0x5b);
      return i + 1;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.token = Token.Number;
      this.tokenText = '';
      return this.continueBareword(text, i);
    }
    if (c >= 0x61 && c <= 0x7a) {
      this.token = Token.Literal;
      this.tokenText = '';
      return this.continueBareword(text, i);
    }
    return this.syntaxError(text, i, lineStart, 'expected a value');
  }

  private startString(isKey: boolean, i: number): number {
    this.token = Token.String;
    this.stringIsKey = isKey;
    this.tokenText = '';
    this.escape = 0;
    return i + 1;
  }

  private continueString(text: string, from: number): number {
    const n = text.length;
    let i = from;
    let runStart = i;
    while (i < n) {
      if (this.escape > 0) {
        i = this.continueEscape(text, i);
        if (this.mode !== 'record') return i;
        runStart = i;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        const value = this.tokenText + text.slice(runStart, i);
        this.token = Token.None;
        this.tokenText = '';
        if (this.stringIsKey) {
          this.stack[this.stack.length - 1]!.key = value;
          this.expect = Expect.Colon;
        } else {
          this.addValue(value);
        }
        return i + 1;
      }
      if (c === 0x5c) {
        this.tokenText += text.slice(runStart, i);
        this.escape = 1;
        i++;
        runStart = i;
        continue;
      }
      if (c < 0x20) return this.fail(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} inside a string must be escaped`);
      i++;
    }
    this.tokenText += text.slice(runStart, n);
    return n;
  }

  private continueEscape(text: string, i: number): number {
    const ch = text[i]!;
    if (this.escape === 1) {
      const simple = SIMPLE_ESCAPES[ch];
      if (simple !== undefined) {
        this.tokenText += simple;
        this.escape = 0;
        return i + 1;
      }
      if (ch === 'u') {
        this.escape = 5;
        this.hex = '';
        return i + 1;
      }
      return this.fail(`invalid escape "\\${ch}" in a string`);
    }
    if (!isHexDigit(text.charCodeAt(i))) return this.fail(`invalid escape "\\u${this.hex}${ch}"`);
    this.hex += ch;
    this.escape--;
    if (this.escape === 1) {
      this.tokenText += String.fromCharCode(parseInt(this.hex, 16));
      this.escape = 0;
    }
    return i + 1;
  }

  /** Numbers and true/false/null: runs of their characters, ended by anything else. */
  private continueBareword(text: string, from: number): number {
    const n = text.length;
    let i = from;
    const isNumber = this.token === Token.Number;
    while (i < n && (isNumber ? isNumberChar(text.charCodeAt(i)) : isLetter(text.charCodeAt(i)))) i++;
    this.tokenText += text.slice(from, i);
    if (i < n) this.endBareword();
    return i;
  }

  /** Ends a pending number or literal (at a delimiter or at the end of the line). */
  private endBareword(): void {
    const word = this.tokenText;
    const isNumber = this.token === Token.Number;
    this.token = Token.None;
    this.tokenText = '';
    if (isNumber) {
      if (NUMBER.test(word)) this.addValue(numberFromText(word));
      else this.fail(`invalid number ${quoteExcerpt(word)}`);
    } else if (word === 'true') this.addValue(true);
    else if (word === 'false') this.addValue(false);
    else if (word === 'null') this.addValue(null);
    else this.fail(`invalid literal ${quoteExcerpt(word)} (expected true, false or null)`);
  }

  private endLine(): void {
    if (this.mode === 'garbage') this.mode = 'between';
    if (this.mode !== 'record') return;
    this.lastContentLine = this.line;
    if (this.token === Token.String) this.fail('unterminated string (a line break inside a string must be written \\n)');
    else if (this.token !== Token.None) this.endBareword();
  }

  private openContainer(isArray: boolean): void {
    const container: JsonObject | JsonValue[] = isArray ? [] : {};
    if (this.stack.length > 0) this.addValue(container);
    this.stack.push({ container, isArray, key: '' });
    this.expect = isArray ? Expect.ValueOrEnd : Expect.KeyOrEnd;
  }

  private closeContainer(i: number): number {
    const frame = this.stack.pop()!;
    if (this.stack.length === 0) {
      this.lastContentLine = this.line;
      this.events.push({ kind: 'record', value: frame.container, line: this.line });
      this.mode = 'between';
      this.expect = Expect.Value;
    } else {
      this.expect = Expect.CommaOrEnd;
    }
    return i + 1;
  }

  private addValue(value: JsonValue): void {
    const top = this.stack[this.stack.length - 1]!;
    if (top.isArray) (top.container as JsonValue[]).push(value);
    else setOwn(top.container as JsonObject, top.key, value);
    this.expect = Expect.CommaOrEnd;
  }

  /**
   * A syntax error inside a record. When the offending character is the first on its line and
   * starts a record, the broken record ended on an earlier line and reading resumes right here.
   */
  private syntaxError(text: string, i: number, lineStart: boolean, expected: string): number {
    const c = text.charCodeAt(i);
    if (lineStart && isRecordStart(c) && firstNonBlank(text) === i) {
      this.report(this.lastContentLine, `malformed JSON: ${expected}, but a new object starts on line ${this.line} before this one is closed`, this.excerpt);
      this.reset();
      this.mode = 'between';
      return i;
    }
    return this.fail(`malformed JSON: ${expected}, found ${quoteExcerpt(text.slice(i, i + 20))}`);
  }

  /** Rejects the current record and skips to the next line that starts one. */
  private fail(reason: string): number {
    this.report(this.line, reason, this.excerpt);
    this.reset();
    this.mode = 'skip';
    return Number.MAX_SAFE_INTEGER;
  }

  private rejectOversized(): void {
    this.fail(oversizeReason(this.maxRecordBytes));
  }

  private reset(): void {
    this.stack = [];
    this.token = Token.None;
    this.tokenText = '';
    this.escape = 0;
    this.expect = Expect.Value;
    this.recordBytes = 0;
  }

  private report(line: number, reason: string, excerpt: string): void {
    this.events.push({ kind: 'error', line, reason, excerpt });
  }
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isRecordStart(c: number): boolean {
  return c === 0x7b || c === 0x5b;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

export function oversizeReason(limit: number): string {
  return `JSON object is larger than ${limit} bytes, the most COPY accepts for one object`;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

export function firstNonBlank(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isBlank(text.charCodeAt(i))) return i;
  return -1;
}

function nextRecordStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isRecordStart(text.charCodeAt(i))) return i;
  return text.length;
}

function quoteExcerpt(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(cut);
}

function byteLength(text: string, from: number, to: number): number {
  if (from >= to) return 0;
  return Buffer.byteLength(from === 0 && to === text.length ? text : text.slice(from, to), 'utf8');
}
