/**
 * Pieces shared by the operation modules.
 * @module
 */
import { bufferBody, prepareBody, type BodyInput, type PreparedBody, type SentCallback } from '../core/body.js'
import type { NosConfig } from '../core/config.js'
import { ClientException, CorsExposeHeaderError, InvalidArgument } from '../core/errors.js'
import { cleanEtag } from '../core/response-fields.js'
import { checkBoolean, checkHeaderValue, checkLength } from '../core/validate.js'
import { MAX_PUT_SIZE } from '../core/limits.js'

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call (and its retries) at once; the promise rejects with the signal's reason. */
  signal?: AbortSignal
}

/** The result of every call: the `x-nos-request-id` of the (last) response. */
export interface RequestResult {
  requestId: string
}

/** Options of calls that send a body. */
export interface BodyOptions {
  /** Content-Type of the object; default the body's own (a File's type, JSON) or `application/octet-stream`. */
  contentType?: string
  /** Byte length of a stream body, when known; lets a stream be sent without buffering it. */
  contentLength?: number
  /** Compute and send Content-MD5 (hex) when the body can be read twice; default: the client's `contentMd5`. */
  contentMd5?: boolean
  /** The body's hex MD5 when already known (sent as Content-MD5 without reading the body again). */
  md5?: string
}

/**
 * Standard headers NOS stores with an object and sends back on GET/HEAD (docs/protocol.md#objects,
 * docs/protocol.md#multipart-upload).
 */
export interface ObjectHeaderOptions {
  /** `Cache-Control` served with the object, e.g. `max-age=3600`. */
  cacheControl?: string
  /** `Content-Disposition` served with the object, e.g. `attachment; filename="report.pdf"`. */
  contentDisposition?: string
}

/** The headers of `ObjectHeaderOptions` that are set (printable ASCII only, checked before any request). */
export function storedHeaders(p: ObjectHeaderOptions): Record<string, string> {
  const h: Record<string, string> = {}
  if (p.cacheControl !== undefined) h['Cache-Control'] = checkHeaderValue(p.cacheControl, 'cacheControl')
  if (p.contentDisposition !== undefined) h['Content-Disposition'] = checkHeaderValue(p.contentDisposition, 'contentDisposition')
  return h
}

/** A body prepared for sending, with the headers that describe it. */
export interface OutgoingBody {
  body: PreparedBody
  headers: Record<string, string>
}

/**
 * Prepares a body and its Content-Type / Content-MD5 headers. Streams of unknown length are buffered (at most
 * `limit` bytes) because NOS needs a length; streams of known length go out as they are.
 */
export async function outgoingBody(
  cfg: NosConfig,
  input: BodyInput,
  opts: BodyOptions,
  limit = MAX_PUT_SIZE,
  what = 'body',
  onSent?: SentCallback,
): Promise<OutgoingBody> {
  checkLength(opts.contentLength, 'contentLength')
  checkBoolean(opts.contentMd5, 'contentMd5')
  const contentType = opts.contentType === undefined ? undefined : checkHeaderValue(opts.contentType, 'contentType')
  let body = prepareBody(input, opts.contentLength, onSent)
  if (body.size !== undefined && body.size > limit) {
    throw new InvalidArgument(`${what} is ${body.size} bytes; NOS accepts at most ${limit} in one request (use upload() for larger objects)`)
  }
  // Browsers cannot stream request bodies over HTTP/1.1 (Chromium streams them only over HTTP/2): there, streams are
  // read into memory first.
  if (!body.replayable && (body.size === undefined || !cfg.streamRequestBodies)) {
    body = await bufferBody(body, limit, () => new InvalidArgument(`${what} stream is longer than ${limit} bytes; use upload() for larger objects`))
  }
  const headers: Record<string, string> = {
    'Content-Type': contentType ?? body.contentType ?? 'application/octet-stream',
  }
  if (opts.md5 !== undefined) {
    if (!/^[0-9a-f]{32}$/i.test(opts.md5)) throw new InvalidArgument('md5 must be 32 hex characters')
    headers['Content-MD5'] = opts.md5.toLowerCase()
  } else if (body.replayable && body.md5 && (opts.contentMd5 ?? cfg.contentMd5)) {
    headers['Content-MD5'] = await body.md5(cfg.md5)
  }
  return { body, headers }
}

/**
 * Human text for the CORS rule a page needs to read `header`; `reads` adds what reads need besides
 * (docs/protocol.md#cors-and-browser-reads).
 */
export function corsAdvice(header: string, reads = false): string {
  return (
    `the response has no readable ${header} header: this page's origin may not read it because the bucket's CORS rule ` +
    `does not expose it. Add "${header}" (and "x-nos-request-id") to the rule's ExposeHeader` +
    (reads ? `; reads also need "x-nos-meta-<name>" for each metadata name the page reads` : '') +
    `, e.g. client.putBucketCors({ bucket, rules: [{ allowedOrigins: [location.origin], allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], ` +
    `allowedHeaders: ['*'], exposeHeaders: ['ETag', 'x-nos-request-id'${reads ? ", 'x-nos-meta-owner'" : ''}] }] })`
  )
}

/**
 * The ETag of a response. When a browser hides it (cross-origin response without Access-Control-Expose-Headers),
 * throws `CorsExposeHeaderError` naming the rule to add (a silent empty ETag would break multipart uploads).
 */
export function requireEtag(res: Response, resource: string): string {
  const etag = res.headers.get('etag')
  if (etag) return cleanEtag(etag)
  if (res.type === 'cors') throw new CorsExposeHeaderError(`${resource}: ${corsAdvice('ETag')}`, { resource, statusCode: res.status })
  throw new ClientException(`${resource}: the response carries no ETag header`, { resource, statusCode: res.status })
}
