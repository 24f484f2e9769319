import { classifyAwsFailure } from './aws-failure.js';

/** The SDK's retry layer, meeting an error of another realm, keeps only its text. */
const wrapped = (text: string) => new Error(`AWS SDK error wrapper for ${text}`);

describe('classifyAwsFailure', () => {
  it('reads a timeout as a network failure, thrown as is or wrapped as text', () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    expect(classifyAwsFailure(timeout)).toEqual({ kind: 'network', code: 'TimeoutError', message: 'socket hang up' });
    expect(classifyAwsFailure(wrapped('TimeoutError: socket hang up'))).toMatchObject({ kind: 'network', code: 'TimeoutError' });
  });

  it('finds a network code in a wrapped error\'s text', () => {
    expect(classifyAwsFailure(wrapped('Error: connect ECONNREFUSED 127.0.0.1:1'))).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it('keeps a wrapped service error\'s own name, and a credentials failure a credentials failure', () => {
    expect(classifyAwsFailure(wrapped('ValidationException: bad sql'))).toMatchObject({ kind: 'service', name: 'ValidationException' });
    expect(classifyAwsFailure(wrapped('CredentialsProviderError: none found'))).toMatchObject({ kind: 'credentials' });
  });

  it('reads a plain service error by its name and status', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(classifyAwsFailure(throttled)).toEqual({ kind: 'service', name: 'ThrottlingException', message: 'slow down', status: 400, retryable: true });
  });
});
