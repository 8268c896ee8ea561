/**
 * Object operations of the seed: put, get, head, delete, delete multiple, copy, move (docs/protocol.md#objects).
 * @module
 */
import type { BodyInput } from '../core/body.js'
import { bytesBody } from '../core/body.js'
import type { NosConfig } from '../core/config.js'
import { nosEncode, utf8 } from '../core/encoding.js'
import { InvalidArgument, MultiObjectDeleteException, type DeleteError } from '../core/errors.js'
import { requestIdOf } from '../core/response-fields.js'
import { metadataHeaders } from '../core/metadata.js'
import { headFields, type HeadObjectResult } from './object-headers.js'
import { send } from '../core/transport.js'
import { checkBoolean, checkBucket, checkKey, checkParams } from '../core/validate.js'
import { readXmlBody } from '../core/response-body.js'
import { el, list, parseXml, required, text } from '../core/xml.js'
import { formatHttpDate } from '../core/http-date.js'
import { outgoingBody, requireEtag, storedHeaders, type BodyOptions, type CallOptions, type ObjectHeaderOptions, type RequestResult } from './common.js'
import { deduplicateBody } from './deduplication.js'

export type { HeadObjectResult } from './object-headers.js'
import { attemptLog, confirmMove, deletedByLostAttempt, mayHaveSucceeded } from './outcomes.js'
import { MAX_DELETE_KEYS } from '../core/limits.js'

/** Parameters of `putObject`. */
export interface PutObjectParams extends CallOptions, BodyOptions, ObjectHeaderOptions {
  bucket: string
  key: string
  /** string, bytes, Blob/File, ReadableStream, async iterable, or a plain object/array (sent as JSON). */
  body: BodyInput
  /** User metadata; names with or without `x-nos-meta-`. */
  metadata?: Record<string, string>
  /**
   * Instant upload (docs/protocol.md#deduplication-instant-upload): first ask NOS to create the object from content
   * it already holds with the body's MD5 (`md5`, or computed); the bytes are sent only when it does not.
   */
  deduplicate?: boolean
}
/** Result of `putObject`. */
export interface PutObjectResult extends RequestResult {
  /** Hex MD5 of the body as NOS computed it. */
  etag: string
  /** With `deduplicate`: true when NOS created the object without receiving its bytes. */
  deduplicated?: boolean
}

