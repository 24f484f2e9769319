import { FEATURE_NOT_SUPPORTED, StatementFailure, SYNTAX_ERROR } from '../sql/statement-failure.js';
import { tokenizeCopy, type CopyToken } from './copy-tokenizer.js';

export type CopyJsonMapping = { mode: 'auto' } | { mode: 'auto ignorecase' } | { mode: 'jsonpaths'; uri: string };
export type CopyCompression = 'none' | 'gzip' | 'bzip2' | 'zstd' | 'lzop';
export type CopyAuthorization =
  | { kind: 'iam_role'; role: string }
  | { kind: 'credentials' }
  | { kind: 'access_keys' };

/** A parsed `COPY ... FROM 's3://...' FORMAT AS JSON ...` command. */
export interface CopyCommand {
  table: { schema?: string; name: string };
  /** The explicit column list, when given. */
  columns?: string[];
  /** `s3://bucket/prefix`, or the manifest's URI with `manifest`. */
  source: string;
  authorization: CopyAuthorization;
  mapping: CopyJsonMapping;
  /** `auto`, `epochsecs`, `epochmillisecs`, or a format string, as written. */
  timeFormat?: string;
  dateFormat?: string;
  region?: string;
  /** MAXERROR n, 0 when absent (the first error fails the load). */
  maxError: number;
  compression: CopyCompression;
  manifest: boolean;
  emptyAsNull: boolean;
  blanksAsNull: boolean;
  truncateColumns: boolean;
  /** The replacement character for invalid UTF-8 (`?` by default) when ACCEPTINVCHARS is given. */
  acceptInvChars?: string;
  explicitIds: boolean;
  /** NOLOAD: check the data, load nothing. */
  noLoad: boolean;
  /** STATUPDATE ON / OFF; absent: statistics are updated when the table was empty before the COPY. */
  statUpdate?: boolean;
  roundDecimals: boolean;
}

/** Redshift's MAXERROR ceiling. */
export const MAX_MAXERROR = 100_000;

/** Options of other formats: an error with JSON (redshift-reference.md §1). */
const NOT_FOR_JSON = new Set([
  'csv', 'delimiter', 'escape', 'fillrecord', 'fixedwidth', 'ignoreblanklines', 'null', 'removequotes',
  'ignoreheader', 'quote', 'shapefile', 'parquet', 'orc', 'avro',
]);

const FLAGS: Record<string, (command: CopyCommand) => void> = {
  gzip: (c) => void (c.compression = 'gzip'),
  bzip2: (c) => void (c.compression = 'bzip2'),
  zstd: (c) => void (c.compression = 'zstd'),
  lzop: (c) => void (c.compression = 'lzop'),
  manifest: (c) => void (c.manifest = true),
  emptyasnull: (c) => void (c.emptyAsNull = true),
  blanksasnull: (c) => void (c.blanksAsNull = true),
  truncatecolumns: (c) => void (c.truncateColumns = true),
  explicit_ids: (c) => void (c.explicitIds = true),
  noload: (c) => void (c.noLoad = true),
  roundec: (c) => void (c.roundDecimals = true),
  acceptanydate: () => undefined,
  trimblanks: () => undefined,
  ssh: () => undefined,
};

/** Parses a Redshift COPY command (JSON formats). Throws StatementFailure as Redshift would refuse it. */
export function parseCopyCommand(sql: string): CopyCommand {
  return new CopyParser(tokenizeCopy(sql)).parse();
}

/** True when the statement's first word is COPY. */
export function isCopyCommand(sql: string): boolean {
  return /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*copy\b/i.test(sql);
}

class CopyParser {
  private at = 0;
  private formatSeen = false;

  constructor(private readonly tokens: readonly CopyToken[]) {}

  parse(): CopyCommand {
    this.expectWord('copy');
    const table = this.tableName();
    const columns = this.peek()?.value === '(' ? this.columnList() : undefined;
    this.expectWord('from');
    const source = this.expectString('the source URI (FROM \'s3://bucket/prefix\')');
    const command: CopyCommand = {
      table,
      ...(columns ? { columns } : {}),
      source,
      authorization: { kind: 'credentials' },
      mapping: { mode: 'auto' },
      maxError: 0,
      compression: 'none',
      manifest: false,
      emptyAsNull: false,
      blanksAsNull: false,
      truncateColumns: false,
      explicitIds: false,
      noLoad: false,
      roundDecimals: false,
    };
    let authorized = false;
    for (let token = this.peek(); token && token.value !== ';'; token = this.peek()) {
      authorized = this.option(command) || authorized;
    }
    if (this.peek()?.value === ';') this.at += 1;
    const extra = this.peek();
    if (extra) throw this.syntaxError(extra);
    this.validate(command, authorized);
    return command;
  }

