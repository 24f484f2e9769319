import { compareKeys } from '@sparkify/redshift-json';
import type { StoredObject } from './folder-bucket-store.js';

export interface ListObjectsRequest {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  /** Resume after this key or common prefix (decoded continuation token or start-after). */
  after?: string;
}

export interface ListObjectsPage {
  contents: StoredObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, to continue after. */
  last?: string;
}

/**
 * One page of ListObjectsV2 over objects sorted in key order: keys under `prefix`, with keys that
 * contain the delimiter after the prefix rolled up into common prefixes; keys and common prefixes
 * together count toward max-keys, as in S3.
 */
export function listPage(objects: readonly StoredObject[], request: ListObjectsRequest): ListObjectsPage {
  const page: ListObjectsPage = { contents: [], commonPrefixes: [], isTruncated: false };
  const { prefix, delimiter, after } = request;
  let count = 0;
  for (const object of objects) {
    if (!object.key.startsWith(prefix)) continue;
    const rollup = delimiter ? commonPrefixOf(object.key, prefix, delimiter) : undefined;
    const name = rollup ?? object.key;
    if (after !== undefined && compareKeys(name, after) <= 0) continue;
    if (rollup !== undefined && page.commonPrefixes[page.commonPrefixes.length - 1] === rollup) continue;
    if (count === request.maxKeys) {
      page.isTruncated = true;
      break;
    }
    if (rollup !== undefined) page.commonPrefixes.push(rollup);
    else page.contents.push(object);
    page.last = name;
    count += 1;
  }
  return page;
}

function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export function encodeContinuationToken(last: string): string {
  return Buffer.from(last, 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): string | undefined {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  return encodeContinuationToken(decoded) === token.replace(/=+$/, '') ? decoded : undefined;
}
