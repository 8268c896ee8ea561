/**
 * Browser/mobile direct upload ("直传", docs/protocol.md#direct-upload): the LBS edge-node lookup, chunked upload
 * with offset/context, and the resume offset query, authorised by upload tokens (./upload-token.ts). JSON in and
 * out; edge nodes answer with permissive CORS. Contexts live in memory (./direct-contexts.ts).
 * @module
 */
import { MAX_PUT_BYTES, expectedMd5, receiveBlob } from './body.js'
import type { Ctx } from './context.js'
import { contextsOf, type UploadContext } from './direct-contexts.js'
import { NosError } from './errors.js'
import { verifyUploadToken } from './upload-token.js'
import { checkKey, objectHeaders } from './util.js'

export { verifyUploadToken } from './upload-token.js'

const EDGE_CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'x-nos-request-id' }

function sendJson(ctx: Ctx, status: number, body: unknown): void {
  ctx.send(status, { 'Content-Type': 'application/json', ...(ctx.headers['origin'] ? EDGE_CORS : {}) }, JSON.stringify(body))
}

/** Errors on edge nodes are `{"errCode": status, "errMsg": "..."}` (docs/protocol.md#direct-upload). */
export function sendDirectError(ctx: Ctx, e: NosError): void {
  ctx.errorCode = e.code
  sendJson(ctx, e.status, { errCode: e.status, errMsg: `${e.code}: ${e.message}` })
}

/** `GET /lbs?version=1.0`: this emulator is its own edge node (unless `lbsNodes` names others). */
export function lbs(ctx: Ctx): void {
  const base = `http://${ctx.headers['host'] ?? '127.0.0.1'}`
  sendJson(ctx, 200, { lbs: `${base}/lbs`, upload: ctx.env.settings.lbsNodes ?? [base] })
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

const unknownContext = () => new NosError('NoSuchUpload', 'Unknown or expired upload context.')

/** The context a chunk continues (or a new one), claimed for this chunk; offset errors are 400. */
async function claim(ctx: Ctx, bucket: string, key: string): Promise<UploadContext> {
  const contexts = contextsOf(ctx.env)
  const id = ctx.query['context'] || undefined
  const up = id ? await contexts.get(id) : contexts.create(bucket, key)
  if (!up || up.bucket !== bucket || up.key !== key) throw unknownContext()
  const offset = Number(ctx.query['offset'] ?? '0')
  // Checked and claimed in one synchronous step: of two chunks sent at once, exactly one gets the context.
  if (up.busy) throw new NosError('InvalidArgument', `offset ${ctx.query['offset']} is refused: another chunk of this context is being received.`)
  if (!Number.isSafeInteger(offset) || offset !== up.offset) throw new NosError('InvalidArgument', `offset must be ${up.offset}.`)
  up.busy = true
  return up
}

/** Appends the chunk's bytes; a failed chunk leaves the context as it was. */
async function append(ctx: Ctx, up: UploadContext): Promise<void> {
  const running = up.hash.copy()
  const got = await receiveBlob(ctx, ctx.env.store.blobs, MAX_PUT_BYTES, (chunk) => running.update(chunk))
  up.hash = running
  up.segments.push({ blob: got.blob, size: got.size })
  up.offset += got.size
  const sent = objectHeaders(ctx)
  up.contentType = ctx.headers['content-type'] || up.contentType
  Object.assign(up.headers, sent.headers)
  Object.assign(up.meta, sent.meta)
}

/** `complete=true`: the object appears, ETag = MD5 of its bytes; a whole-file Content-MD5 is checked first. */
async function complete(ctx: Ctx, up: UploadContext, md5: string | undefined): Promise<void> {
  const { store } = ctx.env
  contextsOf(ctx.env).forget(up)
  const etag = up.hash.digest('hex')
  if (md5 !== undefined && md5 !== etag) {
    await store.freeSegments(up.segments)
    throw new NosError('BadDigest')
  }
  await store.putObject(up.bucket, {
    key: up.key,
    size: up.offset,
    etag,
    lastModified: ctx.now(),
    contentType: up.contentType ?? 'application/octet-stream',
    headers: up.headers,
    meta: up.meta,
    segments: up.segments,
    // A verified whole-object MD5 feeds the deduplication index (docs/protocol.md#deduplication-instant-upload).
    objectMd5: md5,
  })
}

/**
 * `POST /<bucket>/<object>?offset=&complete=&context=&version=1.0`: appends a chunk at `offset` (which must equal
 * the bytes received so far, and no other chunk of the context may be in flight), answers
 * `{offset, context, requestID, callbackRetMsg}`; `complete=true` makes the object visible. `Content-MD5` is the
 * whole file's (the Android SDK sends it on every chunk), so it is checked at completion.
 */
export async function directUpload(ctx: Ctx): Promise<void> {
  const { bucket, key } = target(ctx)
  const md5 = expectedMd5(ctx)
  delete ctx.headers['content-md5']
  const contexts = contextsOf(ctx.env)
  await contexts.sweep()
  const up = await claim(ctx, bucket, key)
  try {
    await append(ctx, up)
  } finally {
    up.busy = false
  }
  if (ctx.query['complete'] === 'true') await complete(ctx, up, md5)
  else contexts.register(up)
  sendJson(ctx, 200, { requestID: ctx.requestId, offset: up.offset, context: up.id, callbackRetMsg: '' })
}

/** `GET /<bucket>/<object>?uploadContext&context=`: `{offset}`, or 404 when the context is unknown or expired. */
export async function directQueryOffset(ctx: Ctx): Promise<void> {
  const { bucket, key } = target(ctx)
  const up = await contextsOf(ctx.env).get(ctx.query['context'] ?? '')
  if (!up || up.bucket !== bucket || up.key !== key) throw unknownContext()
  sendJson(ctx, 200, { offset: up.offset })
}
