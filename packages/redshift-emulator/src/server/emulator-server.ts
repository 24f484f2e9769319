import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from '@sparkify/redshift-json';
import type { CopyLoaderOptions } from '../copy/copy-loader.js';
import { RedshiftEmulator } from '../engine/redshift-emulator.js';
import type { FaultOptions } from '../engine/fault-injector.js';
import { FolderBuckets } from '../s3/folder-bucket-store.js';
import { S3Handler } from '../s3/s3-handler.js';
import { DATA_API_TARGET_PREFIX, handleDataApi } from './data-api-handler.js';
import { hasSigV4 } from './sigv4-header.js';

export interface EmulatorServerOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Folder served as S3, one bucket per sub-folder; COPY reads the same buckets. */
  s3Dir?: string;
  /** On-disk PGlite data folder (kept); in memory when absent (see `tempDataDir`). */
  dataDir?: string;
  /** Keep the data in a temporary folder removed on close (faster than memory for large loads). */
  tempDataDir?: boolean;
  /** Fraction (0..1) of Data API calls answered with ThrottlingException. */
  faultRate?: number;
  /** Delay before each statement runs, in milliseconds. */
  latencyMs?: number;
  /** Seed of the throttling sequence. */
  seed?: number;
  /** More buckets for COPY (in-memory stores), besides the S3 folder's. */
  buckets?: Readonly<Record<string, ObjectStore>>;
  /** Rows per GetStatementResult page. */
  pageSize?: number;
  faults?: Pick<FaultOptions, 'failStatement'>;
  copy?: CopyLoaderOptions;
}

export interface EmulatorServer {
  /** `http://127.0.0.1:<port>`: the `endpoint` of both SDK clients. */
  url: string;
  port: number;
  /** The engine behind the server, for tests that want to look inside. */
  emulator: RedshiftEmulator;
  /** Stops listening, ends open connections, closes the databases. */
  close(): Promise<void>;
}

/**
 * Starts the local Redshift: the Data API (AWS JSON 1.1, `POST /` with X-Amz-Target) and an S3
 * subset (path-style) on one port of 127.0.0.1, so the real `@aws-sdk/client-redshift-data` and
 * `@aws-sdk/client-s3` clients work against it through `endpoint`. Signatures are required in
 * form but not verified.
 */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const folders = options.s3Dir === undefined ? undefined : new FolderBuckets(options.s3Dir);
  const folderResolver = folders?.resolver();
  const extra = options.buckets ?? {};
  const emulator = new RedshiftEmulator({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.tempDataDir === undefined ? {} : { tempDataDir: options.tempDataDir }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.copy === undefined ? {} : { copy: options.copy }),
    buckets: (bucket) => (Object.hasOwn(extra, bucket) ? extra[bucket] : folderResolver?.(bucket)),
    faults: {
      ...(options.faultRate === undefined ? {} : { faultRate: options.faultRate }),
      ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...options.faults,
    },
  });
  const s3 = new S3Handler(folders);
  const server = createServer((request, response) => {
    void serve(request, response);
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const isDataApi = String(request.headers['x-amz-target'] ?? '').startsWith(DATA_API_TARGET_PREFIX);
    try {
      const body = await readBody(request);
      if (!hasSigV4(request, url)) {
        refuseUnsigned(response, isDataApi);
        return;
      }
      if (isDataApi && url.pathname === '/') await handleDataApi(emulator, request, response, body);
      else await s3.handle(request, response, url, body);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : String(error));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    emulator,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await emulator.close();
      })();
      return closing;
    },
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function refuseUnsigned(response: ServerResponse, dataApi: boolean): void {
  const message = 'Request is not signed: send an AWS Signature Version 4 Authorization header (any credentials work with the emulator).';
  if (dataApi) {
    const body = JSON.stringify({ __type: 'MissingAuthenticationTokenException', message });
    response.writeHead(403, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'MissingAuthenticationTokenException' });
    response.end(body);
    return;
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
  response.writeHead(403, { 'content-type': 'application/xml' });
  response.end(xml);
}
