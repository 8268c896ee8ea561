/**
 * Managed uploads: one PUT for small bodies, multipart above, with bounded concurrency and memory, progress,
 * per-part retries, pause (checkpoint) / resume (reconciled with ListParts) and abort that leaves nothing behind.
 *
 * Memory: at most `concurrency` parts are held at once, so a stream of unknown length uses
 * `concurrency x partSize` plus one read-ahead chunk. Random-access sources read each part when it is sent.
 * @module
 */
import { isCheckpoint, type CheckpointStore, type UploadCheckpoint } from './checkpoint.js'
import type { NosConfig } from './config.js'
import { ClientException, InvalidArgument, isAbortError, isNosErrorKind, ConnectionError, ServiceException } from './errors.js'
import type { BodyInput } from './body.js'
import { iterateParts } from './operations/listing.js'
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  uploadPart,
} from './operations/multipart.js'
import { putObject } from './operations/objects.js'
import { storedHeaders, type ObjectHeaderOptions } from './operations/common.js'
import { retryDelay } from './transport.js'
import { PartReader, toSource, type UploadSource } from './sources.js'
import { choosePartSize } from './part-size.js'
import { fingerprint, hashInSteps, md5Of, readBytes } from './upload-hashing.js'
import { MAX_PART_NUMBER, MAX_PUT_SIZE, checkBucket, checkKey, checkParams, metadataHeaders } from './validate.js'

/** Default number of parts in flight. Memory bound = concurrency x partSize. */
export const DEFAULT_CONCURRENCY = 4
/** Default extra attempts per part, on top of the transport's own retries. */
export const DEFAULT_PART_RETRIES = 3

/** Progress of a managed upload. */
export interface UploadProgress {
  loaded: number
  /** Undefined while a stream's length is unknown. */
  total: number | undefined
  partsDone: number
  partsTotal: number | undefined
}

/** Parameters of `upload`. */
export interface UploadParams extends ObjectHeaderOptions {
  bucket: string
  key: string
  /** Bytes, string, Blob/File, ReadableStream, async iterable (Node Readable), or an `UploadSource`. */
  body: BodyInput | UploadSource
  /** Length of a stream body, when known. */
  contentLength?: number
  /** 16 KiB-100 MiB; default 8 MiB, or larger so that the object fits in 10,000 parts. */
  partSize?: number
  /** Parts in flight (1-64); default 4. */
  concurrency?: number
  /** Bodies up to this size go in one PUT (at most 100 MiB); default: the part size. */
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
  /** Resume from this checkpoint (e.g. the one `pause()` returned). */
  resume?: UploadCheckpoint
  /** Extra attempts per part; default 3. */
  partRetries?: number
  /**
   * `x-nos-object-md5` on completion (NOS's deduplication hint, nos-protocol.md §7.10): a hex MD5 the caller knows,
   * or `true` to compute it while uploading (sent when every byte went through this session). Default false: the
   * extra pass costs 10-15 % of upload throughput (bench/fig-upload.ts); parts carry Content-MD5 either way.
   */
  objectMd5?: boolean | string
  /** On failure, keep the uploaded parts (and the checkpoint) instead of aborting; default: true when `checkpoint` is given. */
  keepPartsOnError?: boolean
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
}

/** The upload was paused; `checkpoint` resumes it. */
export class UploadPausedError extends ClientException {
  constructor(readonly checkpoint: UploadCheckpoint) {
    super(`upload of ${checkpoint.key} paused with ${checkpoint.parts.length} part(s) done; resume with upload({ ..., resume: checkpoint })`)
  }
}
Object.defineProperty(UploadPausedError.prototype, 'name', { value: 'UploadPausedError', writable: true, configurable: true })

const PAUSE = Symbol('pause')



/** A running upload: await it, or `pause()` / `abort()` it. */
export class ManagedUpload implements Promise<UploadResult> {
  readonly [Symbol.toStringTag] = 'ManagedUpload'
  /** Settles with the result, or rejects (with `UploadPausedError` after `pause()`). */
  readonly done: Promise<UploadResult>
  readonly #ctrl = new AbortController()
  #checkpoint: UploadCheckpoint | undefined
  #pauseWaiters: ((cp: UploadCheckpoint) => void)[] = []

