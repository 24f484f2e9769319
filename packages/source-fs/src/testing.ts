// Test helpers of @sparkify/source-fs (the `./testing` subpath).
export { writeFiles } from './write-files.js';
