/**
 * The janitor for multipart uploads that were never completed nor aborted.
 * @module
 */
import type { NosConfig } from '../config.js'
import { InvalidArgument, isNosErrorKind } from '../errors.js'
import { iterateMultipartUploads } from '../operations/listing.js'
import { abortMultipartUpload } from '../operations/multipart.js'
import { checkBucket, checkParams } from '../validate.js'

/** Parameters of `cleanupUploads`. */
export interface CleanupUploadsParams {
  bucket: string
  /** Only uploads of keys with this prefix. */
  prefix?: string
  /** Only uploads initiated more than this many ms ago (or before this date); default: all. */
  olderThan?: number | Date
  signal?: AbortSignal
}

/** Aborts stale multipart uploads; resolves with the ones aborted. */
export async function cleanupUploads(cfg: NosConfig, p: CleanupUploadsParams): Promise<{ key: string; uploadId: string }[]> {
  checkParams(p, 'cleanupUploads')
  const bucket = checkBucket(p.bucket)
  let cutoff = Infinity
  if (p.olderThan instanceof Date) cutoff = p.olderThan.getTime()
  else if (typeof p.olderThan === 'number' && p.olderThan >= 0) cutoff = cfg.now() - p.olderThan
  else if (p.olderThan !== undefined) throw new InvalidArgument('olderThan must be a Date or a non-negative number of milliseconds')
  const stale: { key: string; uploadId: string }[] = []
  for await (const u of iterateMultipartUploads(cfg, { bucket, prefix: p.prefix, signal: p.signal })) {
    if (p.prefix && !u.key.startsWith(p.prefix)) continue
    if (!(u.initiated.getTime() < cutoff) && cutoff !== Infinity) continue
    stale.push({ key: u.key, uploadId: u.uploadId })
  }
  for (const u of stale) {
    await abortMultipartUpload(cfg, { bucket, ...u, signal: p.signal }).catch((e) => {
      if (!isNosErrorKind(e, 'NotFoundError')) throw e
    })
  }
  return stale
}
