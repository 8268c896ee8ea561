/**
 * Object operations of the seed: put, get, head, delete, delete multiple, copy, move (nos-protocol.md §7).
 * @module
 */
import type { BodyInput } from '../body.js'
import { bytesBody } from '../body.js'
import type { NosConfig } from '../config.js'
import { nosEncode, utf8 } from '../encoding.js'
import { InvalidArgument, MultiObjectDeleteException, type DeleteError } from '../errors.js'
import { cleanEtag, metadataFromHeaders, parseNosDate, requestIdOf, toInt } from '../parse.js'
import { send } from '../transport.js'
import { MAX_DELETE_KEYS, checkBucket, checkKey, checkParams, metadataHeaders } from '../validate.js'
import { el, list, parseXml, text } from '../xml.js'
import { outgoingBody, requireEtag, storedHeaders, type BodyOptions, type CallOptions, type ObjectHeaderOptions, type RequestResult } from './common.js'

/** Parameters of `putObject`. */
export interface PutObjectParams extends CallOptions, BodyOptions, ObjectHeaderOptions {
  bucket: string
  key: string
  /** string, bytes, Blob/File, ReadableStream, async iterable, or a plain object/array (sent as JSON). */
  body: BodyInput
  /** User metadata; names with or without `x-nos-meta-`. */
  metadata?: Record<string, string>
}
/** Result of `putObject`. */
export interface PutObjectResult extends RequestResult {
  /** Hex MD5 of the body as NOS computed it. */
  etag: string
}

/** PUT Object (§7.1): at most 100 MiB; larger objects go through `upload()`. */
export async function putObject(cfg: NosConfig, p: PutObjectParams): Promise<PutObjectResult> {
  checkParams(p, 'putObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const meta = { ...metadataHeaders(p.metadata), ...storedHeaders(p) }
  const out = await outgoingBody(cfg, p.body, p)
  const res = await send(cfg, { method: 'PUT', bucket, key, headers: { ...out.headers, ...meta }, body: out.body, signal: p.signal })
  return { requestId: requestIdOf(res), etag: requireEtag(res, `/${bucket}/${nosEncode(key)}`) }
}

/** A byte range: `'bytes=0-99'`, or `{ start, end }` with `end` inclusive (omit it to read to the end). */
export type RangeInput = string | { start: number; end?: number }

/** Parameters of `getObject`. */
export interface GetObjectParams extends CallOptions {
  bucket: string
  key: string
  range?: RangeInput
  /** Only return the object if it changed since then (else `notModified: true`, empty body). */
  ifModifiedSince?: Date
}
/** Result of `headObject`. */
export interface HeadObjectResult extends RequestResult {
  contentLength: number
  contentType: string
  etag: string
  lastModified: Date
  metadata: Record<string, string>
  /** The stored `Cache-Control`, when the object has one. */
  cacheControl?: string
  /** The stored `Content-Disposition`, when the object has one. */
  contentDisposition?: string
}
/** Result of `getObject`: a stream body plus readers. */
export interface GetObjectResult extends HeadObjectResult {
  /** `bytes a-b/total` for ranged reads. */
  contentRange: string | undefined
  /** True for 304 Not Modified (with `ifModifiedSince`). */
  notModified: boolean
  /** The object's bytes; read it once, or use one of the readers below. */
  body: ReadableStream<Uint8Array>
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
  bytes(): Promise<Uint8Array>
}

/** Renders a range for the `Range` header. */
export function rangeHeader(range: RangeInput): string {
  if (typeof range === 'string') {
    if (!/^bytes=(\d+-\d*|-\d+)$/.test(range.trim())) {
      throw new InvalidArgument(`range ${JSON.stringify(range)} is not a byte range: use 'bytes=first-last', 'bytes=first-' or 'bytes=-suffixLength'`)
    }
    return range.trim()
  }
  if (typeof range !== 'object' || range === null) throw new InvalidArgument(`range must be 'bytes=a-b' or { start, end }, got ${typeof range}`)
  const { start, end } = range
  if (!Number.isInteger(start) || start < 0) throw new InvalidArgument(`range.start must be a non-negative integer, got ${String(start)}`)
  if (end !== undefined && (!Number.isInteger(end) || end < start)) {
    throw new InvalidArgument(`range.end must be an integer >= range.start (${start}) (inclusive), got ${String(end)}`)
  }
  return `bytes=${start}-${end ?? ''}`
}

function headFields(res: Response): HeadObjectResult {
  return {
    requestId: requestIdOf(res),
    contentLength: toInt(res.headers.get('content-length')),
    contentType: res.headers.get('content-type') ?? '',
    etag: cleanEtag(res.headers.get('etag')),
    lastModified: parseNosDate(res.headers.get('last-modified')),
    metadata: metadataFromHeaders(res.headers),
    cacheControl: res.headers.get('cache-control') ?? undefined,
    contentDisposition: res.headers.get('content-disposition') ?? undefined,
  }
}

/** GET Object (§7.2). The body is a stream: read it, or cancel it, to release the connection. */
export async function getObject(cfg: NosConfig, p: GetObjectParams): Promise<GetObjectResult> {
  checkParams(p, 'getObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const headers: Record<string, string> = {}
  if (p.range !== undefined) headers['Range'] = rangeHeader(p.range)
  if (p.ifModifiedSince !== undefined) {
    if (!(p.ifModifiedSince instanceof Date) || Number.isNaN(p.ifModifiedSince.getTime())) throw new InvalidArgument('ifModifiedSince must be a valid Date')
    headers['If-Modified-Since'] = p.ifModifiedSince.toUTCString()
  }
  const res = await send(cfg, { method: 'GET', bucket, key, headers, signal: p.signal })
  const body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() })
  return {
    ...headFields(res),
    contentRange: res.headers.get('content-range') ?? undefined,
    notModified: res.status === 304,
    body,
    text: () => res.text(),
    arrayBuffer: () => res.arrayBuffer(),
    bytes: async () => new Uint8Array(await res.arrayBuffer()),
  }
}

