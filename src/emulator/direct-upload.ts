/**
 * Browser/mobile direct upload ("直传", nos-protocol.md §10): upload tokens (`x-nos-token`), the LBS edge-node
 * lookup, chunked upload with offset/context, and the resume offset query. JSON in and out; edge nodes answer
 * with permissive CORS (§10.5). Contexts live in memory only.
 * @module
 */
import { createHash, createHmac, randomBytes, timingSafeEqual, type Hash } from 'node:crypto'
import { MAX_PUT_BYTES, receiveBlob } from './body.js'
import type { Ctx, Principal } from './context.js'
import { NosError } from './errors.js'
import type { Segment } from './store.js'
import { checkKey, objectHeaders } from './util.js'

/** A put policy (§10.1). */
interface PutPolicy {
  Bucket?: unknown
  Object?: unknown
  Expires?: unknown
}

/**
 * Verifies `x-nos-token: UPLOAD <ak>:<Base64 HMAC-SHA256(secret, policyB64)>:<policyB64>` for `bucket`/`key`
 * (§10.1): known key, matching signature (constant time), policy Bucket/Object equal to the target, not expired.
 *
 * @example
 * ctx.principal = verifyUploadToken(ctx, 'b', 'k')
 */
export function verifyUploadToken(ctx: Ctx, bucket: string, key: string): Principal {
  const m = /^UPLOAD\s+([^:\s]+):([^:\s]+):(\S+)$/.exec((ctx.headers['x-nos-token'] ?? '').trim())
  if (!m) throw new NosError('AccessDenied', 'Malformed upload token.')
  const account = ctx.env.settings.accounts.get(m[1]!)
  if (!account) throw new NosError('InvalidAccessKeyId')
  const expected = Buffer.from(createHmac('sha256', account.secret).update(m[3]!).digest('base64'))
  const given = Buffer.from(m[2]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new NosError('AccessDenied', 'Upload token signature mismatch.')
  let policy: PutPolicy
  try {
    policy = JSON.parse(Buffer.from(m[3]!, 'base64').toString('utf8')) as PutPolicy
  } catch {
    throw new NosError('AccessDenied', 'Upload token policy is not JSON.')
  }
  if (policy.Bucket !== bucket || policy.Object !== key) throw new NosError('AccessDenied', 'Upload token is for another bucket or object.')
  if (policy.Expires !== undefined && ctx.now() > Number(policy.Expires) * 1000) throw new NosError('AccessDenied', 'Upload token has expired.')
  return { accessKeyId: account.accessKeyId, ownerId: account.ownerId }
}

interface UploadContext {
  bucket: string
  key: string
  offset: number
  segments: Segment[]
  hash: Hash
  /** Content-Type and metadata may come with any chunk (the JS SDK sends them on every one). */
  contentType?: string | undefined
  headers: Record<string, string>
  meta: Record<string, string>
}

const contexts = new WeakMap<object, Map<string, UploadContext>>()

function contextsOf(ctx: Ctx): Map<string, UploadContext> {
  let map = contexts.get(ctx.env)
  if (!map) contexts.set(ctx.env, (map = new Map()))
  return map
}

const EDGE_CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'x-nos-request-id' }

function sendJson(ctx: Ctx, status: number, body: unknown): void {
  ctx.send(status, { 'Content-Type': 'application/json', ...(ctx.headers['origin'] ? EDGE_CORS : {}) }, JSON.stringify(body))
}

/** Errors on edge nodes are `{"errCode": status, "errMsg": "..."}` (§10.3). */
export function sendDirectError(ctx: Ctx, e: NosError): void {
  ctx.errorCode = e.code
  sendJson(ctx, e.status, { errCode: e.status, errMsg: `${e.code}: ${e.message}` })
}

