import type { ColumnType } from '@sparkify/core';
import type { CopyBuffer } from './copy-buffer.js';
import { binaryEncodable, compileBinaryRowEncoder, writeBinaryHeader, writeBinaryTrailer } from './copy-binary-encoder.js';
import { compileRowEncoder, DEFAULT_MARKER, type RowWriter } from './copy-text-encoder.js';

/** How the rows of a COPY reach Postgres: the statement's format options and the bytes around the rows. */
export interface CopyEncoding {
  format: 'binary' | 'text';
  /** The `WITH (...)` options of the `COPY ... FROM` statement. */
  options: string;
  /** Writes what comes before the first row (the binary header). */
  begin(out: CopyBuffer): void;
  writeRow: RowWriter;
  /** Writes what comes after the last row (the binary trailer). */
  end(out: CopyBuffer): void;
}

type EncodedColumn = { type: ColumnType; hasDefault: boolean };

/** Binary where it carries exactly what text does (see copy-binary-encoder.ts), else text. */
export function chooseEncoding(columns: readonly EncodedColumn[]): CopyEncoding {
  return binaryEncodable(columns) ? binaryEncoding(columns) : textEncoding(columns);
}

export function binaryEncoding(columns: readonly EncodedColumn[]): CopyEncoding {
  return { format: 'binary', options: 'FORMAT binary', begin: writeBinaryHeader, writeRow: compileBinaryRowEncoder(columns), end: writeBinaryTrailer };
}

export function textEncoding(columns: readonly EncodedColumn[]): CopyEncoding {
  const nothing = (): void => {};
  return {
    format: 'text',
    options: `FORMAT text, DEFAULT E'${DEFAULT_MARKER.replace(/\\/g, '\\\\')}'`,
    begin: nothing,
    writeRow: compileRowEncoder(columns),
    end: nothing,
  };
}
