/**
 * Managed uploads: one PUT for small bodies, multipart above, with bounded concurrency and memory, progress,
 * pause (checkpoint) / resume (reconciled with ListParts, every skipped part checked against the source) and
 * abort that leaves nothing behind. The stages, in order (each in its own module of src/transfers/):
 *
 *   arguments (upload-args.ts) -> checkpoint to start from (session.ts) -> plan (plan.ts) ->
 *   one PUT (completion.ts) | session (session.ts) -> parts through the scheduler (send-parts.ts, scheduler.ts,
 *   hashing.ts) -> Complete, or pause / keep / abort (completion.ts)
 *
 * Memory: at most `concurrency` parts in flight plus the next one, read and hashed ahead (send-parts.ts), so a stream
 * of unknown length uses `(concurrency + 1) x partSize` plus one read-ahead chunk (or the multipart threshold, when it
 * is larger than a part).
 * Random-access sources read each part when it is sent.
 *
 * Retries: every request follows the client's one retry policy (retry-policy.ts); parts get its `partRetries`.
 * Non-idempotent requests whose answer was lost are confirmed, not retried blindly (operations/outcomes.ts).
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { ClientException } from '../core/errors.js'
import type { BodyInput } from '../core/body.js'
import type { ObjectHeaderOptions } from '../operations/common.js'
import { linkSignals } from '../core/signals.js'
import type { CheckpointStore, UploadCheckpoint } from './checkpoint.js'
import { completeUpload, failUpload, putWhole } from './completion.js'
import { PAUSE } from './pause.js'
import { planUpload, type UploadPlan } from './plan.js'
import { ProgressTracker, type UploadProgress } from './progress.js'
import { Scheduler } from './scheduler.js'
import { partsTotalOf, sendParts } from './send-parts.js'
import { loadCheckpoint, openSession, type PriorCheckpoint } from './session.js'
import type { UploadSource } from './sources.js'
import { instantUpload } from './instant-upload.js'
import { checkUploadArgs, type UploadArgs } from './upload-args.js'

export { DEFAULT_CONCURRENCY } from './upload-args.js'
export { DEFAULT_PART_RETRIES } from '../core/retry-policy.js'
export type { UploadProgress } from './progress.js'

/** Parameters of `upload`. */
export interface UploadParams extends ObjectHeaderOptions {
  bucket: string
  key: string
  /** Bytes, string, Blob/File, ReadableStream, async iterable (Node Readable), or an `UploadSource`. */
  body: BodyInput | UploadSource
  /**
   * Length of a stream body, when known. The stream must have exactly this many bytes: a shorter or longer one
   * fails with `InvalidArgument` and nothing is stored (no object, no parts).
   */
  contentLength?: number
  /** 16 KiB-100 MiB; default 8 MiB, or larger so that the object fits in 10,000 parts. */
  partSize?: number
  /** Parts in flight (1-64); default 4. */
  concurrency?: number
  /**
   * Bodies up to this size go in one PUT (at most 100 MiB); default: the part size. A stream up to this size is
   * read into memory first (its length must be known or checked before anything is sent).
   */
  multipartThreshold?: number
  onProgress?: (progress: UploadProgress) => void
  /** Aborts the upload and removes its parts from NOS. */
  signal?: AbortSignal
  metadata?: Record<string, string>
  contentType?: string
  /** Keep checkpoints here; an upload of the same source to the same key resumes from it. */
  checkpoint?: CheckpointStore
  /** Id of the checkpoint in the store; default derived from bucket and key (the source's fingerprint is checked). */
  checkpointId?: string
  /**
   * Resume from this checkpoint (e.g. the one `pause()` returned), checked like every argument: it must be for
   * this bucket, key, source and part size. Parts NOS holds are skipped only when their ETag is the MD5 of the
   * same range of the source; the others are sent again.
   */
  resume?: UploadCheckpoint
  /**
   * Retries of each part after its first attempt; default the client's retry policy `partRetries` (`maxRetries + 1`).
   * The same decision as every request (retry-policy.ts): no loop of the upload's own is stacked on it.
   */
  partRetries?: number
  /**
   * `x-nos-object-md5` on completion (NOS's deduplication hint, docs/protocol.md#deduplication-instant-upload): a hex
   * MD5 the caller knows, or `true` to compute it while uploading (every part is read, also the ones a resume skips).
   * Default false: the extra pass costs 10-15 % of upload throughput (bench/fig-upload.ts); parts carry Content-MD5
   * either way.
   */
  objectMd5?: boolean | string
  /** On failure, keep the uploaded parts (and the checkpoint) instead of aborting; default: true when `checkpoint` is given. */
  keepPartsOnError?: boolean
  /**
   * Instant upload: first ask NOS whether it holds identical content (by the object's MD5) and, if it does, create
   * the object from it without sending the bytes (the bucket's deduplication must be enabled, see
   * `putBucketDeduplication`). Needs the MD5 of the whole object: computed for bytes, Blobs and files (one extra read
   * of the source), given as `objectMd5` (hex) for a stream, which must then be the stream's true MD5. Default false.
   */
  deduplicate?: boolean
}

