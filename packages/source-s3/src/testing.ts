// Test helpers of @sparkify/source-s3 (the `./testing` subpath).
export { MemoryS3Port } from './memory-s3-port.js';
export type { MemoryS3Calls } from './memory-s3-port.js';
export { UDACITY_SAMPLE, UDACITY_SAMPLE_ROWS, stagingEventsTable, stagingSongsTable, memoryBucket } from './udacity-sample.js';
