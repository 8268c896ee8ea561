/**
 * The janitor for multipart uploads that were never completed nor aborted.
 *
 * It must leave nothing that matches behind whatever the server's pagination does: NOS documents only `key-marker`
 * (docs/protocol.md#listing-multipart-uploads), and a server that ignores `upload-id-marker` skips the uploads of a
 * key beyond the first page. So each round lists from the start, aborts the first page's matching uploads, and lists
 * again from the start, until a full listing holds nothing that matches. Each upload gets a bounded number of abort
 * attempts, so an abort that keeps failing (or an upload still listed after its abort) ends in an error naming it,
 * never in a loop.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { ClientException, InvalidArgument, isNosErrorKind } from '../core/errors.js'
import { iterateMultipartUploadPages } from '../operations/listing.js'
import { abortMultipartUpload } from '../operations/multipart.js'
import type { UploadInfo } from '../operations/multipart-listing.js'
import { checkBucket, checkParams, optInt } from '../core/validate.js'
import { Scheduler } from './scheduler.js'
import { MAX_LIST_LIMIT } from '../core/limits.js'

/** Parameters of `cleanupUploads`. */
export interface CleanupUploadsParams {
  bucket: string
  /** Only uploads of keys with this prefix. */
  prefix?: string
  /** Only uploads initiated more than this many ms ago (or before this date); default: all. */
  olderThan?: number | Date
  /** Uploads listed per request, 1-1000; default 1000. */
  pageSize?: number
  signal?: AbortSignal
}

/** One upload `cleanupUploads` aborted, or could not abort. */
export interface CleanedUpload {
  key: string
  uploadId: string
}

/** Abort attempts per upload (each one a request under the retry policy) before it is reported as not aborted. */
export const CLEANUP_ABORT_ATTEMPTS = 3
/** Abort requests in flight at once. */
const ABORTS_AT_ONCE = 8

/** Some uploads could not be aborted; `aborted` lists those that were, `failed` the others with their last error. */
export class CleanupUploadsError extends ClientException {
  constructor(readonly aborted: CleanedUpload[], readonly failed: (CleanedUpload & { error: unknown })[], bucket: string) {
    const shown = failed.slice(0, 5).map((f) => `${f.key} (${f.uploadId}): ${f.error instanceof Error ? f.error.message : String(f.error)}`)
    super(
      `cleanupUploads(${bucket}): ${failed.length} upload(s) could not be aborted after ${CLEANUP_ABORT_ATTEMPTS} attempts each ` +
        `(${aborted.length} were): ${shown.join('; ')}${failed.length > 5 ? '; ...' : ''}`,
      { resource: `/${bucket}/?uploads`, cause: failed[0]?.error },
    )
  }
}
Object.defineProperty(CleanupUploadsError.prototype, 'name', { value: 'CleanupUploadsError', writable: true, configurable: true })

function cutoffOf(cfg: NosConfig, olderThan: unknown): number {
  if (olderThan === undefined) return Infinity
  if (olderThan instanceof Date && !Number.isNaN(olderThan.getTime())) return olderThan.getTime()
  if (typeof olderThan === 'number' && olderThan >= 0) return cfg.now() - olderThan
  throw new InvalidArgument('olderThan must be a Date or a non-negative number of milliseconds')
}

/** What one cleanup has done so far, by upload id. */
interface Tally {
  /** Aborted (or found gone) and not listed since. */
  done: Map<string, CleanedUpload>
  attempts: Map<string, number>
  /** Why the last attempt did not remove the upload. */
  lastError: Map<string, { upload: CleanedUpload; error: unknown }>
}

/**
 * Aborts `batch`, `ABORTS_AT_ONCE` at a time (the transfers' scheduler); a 404 counts as aborted (it is gone), other
 * errors are kept for the report and the others go on. Only an abort of `signal` stops the batch.
 */
async function abortBatch(cfg: NosConfig, bucket: string, batch: UploadInfo[], tally: Tally, signal: AbortSignal | undefined): Promise<void> {
  const pool = new Scheduler(ABORTS_AT_ONCE, signal)
  try {
    for (const { key, uploadId } of batch) {
      await pool.run(async (aborted) => {
        tally.attempts.set(uploadId, (tally.attempts.get(uploadId) ?? 0) + 1)
        try {
          await abortMultipartUpload(cfg, { bucket, key, uploadId, signal: aborted })
        } catch (e) {
          if (aborted.aborted) throw e
          if (!isNosErrorKind(e, 'NotFoundError')) return void tally.lastError.set(uploadId, { upload: { key, uploadId }, error: e })
        }
        tally.done.set(uploadId, { key, uploadId })
      })
    }
    await pool.drain()
  } finally {
    await pool.close()
  }
}

/** Notes uploads listed again after their abort succeeded: the abort did not remove them. */
function relisted(tally: Tally, uploads: UploadInfo[]): void {
  for (const { key, uploadId } of uploads) {
    if (!tally.done.delete(uploadId)) continue
    tally.lastError.set(uploadId, { upload: { key, uploadId }, error: new ClientException(`still listed after it was aborted`) })
  }
}

/**
 * Aborts stale multipart uploads; resolves with the ones aborted. Rejects with `CleanupUploadsError` when some
 * could not be aborted (after `CLEANUP_ABORT_ATTEMPTS` attempts each); the others are aborted all the same.
 * @example
 * await cleanupUploads(cfg, { bucket: 'my-bucket', prefix: 'tmp/', olderThan: 24 * 3600 * 1000 })
 */
export async function cleanupUploads(cfg: NosConfig, p: CleanupUploadsParams): Promise<CleanedUpload[]> {
  checkParams(p, 'cleanupUploads')
  const bucket = checkBucket(p.bucket)
  const cutoff = cutoffOf(cfg, p.olderThan)
  const limit = optInt(p.pageSize, 'pageSize', 1, MAX_LIST_LIMIT) ?? MAX_LIST_LIMIT
  const tally: Tally = { done: new Map(), attempts: new Map(), lastError: new Map() }
  // Worth an attempt while it has attempts left: an upload still listed after them is reported, not tried again.
  const matches = (u: UploadInfo) =>
    (!p.prefix || u.key.startsWith(p.prefix)) && (cutoff === Infinity || u.initiated.getTime() < cutoff) && (tally.attempts.get(u.uploadId) ?? 0) < CLEANUP_ABORT_ATTEMPTS
  // The uploads of the last round: a full listing in which nothing matched any more.
  const listed = new Set<string>()
  for (let found = true; found; ) {
    found = false
    listed.clear()
    for await (const page of iterateMultipartUploadPages(cfg, { bucket, prefix: p.prefix, limit, signal: p.signal })) {
      relisted(tally, page.uploads)
      for (const u of page.uploads) listed.add(u.uploadId)
      const batch = page.uploads.filter(matches)
      if (!batch.length) continue
      await abortBatch(cfg, bucket, batch, tally, p.signal)
      found = true
      break
    }
  }
  const aborted = [...tally.done.values()]
  // An upload whose attempts failed but that is no longer listed is gone all the same.
  const failed = [...tally.lastError].filter(([id]) => !tally.done.has(id) && listed.has(id)).map(([, f]) => ({ ...f.upload, error: f.error }))
  if (failed.length) throw new CleanupUploadsError(aborted, failed, bucket)
  return aborted
}