/** Result of `upload`. */
export interface UploadResult {
  requestId: string
  bucket: string
  key: string
  etag: string
  size: number
  /** Undefined for a single PUT. */
  uploadId: string | undefined
  partsTotal: number
  /** Parts actually sent in this session (resume skips the others). */
  partsSent: number
  /** With `deduplicate`: true when NOS created the object from content it held (no bytes sent), false when uploaded. */
  deduplicated?: boolean
}

/**
 * Runs an upload: the stages in order. `own` is the `ManagedUpload`'s signal (pause, abort); `onCheckpoint`
 * receives every checkpoint saved.
 */
export async function runUpload(cfg: NosConfig, p: UploadParams, own: AbortSignal, onCheckpoint: (cp: UploadCheckpoint) => void): Promise<UploadResult> {
  let args = checkUploadArgs(cfg, p)
  const link = linkSignals([args.signal, own])
  let release: (() => Promise<void>) | undefined
  try {
    link.signal.throwIfAborted()
    // One upload of a checkpoint at a time, also across processes sharing the store (FileCheckpointStore).
    release = await args.store?.lock?.(args.checkpointId)
    const prior = await loadCheckpoint(cfg, args)
    if (args.deduplicate && !prior?.compatible) {
      const instant = await instantUpload(cfg, args, prior, link.signal)
      if ('result' in instant) return instant.result
      args = instant.args
    }
    const plan = await planUpload(cfg, args, prior)
    const result = plan.mode === 'single' ? await putWhole(cfg, args, plan.bytes, prior, link.signal) : await multipart(cfg, args, plan, prior, link.signal, own, onCheckpoint)
    return args.deduplicate ? { ...result, deduplicated: false } : result
  } catch (e) {
    if (e === PAUSE) throw new ClientException(`upload of ${args.key} paused before any part was uploaded: nothing to resume, call upload() again`)
    throw e
  } finally {
    link.dispose()
    await release?.()
    if (args.source.kind === 'random') await args.source.close?.()
  }
}

/** The multipart stages: session, parts through the scheduler, then Complete, or what a failure leaves behind. */
async function multipart(
  cfg: NosConfig, args: UploadArgs, plan: Extract<UploadPlan, { mode: 'multipart' }>, prior: PriorCheckpoint | undefined,
  signal: AbortSignal, own: AbortSignal, onCheckpoint: (cp: UploadCheckpoint) => void,
): Promise<UploadResult> {
  let session
  try {
    session = await openSession(cfg, args, plan.partSize, prior, signal, onCheckpoint)
  } catch (e) {
    await plan.reader?.cancel(e)
    throw e
  }
  const progress = new ProgressTracker(args.onProgress, args.size, partsTotalOf(args.size, plan.partSize))
  const scheduler = new Scheduler(args.concurrency, signal)
  try {
    const objectMd5 = await sendParts(cfg, plan, session, scheduler, progress)
    await scheduler.drain()
    return await completeUpload(cfg, session, objectMd5, progress, signal)
  } catch (e) {
    scheduler.stop(e)
    await scheduler.close()
    await plan.reader?.cancel(e)
    throw await failUpload(cfg, session, e, signal.aborted ? signal.reason : undefined, own)
  } finally {
    await scheduler.close()
  }
}
