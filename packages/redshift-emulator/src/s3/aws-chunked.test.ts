import { decodeAwsChunked, isAwsChunked } from './aws-chunked.js';

describe('aws-chunked bodies', () => {
  it('decodes signed and unsigned chunks with trailers', () => {
    const body = Buffer.from('5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n', 'latin1');
    expect(decodeAwsChunked(body).toString()).toBe('hello world');
  });

  it('refuses broken framing', () => {
    expect(() => decodeAwsChunked(Buffer.from('zz\r\nhello'))).toThrow('bad chunk size');
    expect(() => decodeAwsChunked(Buffer.from('9\r\nhello\r\n'))).toThrow('past the end');
  });

  it('recognises the framing from the headers', () => {
    expect(isAwsChunked({ 'content-encoding': 'aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).toBe(false);
  });
});
