/**
 * One direct upload from start to end (docs/protocol.md#direct-upload): resume from a checkpoint (the offset
 * query is the authority), then chunk after chunk, each POST retried on network errors and 5xx after asking NOS
 * where it stands (an answer may have been lost after the chunk was stored), failing over to the next edge node,
 * asking for a fresh token after a 403 when the caller gave a token function, and starting over once when NOS
 * forgot the context. The MD5 of the whole body is computed on the way (the prefix is re-read on resume) and
 * sent with the last chunk, so NOS refuses an object whose bytes differ from the source's.
 * @module
 */
import { buildUrl, parseEndpoint } from '../core/endpoint.js'
import { ClientException, isNosErrorKind } from '../core/errors.js'
import type { Md5Hasher } from '../core/md5.js'
import type { ChunkSource } from './chunks.js'
import { checkpointIdOf, isDirectUploadCheckpoint } from './checkpoint.js'
import { edgeRequest, type EdgeReply } from './http.js'
import { edgeNodes, forgetEdgeNodes } from './lbs.js'
import type { DirectPlan } from './options.js'
import { chunkRetry, sleep } from './retry.js'
import type { DirectConfig, DirectUploadCheckpoint, DirectUploadResult } from './types.js'

/** Runs one upload; `onCheckpoint` sees every checkpoint saved (for `pause()`). */
export class DirectSession {
  context: string | undefined
  offset = 0
  #sent = 0
  #resumed = false
  #createdAt: string
  #hasher: Md5Hasher | undefined
  #hashedTo = 0
  /** End of the bytes sent so far (NOS cannot hold more). */
  #sentTo = 0
  /** The last chunk sent was the completing one. */
  #completing = false
  #md5: string | undefined
  #nodes: string[] = []
  #node = 0
  #token: string
  #refreshed = false
  #restarted = false
  #realigns = 0
  /** The last chunk's answer is unknown (lost, or an error): ask NOS for the offset before sending again. */
  #uncertain = false
  #inflight = 0
  #requestId = ''
  readonly #id: string | undefined

  constructor(
    readonly cfg: DirectConfig,
    readonly plan: DirectPlan,
    readonly chunks: ChunkSource,
    readonly signal: AbortSignal,
    readonly fingerprint: string | undefined,
    readonly onCheckpoint: (cp: DirectUploadCheckpoint) => void,
  ) {
    this.#token = plan.token
    this.#md5 = plan.objectMd5
    this.#id = fingerprint === undefined ? undefined : (plan.params.checkpointId ?? checkpointIdOf(fingerprint))
    this.#createdAt = new Date(cfg.now()).toISOString()
  }

  /** Uploads every chunk and resolves with the result; a store that locks (files) holds this checkpoint meanwhile. */
  async run(): Promise<DirectUploadResult> {
    const release = this.#id ? await this.plan.params.checkpoint?.lock?.(this.#id) : undefined
    try {
      return await this.#run()
    } finally {
      await release?.()
    }
  }

