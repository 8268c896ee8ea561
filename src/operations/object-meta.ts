/**
 * PUT Object Meta (docs/protocol.md#put-object-meta): replaces an object's stored headers and user metadata
 * without sending its bytes again. What is not given is cleared.
 * @module
 */
import { bytesBody } from '../core/body.js'
import type { NosConfig } from '../core/config.js'
import { InvalidArgument } from '../core/errors.js'
import { requestIdOf } from '../core/response-fields.js'
import { send } from '../core/transport.js'
import { checkBucket, checkHeaderValue, checkKey, checkParams } from '../core/validate.js'
import { metadataHeaders, type MetadataEncoding } from '../core/metadata.js'
import { formatHttpDate } from '../core/http-date.js'
import type { CallOptions, RequestResult } from './common.js'

/** Parameters of `putObjectMeta`: the object's complete new set of headers and metadata. */
export interface PutObjectMetaParams extends CallOptions {
  bucket: string
  key: string
  /** User metadata (names with or without `x-nos-meta-`); replaces all of it. */
  metadata?: Record<string, string>
  /** New Content-Type; NOS stores `application/octet-stream` when none (or an invalid one) is given. */
  contentType?: string
  cacheControl?: string
  contentDisposition?: string
  contentEncoding?: string
  contentLanguage?: string
  /** The `Expires` response header GET will send (a Date, or the header text). */
  expires?: Date | string
}

const HEADERS = {
  contentType: 'Content-Type',
  cacheControl: 'Cache-Control',
  contentDisposition: 'Content-Disposition',
  contentEncoding: 'Content-Encoding',
  contentLanguage: 'Content-Language',
} as const

/** The request headers of a meta update. */
export function objectMetaHeaders(p: PutObjectMetaParams, encoding: MetadataEncoding = 'none'): Record<string, string> {
  const headers = metadataHeaders(p.metadata, 'metadata', encoding)
  for (const [param, header] of Object.entries(HEADERS) as [keyof typeof HEADERS, string][]) {
    if (p[param] !== undefined) headers[header] = checkHeaderValue(p[param], param)
  }
  if (p.expires instanceof Date) {
    if (Number.isNaN(p.expires.getTime())) throw new InvalidArgument('expires must be a valid Date')
    headers['Expires'] = formatHttpDate(p.expires)
  } else if (p.expires !== undefined) headers['Expires'] = checkHeaderValue(p.expires, 'expires')
  return headers
}

/**
 * Replaces the object's Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language,
 * Expires and user metadata (`PUT /<key>?meta`); anything not given is cleared. A missing object is `NotFoundError`.
 * The bytes and the ETag stay as they are.
 */
export async function putObjectMeta(cfg: NosConfig, p: PutObjectMetaParams): Promise<RequestResult> {
  checkParams(p, 'putObjectMeta')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const headers = objectMetaHeaders(p, cfg.metadataEncoding)
  const res = await send(cfg, { method: 'PUT', bucket, key, query: { meta: null }, headers, body: bytesBody([]), signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}