  /** Reads one option; true when it was an authorization clause. */
  private option(command: CopyCommand): boolean {
    const token = this.next()!;
    if (token.kind !== 'word') throw this.syntaxError(token);
    const word = token.value;
    const flag = FLAGS[word];
    if (flag) {
      flag(command);
      return false;
    }
    switch (word) {
      case 'with':
        return false;
      case 'iam_role': {
        const role = this.peek();
        if (role?.kind === 'word' && role.value === 'default') {
          this.at += 1;
          command.authorization = { kind: 'iam_role', role: 'default' };
        } else {
          command.authorization = { kind: 'iam_role', role: this.expectString("a role ARN (IAM_ROLE 'arn:aws:iam::123456789012:role/name')") };
        }
        return true;
      }
      case 'credentials':
        this.optionalAs();
        this.expectString("the credentials string (CREDENTIALS 'aws_iam_role=arn:...')");
        command.authorization = { kind: 'credentials' };
        return true;
      case 'access_key_id':
      case 'secret_access_key':
      case 'session_token':
        this.optionalAs();
        this.expectString(`the ${word.toUpperCase()} value`);
        command.authorization = { kind: 'access_keys' };
        return true;
      case 'format':
        this.optionalAs();
        this.formatClause(command, this.next());
        return false;
      case 'json':
        this.formatClause(command, token);
        return false;
      case 'timeformat':
        this.optionalAs();
        command.timeFormat = this.expectString("a time format (TIMEFORMAT 'epochmillisecs')");
        return false;
      case 'dateformat':
        this.optionalAs();
        command.dateFormat = this.expectString("a date format (DATEFORMAT 'auto')");
        return false;
      case 'region':
        this.optionalAs();
        command.region = this.expectString("a region (REGION 'us-west-2')");
        return false;
      case 'maxerror':
        this.optionalAs();
        command.maxError = this.expectInteger('MAXERROR');
        return false;
      case 'acceptinvchars': {
        command.acceptInvChars = '?';
        const next = this.peek();
        if (next?.kind === 'word' && next.value === 'as') this.at += 1;
        if (this.peek()?.kind === 'string') command.acceptInvChars = this.next()!.value;
        return false;
      }
      case 'compupdate': {
        const next = this.peek();
        if (next?.kind === 'word' && ['on', 'off', 'true', 'false', 'preset'].includes(next.value)) this.at += 1;
        return false;
      }
      case 'statupdate': {
        // A bare STATUPDATE means ON.
        const next = this.peek();
        command.statUpdate = !(next?.kind === 'word' && (next.value === 'off' || next.value === 'false'));
        if (next?.kind === 'word' && ['on', 'off', 'true', 'false'].includes(next.value)) this.at += 1;
        return false;
      }
      case 'readratio':
      case 'comprows':
        this.expectInteger(word.toUpperCase());
        return false;
      default:
        if (NOT_FOR_JSON.has(word)) {
          throw new StatementFailure(`${word.toUpperCase()} argument is not supported for JSON based copy`, {
            code: FEATURE_NOT_SUPPORTED,
            position: token.position,
          });
        }
        throw this.syntaxError(token);
    }
  }

  private formatClause(command: CopyCommand, format: CopyToken | undefined): void {
    if (!format) throw this.endError('a format (FORMAT AS JSON)');
    if (format.kind !== 'word' || format.value !== 'json') {
      throw new StatementFailure(
        `FORMAT ${format.raw.toUpperCase()} is not supported by the Redshift emulator: it loads JSON only (FORMAT AS JSON 'auto' | 'auto ignorecase' | 's3://.../jsonpaths.json')`,
        { code: FEATURE_NOT_SUPPORTED, position: format.position },
      );
    }
    this.formatSeen = true;
    const next = this.peek();
    if (next?.kind === 'word' && next.value === 'as') this.at += 1;
    if (this.peek()?.kind !== 'string') return;
    const argument = this.next()!;
    const normal = argument.value.trim().toLowerCase().replace(/\s+/g, ' ');
    if (normal === 'auto') command.mapping = { mode: 'auto' };
    else if (normal === 'auto ignorecase') command.mapping = { mode: 'auto ignorecase' };
    else if (argument.value.startsWith('s3://')) command.mapping = { mode: 'jsonpaths', uri: argument.value.trim() };
    else {
      throw new StatementFailure(
        `Invalid JSON argument '${argument.value}': expected 'auto', 'auto ignorecase' or the s3:// URI of a JSONPaths file`,
        { code: SYNTAX_ERROR, position: argument.position },
      );
    }
  }

