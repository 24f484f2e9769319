// Test helpers of @sparkify/redshift-json (the `./testing` subpath).
export { MemoryObjectStore } from './memory-object-store.js';
export type { MemoryObjectStoreOptions } from './memory-object-store.js';
