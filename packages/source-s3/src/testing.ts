// Test helpers of @sparkify/source-s3 (the `./testing` subpath).
export { MemoryS3Port } from './memory-s3-port.js';
export type { MemoryS3Calls } from './memory-s3-port.js';
