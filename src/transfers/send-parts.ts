/**
 * Sending the parts of a multipart upload through the scheduler. Each part is read (a random-access source reads
 * it one part ahead of a free slot, so memory stays `(concurrency + 1) x partSize`), hashed when its MD5 is needed, and skipped
 * only when NOS already holds a part with the same size and ETag (the part's MD5, docs/protocol.md#multipart-upload): a
 * source changed since the checkpoint re-sends the parts that differ instead of completing with stale ones.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { InvalidArgument } from '../core/errors.js'
import { uploadPart } from '../operations/multipart.js'
import { hashInSteps } from './hashing.js'
import type { UploadPlan } from './plan.js'
import { ProgressTracker } from './progress.js'
import type { Scheduler } from './scheduler.js'
import type { UploadSession } from './session.js'
import { MAX_PART_NUMBER } from '../core/limits.js'

/** One part ready to go: its bytes (for hashing), the body to send, and how to give its memory back. */
interface Part {
  partNum: number
  bytes: Uint8Array
  body: Uint8Array | Blob
  release?: (() => void) | undefined
}

type MultipartPlan = Extract<UploadPlan, { mode: 'multipart' }>

/** Number of parts when the size is known. */
export function partsTotalOf(size: number | undefined, partSize: number): number | undefined {
  return size === undefined ? undefined : Math.max(1, Math.ceil(size / partSize))
}

/** The parts of a random-access source, read one at a time. */
function randomParts(cfg: NosConfig, session: UploadSession): () => Promise<Part | undefined> {
  const src = session.args.source
  if (src.kind !== 'random') throw new TypeError('randomParts needs a random-access source')
  const total = partsTotalOf(src.size, session.partSize)!
  let n = 0
  return async () => {
    if (++n > total) return undefined
    const start = (n - 1) * session.partSize
    const slice = await src.read(start, Math.min(src.size, start + session.partSize))
    const bytes = slice instanceof Uint8Array ? slice : new Uint8Array(await slice.arrayBuffer())
    // Browsers send a Blob slice ~4x faster than the same bytes (and then need not keep them): the bytes are read
    // for the MD5s only.
    return { partNum: n, bytes, body: slice instanceof Uint8Array || cfg.streamRequestBodies ? bytes : slice }
  }
}

/** The parts of a stream: those read while planning, then the rest. */
function streamParts(plan: MultipartPlan): () => Promise<Part | undefined> {
  const reader = plan.reader!
  let n = 0
  return async () => {
    const bytes = plan.head.shift() ?? (await reader.next())
    if (!bytes || (bytes.length === 0 && n > 0)) return undefined
    if (++n > MAX_PART_NUMBER) throw new InvalidArgument(`the stream is longer than ${MAX_PART_NUMBER} parts of ${plan.partSize} bytes: pass a larger partSize`)
    return { partNum: n, bytes, body: bytes, release: () => reader.recycle(bytes) }
  }
}

/** A part read and hashed, waiting for a slot; `listed` is what NOS already holds under its number (resume). */
interface Prepared {
  part: Part
  md5: string | undefined
  listed: { etag: string; size: number } | undefined
}

/**
 * Sends every part not yet on NOS; resolves once all are started (the caller drains the scheduler) with the hex
 * MD5 of the whole object when `objectMd5: true` (every part is read, skipped ones included, so it is complete).
 *
 * One part is read and hashed ahead, while the parts in flight are on the wire: when a slot frees, the next part
 * starts at once instead of after its MD5 (bench/fig-upload.ts). Memory: `concurrency + 1` parts.
 */
export async function sendParts(cfg: NosConfig, plan: MultipartPlan, session: UploadSession, scheduler: Scheduler, progress: ProgressTracker): Promise<string | undefined> {
  const args = session.args
  const whole = args.objectMd5 === true ? await cfg.md5() : undefined
  // Parts get the policy's part budget: the same decision as every request, more attempts, no second loop.
  const partCfg: NosConfig = { ...cfg, retry: { ...cfg.retry, maxRetries: args.partRetries } }
  const next = args.source.kind === 'random' ? randomParts(cfg, session) : streamParts(plan)
  const prepare = async (): Promise<Prepared | undefined> => {
    const part = await next()
    if (!part) return undefined
    if (whole) await hashInSteps(cfg, whole, part.bytes)
    const listed = session.listed.get(part.partNum)
    // Only when Content-MD5 is sent (client option contentMd5) or a listed part is to be checked: hashing is most
    // of an upload's client CPU.
    const md5 = listed || cfg.contentMd5 ? (await hashInSteps(cfg, await cfg.md5(), part.bytes)).digestHex() : undefined
    return { part, md5, listed }
  }
  const ahead = () => {
    const p = prepare()
    p.catch(() => {}) // awaited below; left behind only when the scheduler stopped (its error is the one thrown)
    return p
  }
  progress.emit()
  await scheduler.slot()
  for (let coming = ahead(); ; ) {
    // A part read ahead may wait on its source (a stream left open): stopping the scheduler must not wait for it.
    const ready = await unlessStopped(coming, scheduler.signal)
    if (!ready) break
    const { part, md5, listed } = ready
    if (listed && listed.size === part.bytes.length && listed.etag === md5) {
      session.parts.set(part.partNum, listed)
      progress.done(part.partNum, listed.size, false)
      part.release?.()
      coming = ahead()
      continue
    }
    await scheduler.slot()
    scheduler.start((signal) => sendPart(partCfg, session, part, md5, signal, progress))
    coming = ahead()
  }
  return whole?.digestHex()
}

/** `p`, or the signal's reason as soon as it aborts (the listener removed either way). */
function unlessStopped<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

async function sendPart(cfg: NosConfig, session: UploadSession, part: Part, md5: string | undefined, signal: AbortSignal, progress: ProgressTracker): Promise<void> {
  const { bucket, key } = session.args
  const n = part.partNum
  progress.sending(n, 0)
  const onSent = progress.report ? (sent: number) => progress.sending(n, sent) : undefined
  const r = await uploadPart(cfg, { bucket, key, uploadId: session.uploadId, partNum: n, body: part.body, md5, signal, onSent })
  part.release?.() // no attempt of this part is running any more: its bytes may be reused
  session.parts.set(n, { etag: r.etag.toLowerCase(), size: part.bytes.length })
  progress.done(n, part.bytes.length, true)
  await session.save()
}
