/**
 * Object operations (docs/protocol.md#objects): PUT, GET (Range, download=, ifNotFound=, conditional), HEAD,
 * DELETE (200; 404 NoSuchKey when missing), Delete Multiple, Copy, Move (same bucket only), PUT ?meta.
 * @module
 */
import { MAX_PUT_BYTES, readSmallBody, receiveBlob } from './body.js'
import type { Ctx } from './context.js'
import { NosError } from './errors.js'
import type { ObjectRecord } from './store.js'
import { formatShanghai, parseNosDate } from './time.js'
import { checkKey, objectHeaders, quoteEtag } from './util.js'
import { child, list, parseXml, text, xmlDocument, type XmlChildren } from './xml.js'
import { nosEncode } from './signing.js'

const DEFAULT_TYPE = 'application/octet-stream'
const MAX_DELETE_KEYS = 1000

/**
 * Response headers describing an object (docs/protocol.md#objects): type, ETag, Shanghai Last-Modified, stored headers,
 * metadata.
 */
export function objectResponseHeaders(o: ObjectRecord): Record<string, string | number> {
  const h: Record<string, string | number> = {
    'Content-Type': o.contentType,
    ETag: quoteEtag(o.etag),
    'Last-Modified': formatShanghai(o.lastModified),
    'Accept-Ranges': 'bytes',
  }
  for (const [name, value] of Object.entries(o.headers)) h[name] = value
  for (const [name, value] of Object.entries(o.meta)) h[`x-nos-meta-${name}`] = value
  return h
}

/**
 * PUT /key: streamed, MD5-checked, ≤ 100 MiB (EntityTooLarge), then made visible at once (docs/protocol.md#objects).
 */
export async function putObject(ctx: Ctx): Promise<void> {
  const key = ctx.key!
  checkKey(key)
  const { store } = ctx.env
  const { headers, meta } = objectHeaders(ctx)
  const got = await receiveBlob(ctx, store.blobs, MAX_PUT_BYTES)
  if (!store.bucket(ctx.bucket!)) {
    await store.freeBlob(got.blob)
    throw new NosError('NoSuchBucket')
  }
  await store.putObject(ctx.bucket!, {
    key,
    size: got.size,
    etag: got.md5,
    lastModified: ctx.now(),
    contentType: ctx.headers['content-type'] || DEFAULT_TYPE,
    headers,
    meta,
    segments: [{ blob: got.blob, size: got.size }],
    // A (verified) Content-MD5 feeds the deduplication index (docs/protocol.md#deduplication-instant-upload).
    objectMd5: ctx.headers['content-md5'] !== undefined ? got.md5 : undefined,
  })
  ctx.send(200, { ETag: quoteEtag(got.md5) })
}

