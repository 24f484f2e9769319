import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether an upload body uses S3's `aws-chunked` framing (streaming SigV4, or the SDK's
 * trailing checksums): `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0...\r\n[trailers]\r\n`.
 */
export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** The payload inside an aws-chunked body. Throws on malformed framing. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('aws-chunked body: missing chunk header');
    const header = body.subarray(at, lineEnd).toString('latin1');
    const size = Number.parseInt(header.split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new Error(`aws-chunked body: bad chunk size ${JSON.stringify(header)}`);
    at = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (at + size > body.length) throw new Error('aws-chunked body: chunk runs past the end');
    parts.push(body.subarray(at, at + size));
    at += size;
    if (body.subarray(at, at + 2).toString('latin1') !== '\r\n') throw new Error('aws-chunked body: chunk not followed by CRLF');
    at += 2;
  }
}