  private validate(command: CopyCommand, authorized: boolean): void {
    if (!this.formatSeen) {
      throw new StatementFailure(
        "The Redshift emulator loads JSON only: add FORMAT AS JSON 'auto' (or 'auto ignorecase', or a JSONPaths file)",
        { code: FEATURE_NOT_SUPPORTED },
      );
    }
    if (!authorized) {
      throw new StatementFailure("COPY needs credentials: add IAM_ROLE 'arn:aws:iam::<account>:role/<name>' (or IAM_ROLE default, or CREDENTIALS '...')", {
        code: '28000',
      });
    }
    const auth = command.authorization;
    if (auth.kind === 'iam_role' && auth.role !== 'default' && !/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(auth.role)) {
      throw new StatementFailure(`IAM_ROLE '${auth.role}' is not a role ARN: expected arn:aws:iam::<12-digit account>:role/<name>`, {
        code: '28000',
      });
    }
    if (!command.source.startsWith('s3://')) {
      throw new StatementFailure(
        `COPY from '${command.source}' is not supported by the Redshift emulator: it loads from s3://bucket/prefix only`,
        { code: FEATURE_NOT_SUPPORTED },
      );
    }
    if (command.maxError > MAX_MAXERROR) {
      throw new StatementFailure(`MAXERROR ${command.maxError} is out of range: the maximum is ${MAX_MAXERROR}`, { code: '22023' });
    }
  }

  private tableName(): { schema?: string; name: string } {
    const first = this.identifier('a table name');
    if (this.peek()?.value !== '.') return { name: first };
    this.at += 1;
    return { schema: first, name: this.identifier('a table name') };
  }

  private columnList(): string[] {
    this.at += 1; // (
    const columns = [this.identifier('a column name')];
    while (this.peek()?.value === ',') {
      this.at += 1;
      columns.push(this.identifier('a column name'));
    }
    const close = this.next();
    if (close?.value !== ')') throw close ? this.syntaxError(close) : this.endError("')'");
    return columns;
  }

  private identifier(what: string): string {
    const token = this.next();
    if (!token) throw this.endError(what);
    // Redshift folds unquoted names to lower case and, by default, quoted ones too.
    if (token.kind === 'word') return token.value;
    if (token.kind === 'quoted') return token.value.toLowerCase();
    throw this.syntaxError(token);
  }

  private optionalAs(): void {
    const next = this.peek();
    if (next?.kind === 'word' && next.value === 'as') this.at += 1;
  }

  private expectWord(word: string): void {
    const token = this.next();
    if (!token) throw this.endError(word.toUpperCase());
    if (token.kind !== 'word' || token.value !== word) throw this.syntaxError(token);
  }

  private expectString(what: string): string {
    const token = this.next();
    if (!token) throw this.endError(what);
    if (token.kind !== 'string') {
      throw new StatementFailure(`syntax error at or near "${token.raw}": expected ${what}`, { code: SYNTAX_ERROR, position: token.position });
    }
    return token.value;
  }

  private expectInteger(what: string): number {
    const token = this.next();
    if (!token) throw this.endError(`a number after ${what}`);
    if (token.kind !== 'number' || !/^\d+$/.test(token.value)) {
      throw new StatementFailure(`syntax error at or near "${token.raw}": ${what} takes a whole number`, {
        code: SYNTAX_ERROR,
        position: token.position,
      });
    }
    return Number(token.value);
  }

  private peek(): CopyToken | undefined {
    return this.tokens[this.at];
  }

  private next(): CopyToken | undefined {
    const token = this.tokens[this.at];
    if (token) this.at += 1;
    return token;
  }

  private syntaxError(token: CopyToken): StatementFailure {
    return new StatementFailure(`syntax error at or near "${token.raw}"`, { code: SYNTAX_ERROR, position: token.position });
  }

  private endError(what: string): StatementFailure {
    return new StatementFailure(`syntax error at end of input: expected ${what}`, { code: SYNTAX_ERROR });
  }
}