  constructor(cfg: NosConfig, params: UploadParams) {
    this.done = runUpload(cfg, params, this.#ctrl.signal, (cp) => (this.#checkpoint = cp))
    this.done.catch((e) => {
      if (e instanceof UploadPausedError) for (const w of this.#pauseWaiters) w(e.checkpoint)
    })
  }

  then<R1 = UploadResult, R2 = never>(
    onFulfilled?: ((value: UploadResult) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.done.then(onFulfilled, onRejected)
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<UploadResult | R> {
    return this.done.catch(onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<UploadResult> {
    return this.done.finally(onFinally)
  }

  /** The latest checkpoint (undefined before the multipart upload starts or for a single PUT). */
  get checkpoint(): UploadCheckpoint | undefined {
    return this.#checkpoint
  }

  /**
   * Stops sending, keeps the uploaded parts on NOS and resolves with the checkpoint; the upload's own promise
   * rejects with `UploadPausedError`. Resume with `upload({ ...sameParams, resume: checkpoint })`.
   */
  pause(): Promise<UploadCheckpoint> {
    const p = new Promise<UploadCheckpoint>((resolve, reject) => {
      this.#pauseWaiters.push(resolve)
      this.done.then(() => reject(new ClientException('upload finished before it could be paused')), (e) => {
        if (!(e instanceof UploadPausedError)) reject(e)
      })
    })
    this.#ctrl.abort(PAUSE)
    return p
  }

  /** Aborts the upload and deletes its parts; resolves once NOS has been told. */
  async abort(): Promise<void> {
    this.#ctrl.abort(new DOMException('upload aborted', 'AbortError'))
    await this.done.catch(() => {})
  }
}

function linkSignals(user: AbortSignal | undefined, own: AbortSignal): AbortController {
  const ctrl = new AbortController()
  const forward = (s: AbortSignal) => () => ctrl.abort(s.reason)
  if (user?.aborted) ctrl.abort(user.reason)
  else user?.addEventListener('abort', forward(user), { once: true })
  if (own.aborted) ctrl.abort(own.reason)
  else own.addEventListener('abort', forward(own), { once: true })
  return ctrl
}

function isRetryable(e: unknown): boolean {
  if (isAbortError(e)) return false
  if (e instanceof ConnectionError) return true
  return e instanceof ServiceException && (e.statusCode ?? 0) >= 500
}

async function runUpload(cfg: NosConfig, p: UploadParams, own: AbortSignal, onCheckpoint: (cp: UploadCheckpoint) => void): Promise<UploadResult> {
  checkParams(p, 'upload')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  metadataHeaders(p.metadata)
  storedHeaders(p)
  const concurrency = p.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new InvalidArgument(`concurrency must be an integer from 1 to 64, got ${String(p.concurrency)}`)
  const partRetries = p.partRetries ?? DEFAULT_PART_RETRIES
  if (!Number.isInteger(partRetries) || partRetries < 0) throw new InvalidArgument(`partRetries must be a non-negative integer, got ${String(p.partRetries)}`)
  if (typeof p.objectMd5 === 'string' && !/^[0-9a-f]{32}$/i.test(p.objectMd5)) throw new InvalidArgument('objectMd5 must be true, false or 32 hex characters')
  if (p.resume !== undefined && !isCheckpoint(p.resume)) throw new InvalidArgument('resume must be a checkpoint returned by pause() or a checkpoint store')
  const src = toSource(p.body, p.contentLength)
  const size = src.size
  let partSize = choosePartSize(size, p.resume?.partSize ?? p.partSize)
  const threshold = Math.min(p.multipartThreshold ?? partSize, MAX_PUT_SIZE)
  const linked = linkSignals(p.signal, own)
  const signal = linked.signal
  signal.throwIfAborted()
  const report = p.onProgress
  const total = size

  // ---- one PUT ----
  const single = async (bytes: Uint8Array): Promise<UploadResult> => {
    report?.({ loaded: 0, total: bytes.length, partsDone: 0, partsTotal: 1 })
    const r = await putObject(cfg, { bucket, key, body: bytes, metadata: p.metadata, contentType: p.contentType, cacheControl: p.cacheControl, contentDisposition: p.contentDisposition, signal })
    report?.({ loaded: bytes.length, total: bytes.length, partsDone: 1, partsTotal: 1 })
    return { requestId: r.requestId, bucket, key, etag: r.etag, size: bytes.length, uploadId: undefined, partsTotal: 1, partsSent: 1 }
  }
  let reader: PartReader | undefined
  let firstPart: Uint8Array | undefined
  if (!p.resume) {
    if (src.kind === 'random' && src.size <= threshold) return single(await readBytes(src, 0, src.size))
    if (src.kind === 'sequential') {
      reader = new PartReader(src.stream, partSize)
      if (src.size !== undefined && src.size <= threshold) return single((await reader.next()) ?? new Uint8Array(0))
      if (src.size === undefined) {
        firstPart = (await reader.next()) ?? new Uint8Array(0)
        if (firstPart.length < partSize || (await reader.atEnd())) {
          if (firstPart.length <= threshold) return single(firstPart)
        }
      }
    }
  }

  // ---- multipart ----
  const fp = await fingerprint(src, cfg.md5)
  // One checkpoint per destination: a changed source then finds the old upload (and aborts it) instead of
  // orphaning it under another id.
  const cpId = p.checkpointId ?? `nos-upload:${bucket}:${key}`
  const store = p.checkpoint
  let cp = p.resume ?? (store ? await store.load(cpId) : undefined)
  const done = new Map<number, { etag: string; size: number }>()
  let uploadId: string | undefined
  if (cp && cp.bucket === bucket && cp.key === key && cp.fingerprint === fp && (p.partSize === undefined || p.partSize === cp.partSize)) {
    partSize = cp.partSize
    try {
      for await (const part of iterateParts(cfg, { bucket, key, uploadId: cp.uploadId, signal })) done.set(part.partNum, { etag: part.etag, size: part.size })
      uploadId = cp.uploadId
    } catch (e) {
      if (!isNosErrorKind(e, 'NotFoundError')) throw e
      done.clear() // the upload is gone (completed or aborted): start again
    }
  } else if (cp && store) {
    // A stale checkpoint for another source or part size: its upload would be orphaned, so abort it.
    await abortMultipartUpload(cfg, { bucket: cp.bucket, key: cp.key, uploadId: cp.uploadId }).catch(() => {})
    await store.remove(cpId)
  }
  if (!uploadId) {
    done.clear()
    const init = await createMultipartUpload(cfg, { bucket, key, metadata: p.metadata, contentType: p.contentType, cacheControl: p.cacheControl, contentDisposition: p.contentDisposition, signal })
    uploadId = init.uploadId
  }
  const partsTotal = size === undefined ? undefined : Math.max(1, Math.ceil(size / partSize))
  const expectedSize = (n: number) => (size === undefined ? partSize : Math.min(partSize, size - (n - 1) * partSize))
  cp = { version: 1, bucket, key, uploadId, partSize, size, fingerprint: fp, parts: [], createdAt: cp?.createdAt ?? new Date(cfg.now()).toISOString() }
  const parts = new Map<number, { etag: string; size: number }>()
  // Saves are chained: parts finish concurrently, and a store must never see two writes at once.
  let saving: Promise<void> = Promise.resolve()
  const saveCheckpoint = () => {
    cp!.parts = [...parts].map(([partNum, v]) => ({ partNum, ...v })).sort((a, b) => a.partNum - b.partNum)
    const snapshot = structuredCloneCheckpoint(cp!)
    onCheckpoint(snapshot)
    saving = saving.catch(() => {}).then(() => store?.save(cpId, snapshot))
    return saving
  }
  await saveCheckpoint()

  const whole = p.objectMd5 === true ? cfg.md5() : undefined
  let wholeComplete = whole !== undefined
  let loadedDone = 0
  const inFlight = new Map<number, number>()
  let partsDone = 0
  let partsSent = 0
  const emit = () => {
    if (!report) return
    let loaded = loadedDone
    for (const v of inFlight.values()) loaded += v
    report({ loaded, total, partsDone, partsTotal })
  }

  const sendPart = async (partNum: number, body: Uint8Array | Blob, md5: string | undefined) => {
    for (let attempt = 0; ; attempt++) {
      try {
        inFlight.set(partNum, 0)
        const r = await uploadPart(cfg, {
          bucket, key, uploadId: uploadId!, partNum, body, md5, signal,
          onSent: report ? (n) => (inFlight.set(partNum, n), emit()) : undefined,
        })
        return r.etag
      } catch (e) {
        inFlight.set(partNum, 0)
        if (signal.aborted || attempt >= partRetries || !isRetryable(e)) throw e
        await new Promise((r) => setTimeout(r, retryDelay(attempt, cfg.retryBaseDelay, cfg.retryMaxDelay, cfg.random)))
      }
    }
  }

  const running = new Set<Promise<void>>()
  let failure: unknown
  const start = (partNum: number, bytes: Uint8Array, body: Uint8Array | Blob = bytes, release?: () => void) => {
    const size = bytes.length
    const task = (async () => {
      // Only when Content-MD5 is sent (client option contentMd5): hashing is most of an upload's client CPU.
      const md5 = cfg.contentMd5 ? await hashInSteps(cfg, cfg.md5(), bytes).then((h) => h.digestHex()) : undefined
      const etag = await sendPart(partNum, body, md5)
      release?.() // no attempt of this part is running any more: its bytes may be reused
      inFlight.delete(partNum)
      parts.set(partNum, { etag, size })
      loadedDone += size
      partsDone++
      partsSent++
      emit()
      await saveCheckpoint()
    })().catch((e) => {
      failure ??= e
      linked.abort(e)
    })
    running.add(task)
    task.finally(() => running.delete(task))
  }
  const slot = async () => {
    while (running.size >= concurrency) await Promise.race(running)
  }
  const skip = (partNum: number, prev: { etag: string; size: number }) => {
    parts.set(partNum, prev)
    loadedDone += prev.size
    partsDone++
    emit()
  }

  try {
    emit()
    if (src.kind === 'random') {
      for (let n = 1; n <= partsTotal!; n++) {
        const prev = done.get(n)
        if (prev && prev.size === expectedSize(n)) {
          wholeComplete = false // skipped bytes are not hashed
          skip(n, prev)
          continue
        }
        await slot()
        if (signal.aborted) break
        const s = (n - 1) * partSize
        const slice = await src.read(s, Math.min(src.size, s + partSize))
        const bytes = slice instanceof Uint8Array ? slice : new Uint8Array(await slice.arrayBuffer())
        if (whole) await hashInSteps(cfg, whole, bytes)
        if (signal.aborted) break
        // Browsers send a Blob slice ~4x faster than the same bytes (and then need not keep them): the bytes are
        // read once for the MD5s only.
        start(n, bytes, slice instanceof Uint8Array || cfg.streamRequestBodies ? bytes : slice)
      }
    } else {
      reader ??= new PartReader(src.stream, partSize)
      for (let n = 1; ; n++) {
        await slot()
        if (signal.aborted) break
        const bytes = n === 1 && firstPart ? firstPart : await reader.next()
        firstPart = undefined
        if (!bytes || (bytes.length === 0 && n > 1)) break
        if (n > MAX_PART_NUMBER) throw new InvalidArgument(`stream is longer than ${MAX_PART_NUMBER} parts of ${partSize} bytes: pass a larger partSize`)
        if (whole) await hashInSteps(cfg, whole, bytes)
        if (signal.aborted) break
        const prev = done.get(n)
        if (prev && prev.size === bytes.length && prev.etag === md5Of(cfg, bytes)) {
          skip(n, prev)
          continue
        }
        start(n, bytes, bytes, () => reader!.recycle(bytes))
      }
    }
    await Promise.all(running)
    if (failure !== undefined) throw failure
    signal.throwIfAborted()
    const list = [...parts].map(([partNum, v]) => ({ partNum, etag: v.etag }))
    const objectMd5 = typeof p.objectMd5 === 'string' ? p.objectMd5.toLowerCase() : whole && wholeComplete ? whole.digestHex() : undefined
    const result = await completeMultipartUpload(cfg, {
      bucket, key, uploadId, parts: list, objectMd5, metadata: p.metadata, contentType: p.contentType, cacheControl: p.cacheControl, contentDisposition: p.contentDisposition, signal,
    })
    if (store) await store.remove(cpId)
    const finalSize = [...parts.values()].reduce((a, v) => a + v.size, 0)
    return { requestId: result.requestId, bucket, key, etag: result.etag, size: finalSize, uploadId, partsTotal: parts.size, partsSent }
  } catch (e) {
    linked.abort(e)
    await Promise.allSettled(running)
    await reader?.cancel(e)
    const reason = signal.reason
    if (reason === PAUSE) {
      await saveCheckpoint()
      throw new UploadPausedError(structuredCloneCheckpoint(cp))
    }
    const userAbort = p.signal?.aborted || (own.aborted && own.reason !== PAUSE)
    const keep = !userAbort && (p.keepPartsOnError ?? store !== undefined)
    if (!keep) {
      // Nothing is left behind: the parts are deleted (DESIGN: a failed or aborted upload leaves no orphans).
      await abortMultipartUpload(cfg, { bucket, key, uploadId }).catch(() => {})
      if (store) await store.remove(cpId).catch(() => {})
    } else {
      await saveCheckpoint().catch(() => {})
    }
    throw userAbort && p.signal?.aborted ? p.signal.reason : userAbort ? own.reason : failure ?? e
  } finally {
    if (src.kind === 'random') await src.close?.()
  }
}

function structuredCloneCheckpoint(cp: UploadCheckpoint): UploadCheckpoint {
  return JSON.parse(JSON.stringify(cp)) as UploadCheckpoint
}

