import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.js';
import { BUCKET_NAME, type FolderBucketStore, type FolderBuckets, type StoredObject } from './folder-bucket-store.js';
import { decodeContinuationToken, encodeContinuationToken, listPage } from './list-objects.js';
import { document, elements, errorDocument } from './s3-xml.js';

/** An S3 error answer. */
class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: [string, string | undefined][] = [],
  ) {
    super(message);
  }
}

const MAX_KEYS = 1000;

/**
 * The S3 calls a pipeline needs, path-style (`/<bucket>/<key>`), over a folder with one
 * sub-folder per bucket: ListBuckets, CreateBucket, HeadBucket, ListObjectsV2 (prefix,
 * delimiter, continuation-token, start-after, max-keys, encoding-type), GetObject (with Range),
 * HeadObject, PutObject (plain or aws-chunked bodies) and DeleteObject.
 */
export class S3Handler {
  constructor(private readonly buckets: FolderBuckets | undefined) {}

  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void> {
    try {
      await this.route(request, response, url, body);
    } catch (error) {
      const s3 = error instanceof S3Error ? error : new S3Error(500, 'InternalError', error instanceof Error ? error.message : String(error));
      sendError(response, request.method === 'HEAD', s3);
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const [bucketName, key] = splitPath(url.pathname);
    const method = request.method ?? 'GET';
    if (bucketName === undefined) {
      if (method !== 'GET') throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      return this.listBuckets(response);
    }
    if (key === undefined) {
      if (method === 'PUT') return this.createBucket(response, bucketName);
      const bucket = await this.bucket(bucketName);
      if (method === 'HEAD') return send(response, 200, {});
      if (method === 'GET') {
        if (url.searchParams.get('list-type') !== '2') {
          throw new S3Error(501, 'NotImplemented', 'Only ListObjectsV2 (list-type=2) is implemented by the emulator.');
        }
        return this.listObjects(response, bucket, url.searchParams);
      }
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    const bucket = await this.bucket(bucketName);
    switch (method) {
      case 'GET':
      case 'HEAD':
        return this.getObject(request, response, bucket, key, method === 'HEAD');
      case 'PUT':
        return this.putObject(request, response, bucket, key, body);
      case 'DELETE':
        await bucket.delete(key);
        return send(response, 204, {});
      default:
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  private async bucket(name: string): Promise<FolderBucketStore> {
    const bucket = await this.buckets?.get(name);
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', name]]);
    return bucket;
  }

  private async listBuckets(response: ServerResponse): Promise<void> {
    const names = (await this.buckets?.names()) ?? [];
    const buckets = names.map((b) => `<Bucket>${elements([['Name', b.name], ['CreationDate', b.created.toISOString()]])}</Bucket>`).join('');
    sendXml(response, 200, document('ListAllMyBucketsResult', `<Buckets>${buckets}</Buckets>`));
  }

  private async createBucket(response: ServerResponse, name: string): Promise<void> {
    if (!this.buckets) throw new S3Error(501, 'NotImplemented', 'The emulator was started without an S3 folder.');
    if (!BUCKET_NAME.test(name)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', [['BucketName', name]]);
    await this.buckets.create(name);
    send(response, 200, { location: `/${name}` });
  }

  private async listObjects(response: ServerResponse, bucket: FolderBucketStore, params: URLSearchParams): Promise<void> {
    const prefix = params.get('prefix') ?? '';
    const delimiter = params.get('delimiter') || undefined;
    const maxKeysText = params.get('max-keys');
    const maxKeys = maxKeysText === null ? MAX_KEYS : Number(maxKeysText);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new S3Error(400, 'InvalidArgument', 'max-keys must be a non-negative integer.');
    const token = params.get('continuation-token') ?? undefined;
    const startAfter = params.get('start-after') ?? undefined;
    let after = startAfter;
    if (token !== undefined) {
      after = decodeContinuationToken(token);
      if (after === undefined) throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect.');
    }
    const urlEncode = params.get('encoding-type') === 'url';
    const show = (text: string): string => (urlEncode ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
    const page = listPage(await bucket.listObjects(prefix), { prefix, maxKeys: Math.min(maxKeys, MAX_KEYS), ...(delimiter ? { delimiter } : {}), ...(after !== undefined ? { after } : {}) });
    const contents = page.contents.map(
      (o) =>
        `<Contents>${elements([['Key', show(o.key)], ['LastModified', o.lastModified.toISOString()], ['ETag', o.etag], ['Size', o.size], ['StorageClass', 'STANDARD']])}</Contents>`,
    );
    const prefixes = page.commonPrefixes.map((p) => `<CommonPrefixes>${elements([['Prefix', show(p)]])}</CommonPrefixes>`);
    const head = elements([
      ['Name', bucket.bucket],
      ['Prefix', show(prefix)],
      ['Delimiter', delimiter === undefined ? undefined : show(delimiter)],
      ['MaxKeys', maxKeys],
      ['KeyCount', page.contents.length + page.commonPrefixes.length],
      ['IsTruncated', page.isTruncated],
      ['ContinuationToken', token],
      ['NextContinuationToken', page.isTruncated && page.last !== undefined ? encodeContinuationToken(page.last) : undefined],
      ['StartAfter', startAfter === undefined ? undefined : show(startAfter)],
      ['EncodingType', urlEncode ? 'url' : undefined],
    ]);
    sendXml(response, 200, document('ListBucketResult', head + contents.join('') + prefixes.join('')));
  }

  private async getObject(request: IncomingMessage, response: ServerResponse, bucket: FolderBucketStore, key: string, headOnly: boolean): Promise<void> {
    const object = await bucket.head(key);
    if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
    const headers = objectHeaders(object);
    const range = parseRange(request.headers.range, object.size);
    if (range === 'unsatisfiable') {
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', [['ActualObjectSize', String(object.size)]]);
    }
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
      headers['content-length'] = String(range.end - range.start + 1);
    }
    response.writeHead(range ? 206 : 200, headers);
    if (headOnly || object.size === 0 || (range && range.end < range.start)) {
      response.end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? object.size - 1;
    await pipeline(Readable.from(bucket.openRange(key, start, end)), response);
  }

  private async putObject(request: IncomingMessage, response: ServerResponse, bucket: FolderBucketStore, key: string, raw: Buffer): Promise<void> {
    let content = raw;
    if (isAwsChunked(request.headers)) {
      try {
        content = decodeAwsChunked(raw);
      } catch (error) {
        throw new S3Error(400, 'IncompleteBody', error instanceof Error ? error.message : String(error));
      }
    }
    const md5 = request.headers['content-md5'];
    if (typeof md5 === 'string' && createHash('md5').update(content).digest('base64') !== md5) {
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    if (!bucket.fileOf(key)) throw new S3Error(400, 'InvalidArgument', `The key ${JSON.stringify(key)} cannot be stored by the emulator.`);
    const etag = await bucket.put(key, content);
    send(response, 200, { etag });
  }
}

function splitPath(pathname: string): [string | undefined, string | undefined] {
  const trimmed = pathname.replace(/^\/+/, '');
  if (trimmed === '') return [undefined, undefined];
  const slash = trimmed.indexOf('/');
  if (slash < 0) return [decodeURIComponent(trimmed), undefined];
  const key = trimmed.slice(slash + 1);
  return [decodeURIComponent(trimmed.slice(0, slash)), key === '' ? undefined : decodeURIComponent(key)];
}

function objectHeaders(object: StoredObject): Record<string, string> {
  return {
    'content-length': String(object.size),
    'content-type': object.key.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-request-id': randomUUID(),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range); undefined when absent or not a byte range. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'x-amz-request-id': randomUUID(), 'content-length': '0' });
  response.end();
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)), 'x-amz-request-id': randomUUID() });
  response.end(xml);
}

function sendError(response: ServerResponse, headOnly: boolean, error: S3Error): void {
  if (response.headersSent) {
    response.destroy(error);
    return;
  }
  const requestId = randomUUID();
  if (headOnly) {
    response.writeHead(error.status, { 'x-amz-request-id': requestId, 'content-length': '0' });
    response.end();
    return;
  }
  const xml = errorDocument(error.code, error.message, error.extra, requestId);
  response.writeHead(error.status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)), 'x-amz-request-id': requestId });
  response.end(xml);
}

