/**
 * The end of a managed upload: Complete (its outcome confirmed when a retry meets its own earlier success,
 * operations/outcomes.ts), or, on failure, pause (checkpoint kept), keep the parts for a later resume, or abort
 * the upload so that nothing is left behind.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { isNosErrorKind } from '../core/errors.js'
import { abortMultipartUpload, completeMultipartUpload } from '../operations/multipart.js'
import { putObject } from '../operations/objects.js'
import { PAUSE, UploadPausedError } from './pause.js'
import type { ProgressTracker } from './progress.js'
import { discardCheckpoint, type PriorCheckpoint, type UploadSession } from './session.js'
import { objectFields, type UploadArgs } from './upload-args.js'
import type { UploadResult } from './upload.js'

/** One PUT of the whole body; a stale checkpoint of the same destination is discarded afterwards. */
export async function putWhole(cfg: NosConfig, args: UploadArgs, bytes: Uint8Array, prior: PriorCheckpoint | undefined, signal: AbortSignal): Promise<UploadResult> {
  const { bucket, key } = args
  const size = bytes.length
  args.onProgress?.({ loaded: 0, total: size, partsDone: 0, partsTotal: 1 })
  // With `deduplicate`, objectMd5 is the MD5 instant upload asked NOS about: sent as Content-MD5, NOS learns it.
  const md5 = args.deduplicate && typeof args.objectMd5 === 'string' ? args.objectMd5 : undefined
  const r = await putObject(cfg, { bucket, key, body: bytes, ...objectFields(args), md5, signal })
  args.onProgress?.({ loaded: size, total: size, partsDone: 1, partsTotal: 1 })
  if (prior) await discardCheckpoint(cfg, args, prior.checkpoint)
  return { requestId: r.requestId, bucket, key, etag: r.etag, size, uploadId: undefined, partsTotal: 1, partsSent: 1 }
}

/** Completes the upload with every part, then forgets its checkpoint. */
export async function completeUpload(
  cfg: NosConfig, session: UploadSession, objectMd5: string | undefined, progress: ProgressTracker, signal: AbortSignal,
): Promise<UploadResult> {
  const args = session.args
  const { bucket, key } = args
  const parts = [...session.parts].sort((a, b) => a[0] - b[0])
  const size = parts.reduce((n, [, p]) => n + p.size, 0)
  const md5 = typeof args.objectMd5 === 'string' ? args.objectMd5.toLowerCase() : objectMd5
  const r = await completeMultipartUpload(
    cfg,
    { bucket, key, uploadId: session.uploadId, parts: parts.map(([partNum, p]) => ({ partNum, etag: p.etag })), objectMd5: md5, ...objectFields(args), signal },
    { size },
  )
  if (args.store) await args.store.remove(args.checkpointId)
  return { requestId: r.requestId, bucket, key, etag: r.etag, size, uploadId: session.uploadId, partsTotal: parts.length, partsSent: progress.partsSent }
}

/**
 * Decides what a failed upload leaves behind and returns the error to throw. Pause: the checkpoint
 * (`UploadPausedError`). A caller's abort, or an error in the caller's input (a stream whose length contradicts
 * `contentLength`, a file that shrank) can never be resumed: the upload is aborted. Otherwise parts are kept when
 * `keepPartsOnError` (default: when a checkpoint store is given), else aborted.
 */
export async function failUpload(cfg: NosConfig, session: UploadSession, error: unknown, reason: unknown, own: AbortSignal): Promise<unknown> {
  const args = session.args
  if (reason === PAUSE) {
    await session.save()
    return new UploadPausedError(session.snapshot())
  }
  const userAbort = args.signal?.aborted === true || (own.aborted && own.reason !== PAUSE)
  const inputError = isNosErrorKind(error, 'InvalidArgument') || isNosErrorKind(error, 'FileOpenModeError')
  const keep = !userAbort && !inputError && (args.keepPartsOnError ?? args.store !== undefined)
  if (keep) {
    await session.save().catch(() => {})
  } else {
    // Nothing is left behind: the parts are deleted (docs/architecture.md#managed-transfers-leave-nothing-behind).
    await abortMultipartUpload(cfg, { bucket: args.bucket, key: args.key, uploadId: session.uploadId }).catch(() => {})
    await args.store?.remove(args.checkpointId).catch(() => {})
  }
  if (args.signal?.aborted) return args.signal.reason
  return userAbort ? own.reason : error
}
