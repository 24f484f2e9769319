import type { IncomingMessage } from 'node:http';

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[^/\s]+\/[^/\s]+\/aws4_request,\s*SignedHeaders=[a-z0-9;-]+,\s*Signature=[0-9a-f]{64}$/;

/**
 * Whether the request carries something shaped like an AWS Signature Version 4 (an Authorization
 * header, or presigned query parameters). The emulator does not verify signatures, which would
 * need the secret key, but it does refuse unsigned requests, so a client that forgot its
 * credentials fails here as it would against AWS.
 */
export function hasSigV4(request: IncomingMessage, url: URL): boolean {
  const header = request.headers.authorization;
  if (typeof header === 'string') return AUTHORIZATION.test(header.trim());
  return url.searchParams.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && /^[0-9a-f]{64}$/.test(url.searchParams.get('X-Amz-Signature') ?? '');
}