/** HEAD Object (§7.3). A missing object is a `NotFoundError`. */
export async function headObject(cfg: NosConfig, p: { bucket: string; key: string } & CallOptions): Promise<HeadObjectResult> {
  checkParams(p, 'headObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const res = await send(cfg, { method: 'HEAD', bucket, key, signal: p.signal })
  return headFields(res)
}

/** DELETE Object (§7.4): NOS answers 200, and 404 `NoSuchKey` for a missing key (unlike S3). */
export async function deleteObject(cfg: NosConfig, p: { bucket: string; key: string } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'deleteObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const res = await send(cfg, { method: 'DELETE', bucket, key, signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

/** Parameters of `deleteObjects`. */
export interface DeleteObjectsParams extends CallOptions {
  bucket: string
  keys: string[]
  /** Quiet mode: NOS reports only failures, so `deleted` stays empty. */
  quiet?: boolean
}
/** Result of `deleteObjects`. */
export interface DeleteObjectsResult extends RequestResult {
  deleted: { key: string }[]
}

/** Body of one multi-delete request (§7.5); keys XML-escaped. */
export function deleteXml(keys: readonly string[], quiet: boolean): string {
  return `<Delete>${el('Quiet', quiet)}${keys.map((k) => `<Object>${el('Key', k)}</Object>`).join('')}</Delete>`
}

/**
 * Delete Multiple Objects (§7.5), split into requests of at most 1000 keys. Keys NOS could not delete (including
 * missing ones, which NOS reports as `NoSuchKey`) make it throw `MultiObjectDeleteException` with `.errors`.
 */
export async function deleteObjects(cfg: NosConfig, p: DeleteObjectsParams): Promise<DeleteObjectsResult> {
  checkParams(p, 'deleteObjects')
  const bucket = checkBucket(p.bucket)
  if (!Array.isArray(p.keys) || p.keys.length === 0) {
    throw new InvalidArgument('keys must be a non-empty array of object keys')
  }
  p.keys.forEach((k, i) => checkKey(k, `keys[${i}]`))
  const quiet = p.quiet ?? false
  const deleted: { key: string }[] = []
  const errors: DeleteError[] = []
  let requestId = ''
  for (let i = 0; i < p.keys.length; i += MAX_DELETE_KEYS) {
    const batch = p.keys.slice(i, i + MAX_DELETE_KEYS)
    const body = bytesBody([utf8(deleteXml(batch, quiet))])
    const md5 = await body.md5!(cfg.md5)
    const res = await send(cfg, {
      method: 'POST',
      bucket,
      query: { delete: null },
      headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5 },
      body,
      signal: p.signal,
    })
    requestId = requestIdOf(res)
    const xml = await res.text()
    if (!xml.trim()) continue // quiet mode and nothing failed: NOS may send no body
    const doc = parseXml(xml, 'DeleteResult')
    for (const d of list(doc, 'Deleted')) deleted.push({ key: text(d, 'Key') })
    for (const e of list(doc, 'Error')) errors.push({ key: text(e, 'Key'), code: text(e, 'Code'), message: text(e, 'Message') })
  }
  if (errors.length) throw new MultiObjectDeleteException(errors, deleted, { requestId, resource: `/${bucket}/?delete` })
  return { requestId, deleted }
}

/** Parameters of `copyObject` / `moveObject`. */
export interface CopyObjectParams extends CallOptions {
  srcBucket: string
  srcKey: string
  destBucket: string
  destKey: string
}

/** The copy/move source header value: `/<bucket>/<NOS-encoded key>` (§7.7). */
export function sourceHeader(bucket: string, key: string): string {
  return `/${bucket}/${nosEncode(key)}`
}

async function copyOrMove(cfg: NosConfig, p: CopyObjectParams, op: 'copyObject' | 'moveObject'): Promise<RequestResult> {
  checkParams(p, op)
  const srcBucket = checkBucket(p.srcBucket, 'srcBucket')
  const srcKey = checkKey(p.srcKey, 'srcKey')
  const destBucket = checkBucket(p.destBucket, 'destBucket')
  const destKey = checkKey(p.destKey, 'destKey')
  if (op === 'moveObject' && srcBucket !== destBucket) {
    throw new InvalidArgument(`moveObject moves within one bucket only (NOS rule): srcBucket ${srcBucket} differs from destBucket ${destBucket}; use copyObject then deleteObject`)
  }
  const header = op === 'copyObject' ? 'x-nos-copy-source' : 'x-nos-move-source'
  const res = await send(cfg, {
    method: 'PUT',
    bucket: destBucket,
    key: destKey,
    headers: { [header]: sourceHeader(srcBucket, srcKey) },
    signal: p.signal,
  })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

/** Copy Object (§7.7): data, Content-Type and metadata are copied. */
export function copyObject(cfg: NosConfig, p: CopyObjectParams): Promise<RequestResult> {
  return copyOrMove(cfg, p, 'copyObject')
}

/** Move Object (§7.8): within one bucket. */
export function moveObject(cfg: NosConfig, p: CopyObjectParams): Promise<RequestResult> {
  return copyOrMove(cfg, p, 'moveObject')
}
