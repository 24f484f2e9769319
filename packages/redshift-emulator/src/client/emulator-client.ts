import { randomUUID } from 'node:crypto';
import { validationError } from '../engine/data-api-errors.js';
import { DATA_API_OPERATIONS, type DataApiOperationName, type DataApiOperations } from '../engine/data-api-types.js';

/** What an SDK command looks like from outside: `new ExecuteStatementCommand(input)`. */
export interface CommandLike {
  input: object;
}

/** The slice of `RedshiftDataClient` that pipelines call: `send(command)`. */
export interface EmulatorClient {
  /** Runs an SDK command (ExecuteStatementCommand, ...) on the emulator, in process. */
  send<Output = unknown>(command: CommandLike, options?: { abortSignal?: AbortSignal }): Promise<Output>;
  destroy(): void;
}

/**
 * A stand-in for `RedshiftDataClient` that runs the real SDK command objects on an in-process
 * emulator, without HTTP: code that depends on a narrow `send` port gets the same outputs
 * (plus `$metadata`) and the same error names as from the real client.
 */
export function createEmulatorClient(emulator: DataApiOperations): EmulatorClient {
  return {
    async send<Output>(command: CommandLike, options: { abortSignal?: AbortSignal } = {}): Promise<Output> {
      if (options.abortSignal?.aborted) {
        const error = new Error('Request aborted');
        error.name = 'AbortError';
        throw error;
      }
      const name = operationOf(command);
      const method = DATA_API_OPERATIONS[name];
      const run = emulator[method] as (input: unknown) => Promise<object>;
      const output = await run.call(emulator, command.input);
      return { ...output, $metadata: { httpStatusCode: 200, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 } } as Output;
    },
    destroy() {},
  };
}

function operationOf(command: CommandLike): DataApiOperationName {
  const fromClass = command.constructor.name.replace(/Command$/, '');
  if (Object.hasOwn(DATA_API_OPERATIONS, fromClass)) return fromClass as DataApiOperationName;
  // SDK commands also carry their operation in their schema: [kind, namespace, name, ...].
  const schema = (command as { schema?: unknown }).schema;
  const fromSchema = Array.isArray(schema) && typeof schema[2] === 'string' ? schema[2] : '';
  if (Object.hasOwn(DATA_API_OPERATIONS, fromSchema)) return fromSchema as DataApiOperationName;
  throw validationError(`The emulator does not implement ${command.constructor.name}: it runs ${Object.keys(DATA_API_OPERATIONS).join(', ')}.`);
}
