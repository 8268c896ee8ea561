/**
 * Outcomes of non-idempotent requests whose answer was lost. The transport retries an attempt that got no answer
 * (or a 500); when NOS had performed it, the retry meets that attempt's effect: DELETE answers 404 `NoSuchKey`
 * (docs/protocol.md#objects), Move 404 because the source is gone (docs/protocol.md#objects), Complete and Abort 404
 * `NoSuchUpload` (docs/protocol.md#multipart-upload). Each case is confirmed here and resolved as the success it was;
 * when it cannot be confirmed, the error says that an earlier attempt may have succeeded. A retried Initiate
 * (docs/protocol.md#multipart-upload) cannot be confirmed: the lost answer carried the only copy of its upload id, so
 * that upload is orphaned until `cleanupUploads` collects it.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { utf8 } from '../core/encoding.js'
import { isNosErrorKind, type NOSException } from '../core/errors.js'
import { cleanEtag, requestIdOf, toInt } from '../core/response-fields.js'
import { send, type AttemptLog } from '../core/transport.js'

/** A fresh log for `send` to fill in. */
export function attemptLog(): AttemptLog {
  return { attempts: 0, ambiguous: false }
}

/** True when `e` is the 404 a retry meets after its lost attempt did `code`'s opposite (deleted, completed...). */
function metOwnEffect(e: unknown, log: AttemptLog, code: string): e is NOSException {
  return log.ambiguous && isNosErrorKind(e, 'NotFoundError') && (e as NOSException).errorCode === code
}

/**
 * Adds to the error's message that an attempt may have succeeded, when one went unanswered (the last one
 * included). The error keeps its class and fields.
 */
export function mayHaveSucceeded(e: unknown, log: AttemptLog, advice = ''): unknown {
  if (log.ambiguous && e instanceof Error && !/may have succeeded/.test(e.message)) {
    e.message += ` (an attempt of this request got no answer: it may have succeeded${advice ? `; ${advice}` : ''})`
  }
  return e
}

/** DELETE Object: `NoSuchKey` after a lost answer is the key that attempt deleted. */
export function deletedByLostAttempt(e: unknown, log: AttemptLog): { requestId: string } | undefined {
  return metOwnEffect(e, log, 'NoSuchKey') ? { requestId: e.requestId ?? '' } : undefined
}

/** Abort Multipart Upload: `NoSuchUpload` after a lost answer is the upload that attempt aborted. */
export function abortedByLostAttempt(e: unknown, log: AttemptLog): { requestId: string } | undefined {
  return metOwnEffect(e, log, 'NoSuchUpload') ? { requestId: e.requestId ?? '' } : undefined
}

/**
 * HEAD of an object for a confirmation; undefined when it does not exist. When the HEAD itself fails, throws the
 * original error `e` saying that `what` could not be checked (or the caller's abort).
 */
async function headOf(cfg: NosConfig, bucket: string, key: string, signal: AbortSignal | undefined, e: unknown, log: AttemptLog, what: string) {
  try {
    const res = await send(cfg, { method: 'HEAD', bucket, key, signal })
    return { requestId: requestIdOf(res), etag: cleanEtag(res.headers.get('etag')).toLowerCase(), size: toInt(res.headers.get('content-length')) }
  } catch (x) {
    if (isNosErrorKind(x, 'NotFoundError')) return undefined
    if (signal?.aborted) throw x
    throw mayHaveSucceeded(e, log, `${what} could not be checked`)
  }
}

/**
 * Move Object: a 404 after a lost answer, while the destination exists, is the move that attempt made (the source
 * is gone, the destination is there). Throws the move's error otherwise, saying what could not be confirmed.
 */
export async function confirmMove(
  cfg: NosConfig, p: { destBucket: string; destKey: string; signal?: AbortSignal | undefined }, e: unknown, log: AttemptLog,
): Promise<{ requestId: string }> {
  if (!log.ambiguous || !isNosErrorKind(e, 'NotFoundError')) throw mayHaveSucceeded(e, log)
  const dest = await headOf(cfg, p.destBucket, p.destKey, p.signal, e, log, 'the destination')
  if (dest) return { requestId: dest.requestId }
  throw mayHaveSucceeded(e, log, 'but the destination does not exist')
}

/** The multipart ETag NOS computes from the part ETags (docs/protocol.md#multipart-upload): md5 of `hex1-hex2-...-`. */
export async function multipartEtag(cfg: NosConfig, parts: readonly { partNum: number; etag: string }[]): Promise<string> {
  const h = await cfg.md5()
  const sorted = [...parts].sort((a, b) => a.partNum - b.partNum)
  h.update(utf8(sorted.map((x) => `${cleanEtag(x.etag).toLowerCase()}-`).join('')))
  return h.digestHex()
}

/**
 * Complete Multipart Upload: `NoSuchUpload` after a lost answer, while the object exists with the ETag these parts
 * make (and `size`, when known), is the completion that attempt made. Resolves with the object's ETag.
 */
export async function confirmComplete(
  cfg: NosConfig,
  p: { bucket: string; key: string; parts: readonly { partNum: number; etag: string }[]; signal?: AbortSignal | undefined },
  e: unknown, log: AttemptLog, size: number | undefined,
): Promise<{ requestId: string; etag: string }> {
  if (!metOwnEffect(e, log, 'NoSuchUpload')) throw mayHaveSucceeded(e, log)
  const obj = await headOf(cfg, p.bucket, p.key, p.signal, e, log, 'the object')
  // GET/HEAD may add a `-<N>` suffix to a multipart ETag (docs/protocol.md#multipart-upload).
  const etag = obj?.etag.replace(/-\d+$/, '')
  if (obj && etag === (await multipartEtag(cfg, p.parts)) && (size === undefined || obj.size === size)) return { requestId: obj.requestId, etag: etag! }
  throw mayHaveSucceeded(e, log, obj ? 'the object found has another ETag or size' : 'but the object does not exist')
}