/** PUT Object (docs/protocol.md#objects): at most 100 MiB; larger objects go through `upload()`. */
export async function putObject(cfg: NosConfig, p: PutObjectParams): Promise<PutObjectResult> {
  checkParams(p, 'putObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const meta = { ...metadataHeaders(p.metadata, 'metadata', cfg.metadataEncoding), ...storedHeaders(p) }
  if (p.deduplicate !== undefined && typeof p.deduplicate !== 'boolean') throw new InvalidArgument('deduplicate must be true or false')
  const out = await outgoingBody(cfg, p.body, p)
  let deduplicated: { deduplicated?: boolean } = {}
  if (p.deduplicate) {
    const { md5, result } = await deduplicateBody(cfg, { bucket, key, out, metadata: p.metadata, signal: p.signal })
    if (result.deduplicated) return { requestId: result.requestId, etag: md5, deduplicated: true }
    deduplicated = { deduplicated: false }
  }
  const res = await send(cfg, { method: 'PUT', bucket, key, headers: { ...out.headers, ...meta }, body: out.body, signal: p.signal })
  const etag = requireEtag(res, `/${bucket}/${nosEncode(key)}`)
  await res.body?.cancel()
  return { requestId: requestIdOf(res), etag, ...deduplicated }
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
    const m = /^bytes=(?:(\d+)-(\d*)|-\d+)$/.exec(range.trim())
    if (!m) {
      throw new InvalidArgument(`range ${JSON.stringify(range)} is not a byte range: use 'bytes=first-last', 'bytes=first-' or 'bytes=-suffixLength'`)
    }
    // A last byte before the first is no range at all: servers then answer with the whole object (RFC 9110 §14.1.1).
    if (m[2] && Number(m[2]) < Number(m[1])) throw new InvalidArgument(`range ${JSON.stringify(range)} ends before it starts: the last byte must be >= the first`)
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

/** GET Object (docs/protocol.md#objects). The body is a stream: read it, or cancel it, to release the connection. */
export async function getObject(cfg: NosConfig, p: GetObjectParams): Promise<GetObjectResult> {
  checkParams(p, 'getObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const headers: Record<string, string> = {}
  if (p.range !== undefined) headers['Range'] = rangeHeader(p.range)
  if (p.ifModifiedSince !== undefined) {
    if (!(p.ifModifiedSince instanceof Date) || Number.isNaN(p.ifModifiedSince.getTime())) throw new InvalidArgument('ifModifiedSince must be a valid Date')
    headers['If-Modified-Since'] = formatHttpDate(p.ifModifiedSince)
  }
  const res = await send(cfg, { method: 'GET', bucket, key, headers, signal: p.signal })
  const body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() })
  return {
    ...headFields(cfg, res, `/${bucket}/${nosEncode(key)}`),
    contentRange: res.headers.get('content-range') ?? undefined,
    notModified: res.status === 304,
    body,
    text: () => res.text(),
    arrayBuffer: () => res.arrayBuffer(),
    bytes: async () => new Uint8Array(await res.arrayBuffer()),
  }
}

/** HEAD Object (docs/protocol.md#objects). A missing object is a `NotFoundError`. */
export async function headObject(cfg: NosConfig, p: { bucket: string; key: string } & CallOptions): Promise<HeadObjectResult> {
  checkParams(p, 'headObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const res = await send(cfg, { method: 'HEAD', bucket, key, signal: p.signal })
  return headFields(cfg, res, `/${bucket}/${nosEncode(key)}`)
}

/**
 * DELETE Object (docs/protocol.md#objects): NOS answers 200, and 404 `NoSuchKey` for a missing key (unlike S3). A retry
 * whose earlier attempt got no answer and meets `NoSuchKey` resolves: the key is gone, as asked
 * (operations/outcomes.ts).
 */
export async function deleteObject(cfg: NosConfig, p: { bucket: string; key: string } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'deleteObject')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const log = attemptLog()
  try {
    const res = await send(cfg, { method: 'DELETE', bucket, key, signal: p.signal, log })
    await res.body?.cancel()
    return { requestId: requestIdOf(res) }
  } catch (e) {
    const deleted = deletedByLostAttempt(e, log)
    if (deleted) return deleted
    throw mayHaveSucceeded(e, log)
  }
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

/** Body of one multi-delete request (docs/protocol.md#objects); keys XML-escaped. */
export function deleteXml(keys: readonly string[], quiet: boolean): string {
  return `<Delete>${el('Quiet', quiet)}${keys.map((k) => `<Object>${el('Key', k)}</Object>`).join('')}</Delete>`
}

/**
 * Delete Multiple Objects (docs/protocol.md#objects), split into requests of at most 1000 keys. Keys NOS could not
 * delete (including missing ones, which NOS reports as `NoSuchKey`) make it throw `MultiObjectDeleteException` with
 * `.errors`.
 */
export async function deleteObjects(cfg: NosConfig, p: DeleteObjectsParams): Promise<DeleteObjectsResult> {
  checkParams(p, 'deleteObjects')
  const bucket = checkBucket(p.bucket)
  if (!Array.isArray(p.keys) || p.keys.length === 0) {
    throw new InvalidArgument('keys must be a non-empty array of object keys')
  }
  p.keys.forEach((k, i) => checkKey(k, `keys[${i}]`))
  const quiet = checkBoolean(p.quiet, 'quiet') ?? false
  const deleted: { key: string }[] = []
  const errors: DeleteError[] = []
  let requestId = ''
  for (let i = 0; i < p.keys.length; i += MAX_DELETE_KEYS) {
    const batch = p.keys.slice(i, i + MAX_DELETE_KEYS)
    const body = bytesBody([utf8(deleteXml(batch, quiet))])
    const md5 = await body.md5!(cfg.md5)
    const log = attemptLog()
    const res = await send(cfg, {
      method: 'POST',
      bucket,
      query: { delete: null },
      headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5 },
      body,
      signal: p.signal,
      log,
    })
    requestId = requestIdOf(res)
    const xml = await readXmlBody(cfg, res, p.signal)
    // Quiet mode and nothing failed: live NOS sends an empty <DeleteResult/>, its documentation no body at all
    // (docs/protocol.md#quiet-multi-delete).
    if (!xml.trim()) continue
    const doc = parseXml(xml, 'DeleteResult')
    for (const d of list(doc, 'Deleted')) deleted.push({ key: required(d, 'Key', 'Deleted') })
    for (const e of list(doc, 'Error')) {
      const err = { key: required(e, 'Key', 'Error'), code: required(e, 'Code', 'Error'), message: text(e, 'Message') }
      // After an attempt whose answer was lost, NoSuchKey is that attempt's deletion (operations/outcomes.ts).
      if (log.ambiguous && err.code === 'NoSuchKey') {
        if (!quiet) deleted.push({ key: err.key })
      } else errors.push(err)
    }
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

/** The copy/move source header value: `/<bucket>/<NOS-encoded key>` (docs/protocol.md#objects). */
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
  const log = attemptLog()
  try {
    const res = await send(cfg, { method: 'PUT', bucket: destBucket, key: destKey, headers: { [header]: sourceHeader(srcBucket, srcKey) }, signal: p.signal, log })
    await res.body?.cancel()
    return { requestId: requestIdOf(res) }
  } catch (e) {
    // A copy is idempotent; a move is not: its retry finds the source gone (operations/outcomes.ts).
    if (op === 'moveObject') return confirmMove(cfg, { destBucket, destKey, signal: p.signal }, e, log)
    throw e
  }
}

/** Copy Object (docs/protocol.md#objects): data, Content-Type and metadata are copied. */
export function copyObject(cfg: NosConfig, p: CopyObjectParams): Promise<RequestResult> {
  return copyOrMove(cfg, p, 'copyObject')
}

/**
 * Move Object (docs/protocol.md#objects): within one bucket. A retry whose earlier attempt got no answer and meets 404
 * resolves when the destination exists (the source is gone, the destination is there); otherwise the error says so.
 */
export function moveObject(cfg: NosConfig, p: CopyObjectParams): Promise<RequestResult> {
  return copyOrMove(cfg, p, 'moveObject')
}