/** `GET /lbs?version=1.0`: this emulator is its own (and only) edge node (§10.2, §10.5). */
export function lbs(ctx: Ctx): void {
  const host = ctx.headers['host'] ?? `127.0.0.1`
  const base = `http://${host}`
  sendJson(ctx, 200, { lbs: `${base}/lbs`, upload: [base] })
}

function target(ctx: Ctx): { bucket: string; key: string } {
  const { bucket, key } = ctx
  if (!bucket || !key) throw new NosError('InvalidArgument', 'Direct upload needs /<bucket>/<object>.')
  checkKey(key)
  const b = ctx.env.store.bucket(bucket)
  if (!b) throw new NosError('NoSuchBucket')
  ctx.principal = verifyUploadToken(ctx, bucket, key)
  if (b.owner !== ctx.principal.ownerId) throw new NosError('AccessDenied')
  return { bucket, key }
}

/**
 * `POST /<bucket>/<object>?offset=&complete=&context=&version=1.0` (§10.3): appends a chunk at `offset` (must
 * equal the bytes received so far), answers `{offset, context, requestID, callbackRetMsg}`; `complete=true`
 * makes the object visible (Content-MD5 of the whole file is checked if sent).
 */
export async function directUpload(ctx: Ctx): Promise<void> {
  const { bucket, key } = target(ctx)
  const { store } = ctx.env
  const map = contextsOf(ctx)
  const id = ctx.query['context'] || undefined
  let up = id ? map.get(id) : undefined
  if (id && (!up || up.bucket !== bucket || up.key !== key)) return sendDirectError(ctx, new NosError('NoSuchUpload', 'Unknown or expired upload context.'))
  const offset = Number(ctx.query['offset'] ?? '0')
  const contextId = id ?? randomBytes(16).toString('hex')
  up ??= { bucket, key, offset: 0, segments: [], hash: createHash('md5'), headers: {}, meta: {} }
  if (!Number.isSafeInteger(offset) || offset !== up.offset) {
    return sendDirectError(ctx, new NosError('InvalidArgument', `offset must be ${up.offset}.`))
  }
  const md5 = ctx.headers['content-md5']
  delete ctx.headers['content-md5'] // the whole file's MD5 (Android SDK), not this chunk's: checked at the end
  // Hash into a copy so that a failed chunk leaves the running MD5 untouched.
  const running = up.hash.copy()
  const got = await receiveBlob(ctx, store.blobs, MAX_PUT_BYTES, (chunk) => running.update(chunk))
  up.hash = running
  up.segments.push({ blob: got.blob, size: got.size })
  const sent = objectHeaders(ctx)
  up.contentType = ctx.headers['content-type'] || up.contentType
  Object.assign(up.headers, sent.headers)
  Object.assign(up.meta, sent.meta)
  up.offset += got.size
  map.set(contextId, up)
  if (ctx.query['complete'] === 'true') {
    map.delete(contextId)
    const etag = up.hash.digest('hex')
    if (md5 && md5.toLowerCase() !== etag) {
      await store.freeSegments(up.segments)
      return sendDirectError(ctx, new NosError('BadDigest'))
    }
    await store.putObject(bucket, {
      key,
      size: up.offset,
      etag,
      lastModified: ctx.now(),
      contentType: up.contentType ?? 'application/octet-stream',
      headers: up.headers,
      meta: up.meta,
      segments: up.segments,
    })
  }
  sendJson(ctx, 200, { requestID: ctx.requestId, offset: up.offset, context: contextId, callbackRetMsg: '' })
}

/** `GET /<bucket>/<object>?uploadContext&context=`: `{offset}`, or 404 when the context is unknown (§10.4). */
export function directQueryOffset(ctx: Ctx): void {
  const { bucket, key } = target(ctx)
  const up = contextsOf(ctx).get(ctx.query['context'] ?? '')
  if (!up || up.bucket !== bucket || up.key !== key) return sendDirectError(ctx, new NosError('NoSuchUpload', 'Unknown or expired upload context.'))
  sendJson(ctx, 200, { offset: up.offset })
}
