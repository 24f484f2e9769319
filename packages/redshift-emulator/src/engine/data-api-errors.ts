/** The error names the Data API answers with (its `__type`), as the SDK's exception classes name them. */
export type DataApiErrorName =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ActiveStatementsExceededException'
  | 'ActiveSessionsExceededException'
  | 'ExecuteStatementException'
  | 'BatchExecuteStatementException'
  | 'DatabaseConnectionException'
  | 'InternalServerException'
  | 'ThrottlingException';

const SERVER_FAULTS = new Set<DataApiErrorName>([
  'ExecuteStatementException',
  'BatchExecuteStatementException',
  'DatabaseConnectionException',
  'InternalServerException',
]);

/**
 * An error of a Data API call, shaped like the SDK's service exceptions (`name`, `$fault`,
 * `$metadata.httpStatusCode`, `Message`), so code that handles the real client's errors by name
 * handles the in-process emulator's the same way.
 */
export class DataApiError extends Error {
  override readonly name: DataApiErrorName;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };
  readonly Message: string;
  /** Extra members of the error shape: `ResourceId`, `StatementId`. */
  readonly members: Record<string, string>;

  constructor(name: DataApiErrorName, message: string, members: Record<string, string> = {}) {
    super(message);
    this.name = name;
    this.Message = message;
    this.members = members;
    this.$fault = SERVER_FAULTS.has(name) ? 'server' : 'client';
    this.$metadata = { httpStatusCode: this.$fault === 'server' ? 500 : 400 };
  }

  get httpStatus(): number {
    return this.$metadata.httpStatusCode;
  }

  /** The AWS JSON 1.1 error body. */
  toJSON(): Record<string, string> {
    return { __type: this.name, message: this.message, Message: this.message, ...this.members };
  }
}

export function validationError(message: string): DataApiError {
  return new DataApiError('ValidationException', message);
}

export function statementNotFound(id: string): DataApiError {
  return new DataApiError('ResourceNotFoundException', `Query does not exist: ${id}`, { ResourceId: id });
}
