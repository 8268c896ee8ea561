/**
 * `nos-sdk/node`: the client with `node:crypto` MD5 and HMAC, files as upload sources, file checkpoints and
 * resumable downloads. Everything of `nos-sdk` (its Node build, src/index-node.ts) is re-exported, so one import is
 * enough in Node (and in Bun or Deno).
 * @module
 */
import { NosClient as NodeCoreClient } from './adapters/node/node-client.js'
import { fileSource } from './adapters/node/file-source.js'
import { downloadFile, type DownloadFileParams, type DownloadFileResult } from './adapters/node/download.js'
import type { ManagedUpload } from './transfers/managed-upload.js'
import type { UploadParams } from './transfers/upload.js'

export * from './index-node.js'
export { createNodeMd5 } from './adapters/node/md5.js'
export { fileSource } from './adapters/node/file-source.js'
export { FileCheckpointStore } from './adapters/node/checkpoint-store.js'
export { UploadInProgressError } from './adapters/node/checkpoint-lock.js'
export type { LockOwner } from './adapters/node/checkpoint-lock.js'
export { downloadFile, ObjectChangedError, RangeIgnoredError } from './adapters/node/download.js'
export type { DownloadFileParams, DownloadFileResult } from './adapters/node/download.js'

/**
 * The NOS client for Node: MD5 through `node:crypto` by default, plus file helpers.
 * @example
 * import { NosClient, FileCheckpointStore } from 'nos-sdk/node'
 * const client = new NosClient({ accessKeyId, accessKeySecret })
 * await client.uploadFile({ bucket: 'my-bucket', key: 'big.iso', path: './big.iso', checkpoint: new FileCheckpointStore('.ckpt') }) // type-check only: reads a file
 */
export class NosClient extends NodeCoreClient {
  /**
   * Uploads a file (multipart when larger than the part size), reading each part when it is sent.
   * @example await client.uploadFile({ bucket: 'my-bucket', key: 'k', path: './file.bin', onProgress: console.log }) // type-check only: reads a file
   */
  async uploadFile(p: Omit<UploadParams, 'body'> & { path: string }): Promise<Awaited<ManagedUpload>> {
    const { path, ...rest } = p
    return this.upload({ ...rest, body: await fileSource(path) })
  }

  /**
   * Downloads an object to a file with parallel ranged GETs, resuming a previous partial download.
   * @example await client.downloadFile({ bucket: 'my-bucket', key: 'k', path: './file.bin', concurrency: 8 }) // type-check only: writes a file
   */
  downloadFile(p: DownloadFileParams): Promise<DownloadFileResult> {
    return downloadFile(this, p)
  }
}