  async #run(): Promise<DirectUploadResult> {
    const { endpoint, bucket, lbsEndpoint, lbsFallback, lbsTtlMs } = this.plan
    // Made here, not in the constructor: an MD5 factory may load its code first (md5.ts).
    if (!this.plan.objectMd5) this.#hasher = await this.cfg.md5()
    this.#nodes = endpoint ? [endpoint] : await edgeNodes(this.cfg, { bucket, lbsEndpoint, lbsFallback, ttlMs: lbsTtlMs, signal: this.signal })
    await this.#resume()
    this.#emit()
    for (let done = false; !done; ) {
      try {
        done = await this.#withRetries(() => this.#step())
        this.#realigns = 0
      } catch (e) {
        if (!(await this.#recover(e))) throw e
      }
    }
    if (this.#id) await this.plan.params.checkpoint?.remove(this.#id)
    const { key } = this.plan
    return { requestId: this.#requestId, bucket, key, etag: this.#md5!, size: this.offset, resumed: this.#resumed, bytesSent: this.#sent }
  }

  #url(query: Record<string, string | null | undefined>): string {
    return buildUrl(parseEndpoint(this.#nodes[this.#node]!, false, true), this.plan.bucket, this.plan.key, query)
  }

  #emit(): void {
    this.plan.params.onProgress?.({ loaded: this.offset + this.#inflight, total: this.chunks.size, confirmed: this.offset })
  }

  /** Retries (same node, backoff), then the next node; a 403 asks the token function once per success. */
  async #withRetries<T>(op: () => Promise<T>): Promise<T> {
    const retry = chunkRetry(this.cfg)
    for (let attempt = 0; ; ) {
      try {
        return await op()
      } catch (e) {
        if (this.signal.aborted) throw this.signal.reason
        this.#inflight = 0
        if (isNosErrorKind(e, 'ForbiddenError') && this.plan.refresh && !this.#refreshed) {
          this.#refreshed = true
          this.#token = await this.plan.refresh()
          continue
        }
        if (!retry.retryable(e)) throw e
        if (attempt >= retry.maxRetries) {
          if (this.#node + 1 >= this.#nodes.length) throw e
          this.#node++
          forgetEdgeNodes(this.plan.lbsEndpoint, this.plan.bucket)
          attempt = 0
          continue
        }
        await sleep(retry.delay(attempt++), this.signal)
      }
    }
  }

  /** Errors a fresh look at NOS can fix: a forgotten context (start over once), an offset NOS disputes. */
  async #recover(e: unknown): Promise<boolean> {
    if (this.signal.aborted || this.context === undefined) return false
    if (isNosErrorKind(e, 'NotFoundError') && !this.#restarted && this.plan.source.kind === 'random') {
      this.#restarted = true
      this.context = undefined
      this.offset = 0
      this.#uncertain = false
      if (this.#id) await this.plan.params.checkpoint?.remove(this.#id)
      return true
    }
    // A refused completion is final: NOS holds other bytes than the source's MD5 says (the source changed).
    if (isNosErrorKind(e, 'BadRequestError') && !this.#completing && this.#realigns++ < 2) {
      this.#uncertain = true
      return true
    }
    return false
  }

  /** NOS's offset for a context (at most `max`: the bytes it can have); 404 when the context is gone. */
  async #queryOffset(context: string, max: number): Promise<number> {
    const headers = { 'x-nos-token': this.#token }
    const reply = await edgeRequest(this.cfg, { method: 'GET', url: this.#url({ uploadContext: null, version: '1.0', context }), headers, signal: this.signal })
    const offset = reply.json['offset']
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset > max) {
      throw new ClientException(`the edge node answered an impossible offset ${JSON.stringify(offset)} (at most ${max} bytes can be there)`)
    }
    return offset
  }

  /** Continues from a stored checkpoint when it is this source's and NOS still knows its context. */
  async #resume(): Promise<void> {
    const store = this.plan.params.checkpoint
    const cp = this.plan.params.resume ?? (this.#id && store ? await store.load(this.#id) : undefined)
    if (cp === undefined || this.fingerprint === undefined) return
    const { bucket, key } = this.plan
    if (isDirectUploadCheckpoint(cp) && cp.bucket === bucket && cp.key === key && cp.fingerprint === this.fingerprint && cp.size === this.chunks.size) {
      try {
        this.offset = await this.#withRetries(() => this.#queryOffset(cp.context, cp.size))
        this.#sentTo = this.offset
        await this.#hashTo(this.offset)
        this.context = cp.context
        this.#resumed = true
        this.#createdAt = cp.createdAt
        return
      } catch (e) {
        if (!isNosErrorKind(e, 'NotFoundError')) throw e
      }
    }
    if (this.#id) await store?.remove(this.#id)
  }

  /** Feeds the whole-body MD5 up to `end`: from `bytes` (read at `at`) where they reach, else re-read (on resume). */
  async #hashTo(end: number, at = end, bytes?: Uint8Array): Promise<void> {
    if (!this.#hasher) return
    while (this.#hashedTo < end) {
      const own = bytes !== undefined && at <= this.#hashedTo
      const src = own ? bytes : (await this.chunks.read(this.#hashedTo)).bytes
      const from = own ? this.#hashedTo - at : 0
      const piece = src.subarray(from, from + end - this.#hashedTo)
      if (piece.length === 0) throw new ClientException(`the source ended at byte ${this.#hashedTo}, before ${end}`)
      this.#hasher.update(piece)
      this.#hashedTo += piece.length
    }
  }

  /** Sends the chunk at `offset`; true once the last one is stored. */
  async #step(): Promise<boolean> {
    if (this.#uncertain && this.context !== undefined) this.offset = await this.#queryOffset(this.context, this.#sentTo)
    this.#uncertain = false
    const at = this.offset
    const chunk = await this.chunks.read(at)
    await this.#hashTo(at + chunk.bytes.length, at, chunk.bytes)
    const headers: Record<string, string> = { ...this.plan.headers, 'x-nos-token': this.#token }
    if (chunk.last) headers['Content-MD5'] = this.#md5 ??= this.#hasher!.digestHex()
    const query = { offset: String(at), complete: String(chunk.last), context: this.context, version: '1.0' }
    const onSent = this.plan.params.onProgress ? (n: number) => ((this.#inflight = n), this.#emit()) : undefined
    this.#uncertain = true
    this.#completing = chunk.last
    this.#sentTo = Math.max(this.#sentTo, at + chunk.bytes.length)
    const reply = await edgeRequest(this.cfg, { method: 'POST', url: this.#url(query), headers, body: chunk.body, signal: this.signal, xhr: this.plan.xhr, onSent })
    this.#uncertain = false
    await this.#accept(reply, at + chunk.bytes.length, chunk.last)
    return chunk.last
  }

  /** Takes NOS's answer to a chunk: offset and context, then the checkpoint and progress. */
  async #accept(reply: EdgeReply, expected: number, last: boolean): Promise<void> {
    const offset = reply.json['offset']
    const context = reply.json['context']
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset > expected || (last && offset !== expected)) {
      throw new ClientException(`the edge node answered offset ${JSON.stringify(offset)} after a chunk ending at ${expected}`)
    }
    this.#sent += Math.max(0, offset - this.offset)
    this.offset = offset
    if (typeof context === 'string' && context !== '') this.context = context
    this.#requestId = reply.requestId
    this.#refreshed = false
    this.#inflight = 0
    if (!last && this.#id && this.context !== undefined) {
      const cp: DirectUploadCheckpoint = {
        version: 1, kind: 'direct', bucket: this.plan.bucket, key: this.plan.key, context: this.context,
        offset, size: this.chunks.size!, fingerprint: this.fingerprint!, createdAt: this.#createdAt,
      }
      this.onCheckpoint(cp)
      await this.plan.params.checkpoint?.save(this.#id, cp)
    }
    this.#emit()
  }
}
