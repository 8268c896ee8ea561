/**
 * Presigned URLs: query-string authentication (docs/protocol.md#presigned-urls).
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { buildUrl } from '../core/endpoint.js'
import { InvalidArgument } from '../core/errors.js'
import { presignQuery } from '../signing/signer.js'
import { checkBucket, checkHeaderValue, checkKey, checkParams } from '../core/validate.js'
import { metadataHeaders } from '../core/metadata.js'

import { DEFAULT_PRESIGN_EXPIRES, MAX_PRESIGN_EXPIRES } from '../core/limits.js'

/** Parameters of `presignUrl`. */
export interface PresignParams {
  /** Default `GET`. */
  method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST'
  bucket: string
  key: string
  /** Lifetime in whole seconds from now (the client's clock), 1 to 604800 (7 days); default 900. */
  expires?: number
  /** Pins the Content-Type the uploader must send (signed). */
  contentType?: string
  /** Pins the hex Content-MD5 the uploader must send (signed). */
  contentMd5?: string
  /** Pins `x-nos-meta-*` headers the uploader must send (signed). */
  metadata?: Record<string, string>
  /** Unsigned extra parameters, e.g. `{ download: 'name.txt' }` (Content-Disposition: attachment). */
  query?: Record<string, string>
  /** Signed sub-resources, e.g. `{ partNumber: '3', uploadId }` for a presigned part upload. */
  subResources?: Record<string, string>
}

/** A presigned request: the URL plus exactly the headers the client must send with it. */
export interface PresignedRequest {
  url: string
  method: string
  headers: Record<string, string>
  expiresAt: Date
}

/** Builds a presigned request (URL + the headers that were signed). */
export async function presignRequest(cfg: NosConfig, p: PresignParams): Promise<PresignedRequest> {
  checkParams(p, 'presignUrl')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const method = p.method ?? 'GET'
  if (!['GET', 'PUT', 'HEAD', 'DELETE', 'POST'].includes(method)) throw new InvalidArgument(`method must be GET, PUT, HEAD, DELETE or POST, got ${String(method)}`)
  const expires = p.expires ?? DEFAULT_PRESIGN_EXPIRES
  if (typeof expires !== 'number' || !Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES) {
    throw new InvalidArgument(`expires must be a whole number of seconds from now, 1 to ${MAX_PRESIGN_EXPIRES} (7 days), got ${String(expires)}`)
  }
  if (!cfg.signer || !cfg.accessKeyId) throw new InvalidArgument('presignUrl needs credentials: accessKeyId with accessKeySecret or sign')
  const headers: Record<string, string> = { ...metadataHeaders(p.metadata, 'metadata', cfg.metadataEncoding) }
  if (p.contentType !== undefined) headers['Content-Type'] = checkHeaderValue(p.contentType, 'contentType')
  if (p.contentMd5 !== undefined) headers['Content-MD5'] = checkHeaderValue(p.contentMd5, 'contentMd5')
  const query = { ...(p.query ?? {}), ...(p.subResources ?? {}) }
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw new InvalidArgument(`query parameter ${name} must be a string`)
  }
  const expiresAt = Math.floor(cfg.now() / 1000) + expires
  const qs = await presignQuery({ method, bucket, key, query, headers }, { accessKeyId: cfg.accessKeyId, sign: cfg.signer, expires: expiresAt })
  return { url: `${buildUrl(cfg.endpoint, bucket, key)}?${qs}`, method, headers, expiresAt: new Date(expiresAt * 1000) }
}

/** The presigned URL alone. */
export async function presignUrl(cfg: NosConfig, p: PresignParams): Promise<string> {
  return (await presignRequest(cfg, p)).url
}
