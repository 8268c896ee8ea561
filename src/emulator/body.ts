/**
 * Request bodies: streamed into a blob with incremental MD5 and size limits (never buffered whole), or read
 * whole when small (XML). Content-MD5 is accepted as 32 hex digits or 24-char Base64
 * (docs/protocol.md#objects: the SDKs send hex, a documentation table says Base64).
 * @module
 */
import { createHash } from 'node:crypto'
import type { Ctx } from './context.js'
import { NosError, type NosErrorCode } from './errors.js'
import type { BlobStore } from './store.js'

/** Single PUT and part limit: 100 MiB (docs/protocol.md#objects, docs/protocol.md#multipart-upload). */
export const MAX_PUT_BYTES = 104_857_600

/**
 * The expected MD5 (lower-case hex) from `Content-MD5`, or undefined; malformed values are 400 InvalidDigest.
 *
 * @example
 * expectedMd5(ctx) // '6f5902ac237024bdd0c176cb93063dc4'
 */
export function expectedMd5(ctx: Ctx): string | undefined {
  const v = ctx.headers['content-md5']
  if (v === undefined) return undefined
  if (/^[0-9a-fA-F]{32}$/.test(v)) return v.toLowerCase()
  if (/^[A-Za-z0-9+/]{22}==$/.test(v)) return Buffer.from(v, 'base64').toString('hex')
  throw new NosError('InvalidDigest')
}

/** The declared Content-Length, or undefined for chunked (or absent) bodies. */
export function declaredLength(ctx: Ctx): number | undefined {
  const v = ctx.headers['content-length']
  if (v === undefined || ctx.headers['transfer-encoding']) return undefined
  const n = Number(v)
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

/** Iterates the request body; a connection closed before the declared length is 400 IncompleteBody. */
async function* bodyChunks(ctx: Ctx): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      ctx.bytesIn += chunk.length
      yield chunk
    }
  } catch {
    throw new NosError('IncompleteBody')
  }
  if (!ctx.req.complete) throw new NosError('IncompleteBody')
}

/** A body stored as a blob. */
export interface ReceivedBlob {
  blob: string
  size: number
  md5: string
}

/**
 * Streams the body into a new blob: EntityTooLarge up front from Content-Length, or while counting a chunked
 * body; BadDigest when Content-MD5 disagrees. On any failure the blob is discarded, so nothing partial is kept.
 * `tap` sees every chunk (e.g. a running hash over several requests).
 *
 * @example
 * const { blob, size, md5 } = await receiveBlob(ctx, store.blobs, MAX_PUT_BYTES)
 */
export async function receiveBlob(ctx: Ctx, blobs: BlobStore, maxBytes: number, tap?: (chunk: Buffer) => void): Promise<ReceivedBlob> {
  const want = expectedMd5(ctx)
  const declared = declaredLength(ctx)
  if (declared !== undefined && declared > maxBytes) throw new NosError('EntityTooLarge')
  const writer = await blobs.create()
  const hash = createHash('md5')
  let size = 0
  try {
    for await (const chunk of bodyChunks(ctx)) {
      size += chunk.length
      if (size > maxBytes) throw new NosError('EntityTooLarge')
      hash.update(chunk)
      tap?.(chunk)
      await writer.write(chunk)
    }
    if (declared !== undefined && size < declared) throw new NosError('IncompleteBody')
    const md5 = hash.digest('hex')
    if (want !== undefined && want !== md5) throw new NosError('BadDigest')
    return { blob: await writer.commit(), size, md5 }
  } catch (e) {
    await writer.abort()
    throw e
  }
}

/**
 * Reads a small body whole (XML documents); larger than `maxBytes` is `tooLarge` (default
 * MaxMessageLengthExceeded). Content-MD5 is verified.
 *
 * @example
 * const xml = (await readSmallBody(ctx)).toString('utf8')
 */
export async function readSmallBody(ctx: Ctx, maxBytes = 4 * 1024 * 1024, tooLarge: NosErrorCode = 'MaxMessageLengthExceeded'): Promise<Buffer> {
  const want = expectedMd5(ctx)
  const declared = declaredLength(ctx)
  if (declared !== undefined && declared > maxBytes) throw new NosError(tooLarge)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of bodyChunks(ctx)) {
    size += chunk.length
    if (size > maxBytes) throw new NosError(tooLarge)
    chunks.push(chunk)
  }
  const body = Buffer.concat(chunks)
  if (want !== undefined && createHash('md5').update(body).digest('hex') !== want) throw new NosError('BadDigest')
  return body
}
