import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DataApiError } from '../engine/data-api-errors.js';
import { DATA_API_OPERATIONS, type DataApiOperationName, type DataApiOperations } from '../engine/data-api-types.js';

export const DATA_API_TARGET_PREFIX = 'RedshiftData.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * Serves the Redshift Data API's AWS JSON 1.1 protocol: `POST /` with
 * `X-Amz-Target: RedshiftData.<Operation>` and a JSON body; answers JSON, timestamps as epoch
 * seconds, errors as `{"__type": ..., "message": ...}` with the status the SDK expects.
 */
export async function handleDataApi(operations: DataApiOperations, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const target = String(request.headers['x-amz-target'] ?? '');
  const name = target.slice(DATA_API_TARGET_PREFIX.length);
  if (request.method !== 'POST') {
    sendError(response, 405, 'UnknownOperationException', `${request.method} is not supported: the Data API takes POST /`);
    return;
  }
  if (!Object.hasOwn(DATA_API_OPERATIONS, name)) {
    sendError(response, 400, 'UnknownOperationException', `Unknown operation ${target}`);
    return;
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    sendError(response, 400, 'SerializationException', 'The request body is not valid JSON.');
    return;
  }
  const method = DATA_API_OPERATIONS[name as DataApiOperationName];
  try {
    const output = await (operations[method] as (input: unknown) => Promise<unknown>).call(operations, input);
    send(response, 200, JSON.stringify(output, dateAsEpochSeconds));
  } catch (error) {
    if (error instanceof DataApiError) {
      send(response, error.httpStatus, JSON.stringify(error.toJSON()), error.name);
    } else {
      sendError(response, 500, 'InternalServerException', error instanceof Error ? error.message : String(error));
    }
  }
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  send(response, status, JSON.stringify({ __type: type, message, Message: message }), type);
}

function send(response: ServerResponse, status: number, json: string, errorType?: string): void {
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(json);
}

/** AWS JSON protocols send timestamps as (fractional) epoch seconds. */
function dateAsEpochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}
