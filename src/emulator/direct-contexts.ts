/**
 * Direct-upload contexts (docs/protocol.md#direct-upload): the bytes received so far for one object, with the
 * running MD5, kept in memory for a limited lifetime. One chunk at a time per context: a chunk claims the context
 * before its body is read, so a second chunk sent meanwhile is refused instead of being appended too.
 * @module
 */
import { createHash, randomBytes, type Hash } from 'node:crypto'
import type { Env } from './context.js'
import type { Segment } from './store.js'

/** Default lifetime of a context, from its first chunk (NOS does not document its own; ours is configurable). */
export const DEFAULT_CONTEXT_TTL_MS = 24 * 3600_000

/** One upload in progress. */
export interface UploadContext {
  readonly id: string
  readonly bucket: string
  readonly key: string
  /** Bytes received so far: the offset the next chunk must start at. */
  offset: number
  segments: Segment[]
  hash: Hash
  /** Content-Type and metadata may come with any chunk (the official SDKs differ); the last one sent wins. */
  contentType?: string | undefined
  headers: Record<string, string>
  meta: Record<string, string>
  readonly created: number
  /** A chunk of this context is being received. */
  busy: boolean
}

/** The contexts of one emulator. */
export class DirectContexts {
  readonly #map = new Map<string, UploadContext>()

  constructor(private readonly env: Env) {}

  #expired(up: UploadContext, now: number): boolean {
    return now - up.created > this.env.settings.uploadContextTtlMs
  }

  /** A live context, or undefined (unknown, or expired: then its bytes are freed). */
  async get(id: string): Promise<UploadContext | undefined> {
    const up = this.#map.get(id)
    if (!up) return undefined
    if (!this.#expired(up, this.env.settings.now()) || up.busy) return up
    await this.drop(up)
    return undefined
  }

  /** A new context (registered only once `register` is called, i.e. after its first chunk is stored). */
  create(bucket: string, key: string): UploadContext {
    const id = randomBytes(16).toString('hex')
    return { id, bucket, key, offset: 0, segments: [], hash: createHash('md5'), headers: {}, meta: {}, created: this.env.settings.now(), busy: false }
  }

  register(up: UploadContext): void {
    this.#map.set(up.id, up)
  }

  /** Forgets a context whose bytes now belong to an object. */
  forget(up: UploadContext): void {
    if (this.#map.get(up.id) === up) this.#map.delete(up.id)
  }

  /** Forgets a context and frees its bytes. */
  async drop(up: UploadContext): Promise<void> {
    this.forget(up)
    await this.env.store.freeSegments(up.segments)
  }

  /** Frees every expired context that is not receiving a chunk. */
  async sweep(): Promise<void> {
    const now = this.env.settings.now()
    for (const up of [...this.#map.values()]) if (!up.busy && this.#expired(up, now)) await this.drop(up)
  }
}

const registries = new WeakMap<Env, DirectContexts>()

/** The context registry of an emulator. @example const up = await contextsOf(ctx.env).get(id) */
export function contextsOf(env: Env): DirectContexts {
  let r = registries.get(env)
  if (!r) registries.set(env, (r = new DirectContexts(env)))
  return r
}
