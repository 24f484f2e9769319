// Test helpers of @sparkify/core (the `./testing` subpath): contract suites and small fakes.
export { describeSinkContract, memorySource, SINK_CONTRACT_CASES } from './testing/sink-contract.js';
export type { SinkContractFixture, SinkContractOptions } from './testing/sink-contract.js';
export { describeSourceContract, SOURCE_CONTRACT_CASES } from './testing/source-contract.js';
export type { SourceContractFactory, SourceContractFixture, SourceContractInput, SourceContractOptions } from './testing/source-contract.js';
export { recordingSink } from './testing/recording-sink.js';
