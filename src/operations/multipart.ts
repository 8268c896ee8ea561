/**
 * Multipart upload operations of the seed (docs/protocol.md#multipart-upload); the listings are in
 * ./multipart-listing.ts.
 * @module
 */
import type { BodyInput } from '../core/body.js'
import { bytesBody } from '../core/body.js'
import type { NosConfig } from '../core/config.js'
import { nosEncode, utf8 } from '../core/encoding.js'
import { InvalidArgument, XmlParseError } from '../core/errors.js'
import { cleanEtag, requestIdOf } from '../core/response-fields.js'
import { send } from '../core/transport.js'
import { checkBucket, checkHeaderValue, checkInt, checkKey, checkParams, checkString } from '../core/validate.js'
import { readXmlBody } from '../core/response-body.js'
import { metadataHeaders, type MetadataEncoding } from '../core/metadata.js'
import { el, parseXml, required, text } from '../core/xml.js'
import { outgoingBody, requireEtag, storedHeaders, type BodyOptions, type CallOptions, type ObjectHeaderOptions, type RequestResult } from './common.js'
import { abortedByLostAttempt, attemptLog, confirmComplete, mayHaveSucceeded } from './outcomes.js'
import { MAX_PART_NUMBER, MAX_PART_SIZE } from '../core/limits.js'

/** Parameters of `createMultipartUpload`. */
export interface CreateMultipartUploadParams extends CallOptions, ObjectHeaderOptions {
  bucket: string
  key: string
  metadata?: Record<string, string>
  contentType?: string
}
/** Result of `createMultipartUpload`. */
export interface CreateMultipartUploadResult extends RequestResult {
  bucket: string
  key: string
  uploadId: string
}

function objectHeaders(p: { metadata?: Record<string, string>; contentType?: string } & ObjectHeaderOptions, encoding: MetadataEncoding): Record<string, string> {
  const h = { ...metadataHeaders(p.metadata, 'metadata', encoding), ...storedHeaders(p) }
  if (p.contentType !== undefined) h['Content-Type'] = checkHeaderValue(p.contentType, 'contentType')
  return h
}

/**
 * Initiate Multipart Upload (docs/protocol.md#multipart-upload). A retry after a lost answer may orphan an upload
 * (operations/outcomes.ts).
 */
export async function createMultipartUpload(cfg: NosConfig, p: CreateMultipartUploadParams): Promise<CreateMultipartUploadResult> {
  checkParams(p, 'createMultipartUpload')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const headers = { 'Content-Type': 'application/octet-stream', ...objectHeaders(p, cfg.metadataEncoding) }
  const log = attemptLog()
  const res = await send(cfg, { method: 'POST', bucket, key, query: { uploads: null }, headers, body: bytesBody([]), signal: p.signal, log }).catch((e: unknown) => {
    throw mayHaveSucceeded(e, log, 'an upload nobody will complete may exist: cleanupUploads collects it')
  })
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'InitiateMultipartUploadResult')
  const uploadId = required(doc, 'UploadId', 'InitiateMultipartUploadResult')
  if (!uploadId) throw new XmlParseError('the response has an empty <UploadId> in <InitiateMultipartUploadResult>')
  return { requestId: requestIdOf(res), bucket: text(doc, 'Bucket') || bucket, key: text(doc, 'Key') || key, uploadId }
}

/** Parameters of `uploadPart`. */
export interface UploadPartParams extends CallOptions, Omit<BodyOptions, 'contentType'> {
  bucket: string
  key: string
  uploadId: string
  /** 1-10000. */
  partNum: number
  body: BodyInput
  /** Bytes of this part sent so far, when the runtime streams request bodies (0 again when a retry starts). */
  onSent?: (sent: number) => void
}

/** Upload Part (docs/protocol.md#multipart-upload): at most 100 MiB; the ETag is the part's hex MD5. */
export async function uploadPart(cfg: NosConfig, p: UploadPartParams): Promise<RequestResult & { etag: string }> {
  checkParams(p, 'uploadPart')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const uploadId = checkString(p.uploadId, 'uploadId', 'the uploadId createMultipartUpload returned')
  const partNum = checkInt(p.partNum, 'partNum', 1, MAX_PART_NUMBER)
  const out = await outgoingBody(cfg, p.body, p, MAX_PART_SIZE, 'part body', p.onSent)
  const res = await send(cfg, {
    method: 'PUT',
    bucket,
    key,
    query: { partNumber: String(partNum), uploadId },
    headers: out.headers,
    body: out.body,
    signal: p.signal,
  })
  await res.body?.cancel()
  return { requestId: requestIdOf(res), etag: requireEtag(res, `/${bucket}/${nosEncode(key)}?partNumber=${partNum}`) }
}

/** A finished part, as listed in Complete. */
export interface CompletedPart {
  partNum: number
  etag: string
}

