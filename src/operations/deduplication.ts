/**
 * Instant upload (docs/protocol.md#deduplication-instant-upload): `PUT /<key>?deduplication` asks NOS to create
 * the object from content it already holds with the same MD5, so the bytes need not be sent; and the bucket
 * setting that enables it.
 * @module
 */
import { bufferBody, bytesBody } from '../core/body.js'
import type { NosConfig } from '../core/config.js'
import { utf8 } from '../core/encoding.js'
import { InvalidArgument, XmlParseError } from '../core/errors.js'
import { requestIdOf, toBool } from '../core/response-fields.js'
import { send } from '../core/transport.js'
import { checkBucket, checkHeaderValue, checkKey, checkParams } from '../core/validate.js'
import { metadataHeaders } from '../core/metadata.js'
import { readXmlBody } from '../core/response-body.js'
import { el, parseXml, required, text } from '../core/xml.js'
import { storedHeaders, type CallOptions, type ObjectHeaderOptions, type OutgoingBody, type RequestResult } from './common.js'
import { MAX_PUT_SIZE } from '../core/limits.js'

/** Parameters of `tryDeduplicate`. */
export interface DeduplicateParams extends CallOptions, ObjectHeaderOptions {
  bucket: string
  key: string
  /** Hex MD5 of the whole object. */
  md5: string
  /** Metadata and Content-Type of the object to create (as an upload would send them). */
  metadata?: Record<string, string>
  contentType?: string
}

/** Result of `tryDeduplicate`. */
export interface DeduplicateResult extends RequestResult {
  /** True: NOS created the object from content it holds; false: upload it as usual. */
  deduplicated: boolean
}

/**
 * Asks NOS to create `key` from stored content with this MD5 (`x-nos-object-md5`). Resolves with `deduplicated`
 * false when NOS does not hold it or the bucket has deduplication off: then upload the bytes (with Content-MD5, or
 * `objectMd5` on Complete, so that NOS learns the content for next time).
 * @example
 * const { deduplicated } = await tryDeduplicate(cfg, { bucket: 'my-bucket', key: 'movie.mp4', md5 })
 */
export async function tryDeduplicate(cfg: NosConfig, p: DeduplicateParams): Promise<DeduplicateResult> {
  checkParams(p, 'tryDeduplicate')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  if (typeof p.md5 !== 'string' || !/^[0-9a-f]{32}$/i.test(p.md5)) throw new InvalidArgument('md5 must be 32 hex characters')
  const headers: Record<string, string> = { ...metadataHeaders(p.metadata, 'metadata', cfg.metadataEncoding), ...storedHeaders(p), 'x-nos-object-md5': p.md5.toLowerCase() }
  if (p.contentType !== undefined) headers['Content-Type'] = checkHeaderValue(p.contentType, 'contentType')
  const res = await send(cfg, { method: 'PUT', bucket, key, query: { deduplication: null }, headers, body: bytesBody([]), signal: p.signal })
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'DeduplicateResult')
  return { requestId: requestIdOf(res), deduplicated: toBool(required(doc, 'ObjectContentAlreadyExist', 'DeduplicateResult')) }
}

/**
 * The `deduplicate` option of `putObject`: the body's MD5 (given, computed, or after buffering a one-shot stream),
 * then `tryDeduplicate`. Returns the MD5 and whether NOS created the object; `out` then carries Content-MD5.
 */
export async function deduplicateBody(
  cfg: NosConfig,
  p: { bucket: string; key: string; out: OutgoingBody; metadata?: Record<string, string> | undefined; signal?: AbortSignal | undefined },
): Promise<{ md5: string; result: DeduplicateResult }> {
  let { body } = p.out
  if (!body.replayable) body = p.out.body = await bufferBody(body, MAX_PUT_SIZE, () => new InvalidArgument(`body stream is longer than ${MAX_PUT_SIZE} bytes`))
  const md5 = p.out.headers['Content-MD5'] ?? (await body.md5!(cfg.md5))
  p.out.headers['Content-MD5'] = md5
  const result = await tryDeduplicate(cfg, { bucket: p.bucket, key: p.key, md5, metadata: p.metadata, contentType: p.out.headers['Content-Type'], signal: p.signal })
  return { md5, result }
}

/** The bucket's deduplication setting. */
export type DeduplicationStatus = 'Enabled' | 'Suspended'

/** PUT /?deduplication: turns instant upload on (`Enabled`) or off (`Suspended`) for a bucket. */
export async function putBucketDeduplication(cfg: NosConfig, p: { bucket: string; status: DeduplicationStatus } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'putBucketDeduplication')
  const bucket = checkBucket(p.bucket)
  if (p.status !== 'Enabled' && p.status !== 'Suspended') throw new InvalidArgument(`status must be 'Enabled' or 'Suspended'`)
  const body = bytesBody([utf8(`<DeduplicationConfiguration>${el('Status', p.status)}</DeduplicationConfiguration>`)])
  const headers = { 'Content-Type': 'application/xml', 'Content-MD5': await body.md5!(cfg.md5) }
  const res = await send(cfg, { method: 'PUT', bucket, query: { deduplication: null }, headers, body, signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

/** GET /?deduplication: the bucket's setting. */
export async function getBucketDeduplication(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult & { status: DeduplicationStatus }> {
  checkParams(p, 'getBucketDeduplication')
  const res = await send(cfg, { method: 'GET', bucket: checkBucket(p.bucket), query: { deduplication: null }, signal: p.signal })
  const status = text(parseXml(await readXmlBody(cfg, res, p.signal), 'DeduplicationConfiguration'), 'Status').trim()
  if (status !== 'Enabled' && status !== 'Suspended') throw new XmlParseError(`unexpected deduplication Status ${JSON.stringify(status)}`)
  return { requestId: requestIdOf(res), status }
}
