// The public surface of @sparkify/source-fs: the JSON source over a local folder.
export { FsObjectStore } from './fs-object-store.js';
export type { FsObjectStoreOptions } from './fs-object-store.js';
export { sourceFsPlugin, sourceFsConfigSchema, createFsJsonSource, splitPrefixPath } from './plugin.js';
export type { SourceFsConfig } from './plugin.js';