/** Parameters of `completeMultipartUpload`. */
export interface CompleteMultipartUploadParams extends CallOptions, ObjectHeaderOptions {
  bucket: string
  key: string
  uploadId: string
  parts: CompletedPart[]
  /** Hex MD5 of the whole object, sent as `x-nos-object-md5` (NOS uses it for deduplication). */
  objectMd5?: string
  /** Metadata sent again on Complete, as the seed does (docs/protocol.md#multipart-upload: NOS takes it here). */
  metadata?: Record<string, string>
  contentType?: string
}
/** Result of `completeMultipartUpload`. */
export interface CompleteMultipartUploadResult extends RequestResult {
  location: string
  bucket: string
  key: string
  etag: string
}

/** The Complete body (docs/protocol.md#multipart-upload), parts sorted by number. */
export function completeXml(parts: readonly CompletedPart[]): string {
  const sorted = [...parts].sort((a, b) => a.partNum - b.partNum)
  return `<CompleteMultipartUpload>${sorted.map((x) => `<Part>${el('PartNumber', x.partNum)}${el('ETag', x.etag)}</Part>`).join('')}</CompleteMultipartUpload>`
}

/**
 * Complete Multipart Upload (docs/protocol.md#multipart-upload); a retry meeting its own lost success is confirmed
 * (operations/outcomes.ts).
 */
export async function completeMultipartUpload(cfg: NosConfig, p: CompleteMultipartUploadParams, expect: { size?: number } = {}): Promise<CompleteMultipartUploadResult> {
  checkParams(p, 'completeMultipartUpload')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const uploadId = checkString(p.uploadId, 'uploadId', 'the uploadId createMultipartUpload returned')
  if (!Array.isArray(p.parts) || p.parts.length === 0) throw new InvalidArgument('parts must be a non-empty array of { partNum, etag }')
  const seen = new Set<number>()
  p.parts.forEach((part, i) => {
    if (typeof part !== 'object' || part === null) throw new InvalidArgument(`parts[${i}] must be { partNum, etag }`)
    checkInt(part.partNum, `parts[${i}].partNum`, 1, MAX_PART_NUMBER)
    checkString(part.etag, `parts[${i}].etag`, 'the ETag uploadPart returned')
    if (seen.has(part.partNum)) throw new InvalidArgument(`parts[${i}].partNum ${part.partNum} appears twice`)
    seen.add(part.partNum)
  })
  const headers: Record<string, string> = { ...objectHeaders(p, cfg.metadataEncoding) }
  if (p.objectMd5 !== undefined) {
    if (typeof p.objectMd5 !== 'string' || !/^[0-9a-f]{32}$/i.test(p.objectMd5)) throw new InvalidArgument('objectMd5 must be 32 hex characters')
    headers['x-nos-object-md5'] = p.objectMd5.toLowerCase()
  }
  const body = bytesBody([utf8(completeXml(p.parts.map((x) => ({ partNum: x.partNum, etag: cleanEtag(x.etag) }))))])
  headers['Content-MD5'] = await body.md5!(cfg.md5)
  // Content-Type of the XML body, unless the caller sets the object's Content-Type here (NOS takes it from Complete).
  headers['Content-Type'] ??= 'application/xml'
  const log = attemptLog()
  let res: Response
  try {
    res = await send(cfg, { method: 'POST', bucket, key, query: { uploadId }, headers, body, signal: p.signal, log })
  } catch (e) {
    const done = await confirmComplete(cfg, { bucket, key, parts: p.parts, signal: p.signal }, e, log, expect.size)
    return { requestId: done.requestId, location: `${bucket}.${cfg.endpoint.host}/${nosEncode(key)}`, bucket, key, etag: done.etag }
  }
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'CompleteMultipartUploadResult')
  const etag = cleanEtag(required(doc, doc['ETag'] === undefined && doc['Etag'] !== undefined ? 'Etag' : 'ETag', 'CompleteMultipartUploadResult'))
  return { requestId: requestIdOf(res), location: text(doc, 'Location'), bucket: text(doc, 'Bucket') || bucket, key: text(doc, 'Key') || key, etag }
}

/**
 * Abort Multipart Upload (docs/protocol.md#multipart-upload): frees the parts; a retry meeting its own lost success
 * resolves (outcomes.ts).
 */
export async function abortMultipartUpload(cfg: NosConfig, p: { bucket: string; key: string; uploadId: string } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'abortMultipartUpload')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const uploadId = checkString(p.uploadId, 'uploadId', 'the uploadId createMultipartUpload returned')
  const log = attemptLog()
  try {
    const res = await send(cfg, { method: 'DELETE', bucket, key, query: { uploadId }, signal: p.signal, log })
    await res.body?.cancel()
    return { requestId: requestIdOf(res) }
  } catch (e) {
    const aborted = abortedByLostAttempt(e, log)
    if (aborted) return aborted
    throw mayHaveSucceeded(e, log)
  }
}
