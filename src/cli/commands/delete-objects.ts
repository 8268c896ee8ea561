/**
 * Removal of many objects: every key under a prefix, one multi-delete (1000 keys) per listing page, and every
 * pending multipart upload of a bucket. Used by `rm --recursive` and `rb --force`.
 * @module
 */
import { MAX_DELETE_KEYS, MAX_LIST_LIMIT } from '../../core/limits.js'
import { isNosErrorKind, type CleanupUploadsError, type MultiObjectDeleteException, type NosClient } from '../../node.js'
import type { Failure } from '../errors.js'
import { formatUri } from '../uri.js'

/** Page size of the listing = keys per multi-delete request (the NOS maximum, docs/protocol.md#objects). */
const BATCH = Math.min(MAX_LIST_LIMIT, MAX_DELETE_KEYS)
/** Uploads listed per round of `abortAllUploads` (one listing per 100 aborts costs little). */
const UPLOADS_PER_ROUND = 100

/** What `deletePrefix` reports as it goes. */
export interface DeleteHandlers {
  /** Keys NOS confirmed deleted (or, with `dryrun`, that would be). */
  onDeleted: (keys: string[]) => void
  /** A key NOS did not delete: a per-key error of the multi-delete (NoSuchKey included), or a failed request. */
  onFailed: (f: Failure) => void
  /** Stop after the first failure. */
  failFast?: boolean
  dryrun?: boolean
}

function keyFailures(bucket: string, keys: string[], e: unknown): { failed: Failure[]; deleted: string[] } {
  if (!isNosErrorKind(e, 'MultiObjectDeleteException')) {
    return { failed: keys.map((k) => ({ subject: formatUri(bucket, k), error: e })), deleted: [] }
  }
  const errors = (e as MultiObjectDeleteException).errors
  const bad = new Set(errors.map((x) => x.key))
  // A listed key that NOS reports as NoSuchKey was not deleted by this command: a failure, not "delete:".
  const failed = errors.map((x) => ({ subject: formatUri(bucket, x.key), error: new Error(`not deleted: ${x.code}${x.message ? ` (${x.message})` : ''}`) }))
  return { failed, deleted: keys.filter((k) => !bad.has(k)) }
}

/**
 * Deletes up to 1000 keys in one multi-delete request; resolves with the keys NOS confirmed and the failures
 * (per-key errors, or every key when the request itself failed). Rejects only when `signal` aborted it.
 */
export async function deleteKeys(client: NosClient, bucket: string, keys: string[], signal: AbortSignal): Promise<{ deleted: string[]; failed: Failure[] }> {
  try {
    await client.deleteObjects({ bucket, keys, quiet: true, signal })
    return { deleted: keys, failed: [] }
  } catch (e) {
    if (signal.aborted) throw e
    return keyFailures(bucket, keys, e)
  }
}

/**
 * Deletes every key under `prefix` as the listing pages arrive; resolves with the number of keys listed.
 * Each page is deleted before the next is asked for: the marker (the page's last key) still orders correctly,
 * and keys that failed stay behind the marker, so the listing never loops.
 */
export async function deletePrefix(client: NosClient, bucket: string, prefix: string, signal: AbortSignal, h: DeleteHandlers): Promise<number> {
  let listed = 0
  for await (const page of client.iterateObjectPages({ bucket, prefix: prefix || undefined, limit: BATCH, signal })) {
    const keys = page.contents.map((c) => c.key)
    if (!keys.length) continue
    listed += keys.length
    if (h.dryrun) {
      h.onDeleted(keys)
      continue
    }
    const result = await deleteKeys(client, bucket, keys, signal)
    if (result.deleted.length) h.onDeleted(result.deleted)
    for (const f of result.failed) h.onFailed(f)
    if (h.failFast && result.failed.length) break
  }
  return listed
}

/**
 * Aborts every pending multipart upload of a bucket through `cleanupUploads`, which lists from the start again after
 * each page until none is left (so it never depends on the listing's pagination, docs/protocol.md#listing-multipart-uploads) and reports, instead of
 * looping, uploads whose abort keeps failing: those come back as failures, one per upload.
 */
export async function abortAllUploads(client: NosClient, bucket: string, signal: AbortSignal): Promise<{ aborted: number; failed: Failure[] }> {
  try {
    return { aborted: (await client.cleanupUploads({ bucket, pageSize: UPLOADS_PER_ROUND, signal })).length, failed: [] }
  } catch (e) {
    if (signal.aborted || !isNosErrorKind(e, 'CleanupUploadsError')) throw e
    const { aborted, failed } = e as CleanupUploadsError
    const subject = (f: { key: string; uploadId: string }) => `${formatUri(bucket, f.key)} (multipart upload ${f.uploadId})`
    return { aborted: aborted.length, failed: failed.map((f) => ({ subject: subject(f), error: f.error })) }
  }
}
