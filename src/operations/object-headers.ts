/**
 * What GET and HEAD Object report from the response headers, and what a browser's CORS filter hid
 * (docs/protocol.md#cors-and-browser-reads): NOS always sends `ETag` and `x-nos-request-id`, so their absence from a
 * cross-origin response means the bucket's CORS rule does not expose them. A hidden ETag is an error (it identifies
 * the object's content: an empty one would look real); a hidden request id is reported in `hiddenHeaders`. Metadata
 * names cannot be enumerated by a page, so a filtered response says `metadataComplete: false`.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { CorsExposeHeaderError } from '../core/errors.js'
import { metadataFromHeaders } from '../core/metadata.js'
import { cleanEtag, requestIdOf, toInt } from '../core/response-fields.js'
import { parseNosDate } from '../core/http-date.js'
import { corsAdvice, type RequestResult } from './common.js'

/** Result of `headObject`. */
export interface HeadObjectResult extends RequestResult {
  contentLength: number
  contentType: string
  etag: string
  lastModified: Date
  metadata: Record<string, string>
  /**
   * False when a browser filtered the response (a cross-origin read): `metadata` (and `contentDisposition`) then hold
   * only what the bucket's CORS rule exposes (`x-nos-meta-<name>` entries); the page cannot tell which others exist.
   * True elsewhere.
   */
  metadataComplete: boolean
  /** Headers NOS always sends that the browser hid (e.g. `x-nos-request-id`, then `requestId` is ''); [] elsewhere. */
  hiddenHeaders: string[]
  /** The stored `Cache-Control`, when the object has one. */
  cacheControl?: string
  /** The stored `Content-Disposition`, when the object has one (and, in a browser, the CORS rule exposes it). */
  contentDisposition?: string
}

/**
 * The fields of a GET or HEAD Object response. Throws `CorsExposeHeaderError` when a browser hid the ETag.
 * @example
 * const head = headFields(cfg, res, '/bucket/key')
 */
export function headFields(cfg: NosConfig, res: Response, resource: string): HeadObjectResult {
  const filtered = res.type === 'cors'
  const etag = res.headers.get('etag')
  if (filtered && etag === null) throw new CorsExposeHeaderError(`${resource}: ${corsAdvice('ETag', true)}`, { resource, statusCode: res.status })
  const hiddenHeaders = filtered && !res.headers.has('x-nos-request-id') ? ['x-nos-request-id'] : []
  return {
    requestId: requestIdOf(res),
    contentLength: toInt(res.headers.get('content-length')),
    contentType: res.headers.get('content-type') ?? '',
    etag: cleanEtag(etag),
    lastModified: parseNosDate(res.headers.get('last-modified')),
    metadata: metadataFromHeaders(res.headers, cfg.metadataEncoding),
    metadataComplete: !filtered,
    hiddenHeaders,
    cacheControl: res.headers.get('cache-control') ?? undefined,
    contentDisposition: res.headers.get('content-disposition') ?? undefined,
  }
}
