/**
 * `nos-sdk/browser`: File/Blob helpers for pages. Everything of `nos-sdk` is re-exported.
 * @module
 */
export * from './index.js'
export { LocalStorageCheckpointStore } from './adapters/browser/local-storage-store.js'
export type { StorageLike } from './adapters/browser/local-storage-store.js'
export { putPresigned } from './adapters/browser/presigned-upload.js'
export type { PutPresignedOptions, PutPresignedResult } from './adapters/browser/presigned-upload.js'
export { directUploadFile } from './adapters/browser/direct-upload-file.js'
export type { DirectUploadFileOptions } from './adapters/browser/direct-upload-file.js'
