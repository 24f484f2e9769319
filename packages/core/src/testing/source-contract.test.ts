import { describeSourceContract, SOURCE_CONTRACT_CASES } from './source-contract.js';

describe('describeSourceContract', () => {
  const factory = () => Promise.reject(new Error('never called'));

  it('refuses to skip a case that does not exist, so stale skips do not linger', () => {
    expect(() => describeSourceContract('x', factory, { skipTests: { 'no such case': 'why' } })).toThrow(/no such case/);
  });

  it('names its cases, once each', () => {
    expect(SOURCE_CONTRACT_CASES).toContain('aborting while reading stops with CancelledError');
    expect(new Set(SOURCE_CONTRACT_CASES).size).toBe(SOURCE_CONTRACT_CASES.length);
  });
});