interface ByteRange {
  start: number
  end: number
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (RFC 7233). Syntax we do not serve (several ranges) means "whole". */
function parseRange(header: string | undefined, size: number): ByteRange | undefined | 'unsatisfiable' {
  if (!header) return undefined
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  if (m[1] === '') {
    const n = Number(m[2])
    if (n === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size }
  }
  const start = Number(m[1])
  if (m[2] !== '' && Number(m[2]) < start) return undefined
  if (start >= size) return 'unsatisfiable'
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  return { start, end: last + 1 }
}

/** 304/412 from If-Modified-Since, If-None-Match, If-Unmodified-Since, If-Match (docs/protocol.md#objects). */
function checkConditions(ctx: Ctx, o: ObjectRecord): 304 | undefined {
  const etagOf = (v: string): string[] => v.split(',').map((s) => s.trim().replace(/^W\//, '').replace(/"/g, ''))
  const seconds = Math.floor(o.lastModified / 1000) * 1000
  const ifMatch = ctx.headers['if-match']
  if (ifMatch && !etagOf(ifMatch).some((e) => e === '*' || e === o.etag)) throw new NosError('PreconditionFailed')
  const ius = parseNosDate(ctx.headers['if-unmodified-since'])
  if (!ifMatch && ius !== undefined && seconds > ius) throw new NosError('PreconditionFailed')
  const ifNone = ctx.headers['if-none-match']
  if (ifNone) return etagOf(ifNone).some((e) => e === '*' || e === o.etag) ? 304 : undefined
  const ims = parseNosDate(ctx.headers['if-modified-since'])
  if (ims !== undefined && seconds <= ims) return 304
  return undefined
}

/** Content-Disposition for `download=` (docs/protocol.md#objects): ASCII names quoted, others percent-encoded (RFC 6266 filename*). */
function attachment(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return `attachment; filename="${name.replace(/["\\]/g, '\\$&')}"`
  const enc = nosEncode(name)
  return `attachment; filename="${enc}"; filename*=UTF-8''${enc}`
}

/** GET and HEAD /key. */
export async function getObject(ctx: Ctx): Promise<void> {
  checkKey(ctx.key!)
  const { store } = ctx.env
  let o = store.object(ctx.bucket!, ctx.key!)
  let status = 200
  const fallback = ctx.query['ifNotFound']
  if (!o && fallback && ctx.method === 'GET') {
    // ifNotFound=<key>: serve that object instead, with status 404 (docs/protocol.md#objects).
    o = store.object(ctx.bucket!, fallback)
    status = 404
  }
  if (!o) throw new NosError('NoSuchKey')
  const headers = objectResponseHeaders(o)
  const download = ctx.query['download']
  if (download) {
    if (nosEncode(download).length > 256) throw new NosError('InvalidArgument', 'download= is limited to 256 bytes.')
    headers['Content-Disposition'] = attachment(download)
  }
  if (status === 200 && checkConditions(ctx, o) === 304) {
    delete headers['Content-Type']
    return ctx.send(304, headers)
  }
  let start = 0
  let end = o.size
  const range = status === 200 ? parseRange(ctx.headers['range'], o.size) : undefined
  if (range === 'unsatisfiable') {
    throw new NosError('InvalidRange', undefined, { 'Content-Range': `bytes */${o.size}` })
  }
  if (range) {
    start = range.start
    end = range.end
    status = 206
    headers['Content-Range'] = `bytes ${start}-${end - 1}/${o.size}`
  }
  headers['Content-Length'] = end - start
  const reader = store.readObject(o, start, end)
  try {
    await ctx.sendStream(status, headers, reader)
  } finally {
    await reader.release()
  }
}

/** DELETE /key: 200, or 404 NoSuchKey when the key does not exist (docs/protocol.md#objects, unlike S3). */
export async function deleteObject(ctx: Ctx): Promise<void> {
  checkKey(ctx.key!)
  if (!(await ctx.env.store.deleteObject(ctx.bucket!, ctx.key!))) throw new NosError('NoSuchKey')
  ctx.send(200)
}

/**
 * POST /?delete (docs/protocol.md#objects): up to 1000 keys; missing keys are reported as `<Error>` NoSuchKey; quiet
 * mode lists only errors. An empty list (or an empty key) is 400 MalformedXML.
 */
export async function deleteObjects(ctx: Ctx): Promise<void> {
  const doc = parseXml((await readSmallBody(ctx, 2 * 1024 * 1024, 'MalformedXML')).toString('utf8'))
  const root = doc['Delete']
  if (root === undefined) throw new NosError('MalformedXML')
  const quiet = text(child(root, 'Quiet'))?.trim().toLowerCase() === 'true'
  const keys = list(child(root, 'Object')).map((o) => text(child(o, 'Key')))
  if (keys.length === 0) throw new NosError('MalformedXML', 'The Delete request must list at least one object.')
  if (keys.length > MAX_DELETE_KEYS) throw new NosError('MalformedXML', 'At most 1000 objects can be deleted per request.')
  if (keys.some((k) => !k)) throw new NosError('MalformedXML', 'Every Object needs a non-empty Key.')
  const out: XmlChildren = []
  for (const key of keys as string[]) {
    if (Buffer.byteLength(key) > 1000) {
      out.push(['Error', [['Key', key], ['Code', 'KeyTooLong'], ['Message', 'Your key is too long.']]])
    } else if (await ctx.env.store.deleteObject(ctx.bucket!, key)) {
      if (!quiet) out.push(['Deleted', [['Key', key]]])
    } else {
      out.push(['Error', [['Key', key], ['Code', 'NoSuchKey'], ['Message', 'No Such Key']]])
    }
  }
  // Quiet and nothing failed: an empty <DeleteResult></DeleteResult>, as live NOS answers
  // (docs/protocol.md#quiet-multi-delete).
  ctx.sendXml(xmlDocument('DeleteResult', out))
}

/**
 * `/bucket/key` from x-nos-copy-source / x-nos-move-source: decoded once, leading `/` optional
 * (docs/protocol.md#objects).
 */
function parseSource(value: string): { bucket: string; key: string } {
  let v: string
  try {
    v = decodeURIComponent(value.trim())
  } catch {
    throw new NosError('InvalidArgument', 'The copy/move source is not valid percent-encoding.')
  }
  if (v.startsWith('/')) v = v.slice(1)
  const slash = v.indexOf('/')
  if (slash <= 0 || slash === v.length - 1) throw new NosError('InvalidArgument', 'The copy/move source must be /<bucket>/<key>.')
  return { bucket: v.slice(0, slash), key: v.slice(slash + 1) }
}

/** The source object, readable by the caller (owner, or public-read). */
function sourceObject(ctx: Ctx, src: { bucket: string; key: string }): ObjectRecord {
  const b = ctx.env.store.bucket(src.bucket)
  if (!b) throw new NosError('NoSuchBucket', `The source bucket ${src.bucket} does not exist.`)
  if (b.owner !== ctx.principal?.ownerId && b.acl !== 'public-read') throw new NosError('AccessDenied')
  const o = ctx.env.store.object(src.bucket, src.key)
  if (!o) throw new NosError('NoSuchKey', 'The source key does not exist.')
  return o
}

/**
 * PUT /key with x-nos-copy-source: copies data, Content-Type, stored headers and metadata; empty 200
 * (docs/protocol.md#objects).
 */
export async function copyObject(ctx: Ctx): Promise<void> {
  checkKey(ctx.key!)
  const { store } = ctx.env
  const src = sourceObject(ctx, parseSource(ctx.headers['x-nos-copy-source']!))
  const segments = []
  for (const s of src.segments) segments.push({ blob: await store.blobs.clone(s.blob), size: s.size })
  await store.putObject(ctx.bucket!, { ...src, key: ctx.key!, lastModified: ctx.now(), segments })
  ctx.send(200, { ETag: quoteEtag(src.etag) })
}

/**
 * PUT /key with x-nos-move-source: same bucket only, else 400 InvalidArgument; keeps the ETag
 * (docs/protocol.md#objects).
 */
export async function moveObject(ctx: Ctx): Promise<void> {
  checkKey(ctx.key!)
  const { store } = ctx.env
  const source = parseSource(ctx.headers['x-nos-move-source']!)
  if (source.bucket !== ctx.bucket) throw new NosError('InvalidArgument', 'Move is only supported within one bucket.')
  const src = sourceObject(ctx, source)
  if (source.key !== ctx.key) {
    // Destination first, on cloned blobs, so that no crash or concurrent reader ever sees the object in neither
    // place, and no two records share a blob.
    const segments = []
    for (const s of src.segments) segments.push({ blob: await store.blobs.clone(s.blob), size: s.size })
    await store.putObject(ctx.bucket!, { ...src, key: ctx.key!, lastModified: ctx.now(), segments })
    await store.deleteObject(ctx.bucket!, source.key)
  }
  ctx.send(200)
}

/**
 * PUT /key?meta: replaces Content-Type, stored headers and metadata; what is not sent is cleared
 * (docs/protocol.md#put-object-meta).
 */
export async function putObjectMeta(ctx: Ctx): Promise<void> {
  checkKey(ctx.key!)
  const { store } = ctx.env
  if (!store.object(ctx.bucket!, ctx.key!)) throw new NosError('NoSuchKey')
  await readSmallBody(ctx, 64 * 1024)
  const { headers, meta } = objectHeaders(ctx)
  const type = ctx.headers['content-type'] ?? ''
  const contentType = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(type) ? type : DEFAULT_TYPE
  const cur = store.object(ctx.bucket!, ctx.key!)
  if (!cur) throw new NosError('NoSuchKey')
  await store.putObject(ctx.bucket!, { ...cur, contentType, headers, meta })
  ctx.send(200)
}
