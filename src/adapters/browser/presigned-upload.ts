/**
 * Uploads through a presigned URL from a page: byte-level progress through XMLHttpRequest where it exists
 * (fetch cannot report upload progress), plain fetch elsewhere.
 * @module
 */
import { ClientException, serviceError } from '../../core/errors.js'
import { MAX_ERROR_BODY_BYTES, readBodyText } from '../../core/response-body.js'
import { errorFromResponse } from '../../core/transport.js'
import { corsAdvice } from '../../operations/common.js'
import { cleanEtag } from '../../core/response-fields.js'
import type { PresignedRequest } from '../../operations/presign.js'

/** Options of `putPresigned`. */
export interface PutPresignedOptions {
  /**
   * Headers that were signed (Content-Type pinned at presign time, metadata...). With a URL string, give the
   * Content-Type here if the URL was signed with one: otherwise none is sent.
   */
  headers?: Record<string, string>
  onProgress?: (p: { loaded: number; total: number }) => void
  signal?: AbortSignal
  /** Use fetch even where XMLHttpRequest exists (no progress events). */
  useFetch?: boolean
}

/** Result of `putPresigned`. */
export interface PutPresignedResult {
  status: number
  /** Empty when the bucket's CORS rule does not expose ETag (see `etagReadable`). */
  etag: string
  requestId: string
  /** False when the browser hid ETag (the rule's ExposeHeader lacks it). */
  etagReadable: boolean
}

/** The Content-Type among `headers` (any case), or undefined. */
function signedContentType(headers: Record<string, string>): string | undefined {
  return Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1]
}

/**
 * The body as a Blob that carries no type of its own: a browser adds the type of a typed Blob/File, and
 * `text/plain;charset=UTF-8` for a string, when the request sets no Content-Type (docs/protocol.md#presigned-urls).
 */
function untypedBlob(body: Blob | Uint8Array | string): Blob {
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.type ? body.slice(0, body.size, '') : body
  return new Blob([body as BlobPart])
}

/** What a SignatureDoesNotMatch of a presigned PUT most often means, and how to fix it. */
function contentTypeHint(sent: string | undefined): string {
  return (
    ` | putPresigned sent ${sent === undefined ? 'no Content-Type' : `Content-Type: ${sent}`}, exactly the one it was told the URL was signed ` +
    'with (a PresignedRequest\'s headers, or opts.headers): for a URL signed with one, pass the whole presignRequest() result ' +
    '(url and headers), not the URL alone. A browser adds a type of its own to a File or a string; to let the page choose it, ' +
    'presign with contentType: file.type'
  )
}

/**
 * PUTs a Blob/File (or bytes, or a string) to a presigned URL with exactly the Content-Type the URL was signed with:
 * the one in `target.headers` / `opts.headers`, or none (the body is then sent untyped, so that the browser adds
 * none). A `SignatureDoesNotMatch` error says which Content-Type was sent and how to presign with one.
 * @example
 * const presigned = await (await fetch('/api/presign?key=' + encodeURIComponent(file.name))).json()
 * await putPresigned(presigned, file, { onProgress: (p) => bar.value = p.loaded / p.total })
 */
export async function putPresigned(target: PresignedRequest | string, body: Blob | Uint8Array | string, opts: PutPresignedOptions = {}): Promise<PutPresignedResult> {
  const url = typeof target === 'string' ? target : target.url
  const headers = { ...(typeof target === 'string' ? {} : target.headers), ...opts.headers }
  const method = typeof target === 'string' ? 'PUT' : target.method
  const signedType = signedContentType(headers)
  const blob = signedType === undefined ? untypedBlob(body) : typeof body === 'string' || body instanceof Uint8Array ? new Blob([body as BlobPart]) : body
  const total = blob.size
  const XHR = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest
  const finish = async (status: number, statusText: string, etag: string | null, rid: string | null, text: string, cors: boolean) => {
    if (status < 200 || status >= 300) {
      const e = await errorFromResponse(new Response(text, { status, statusText, headers: rid ? { 'x-nos-request-id': rid } : {} }), { method: method as 'PUT' }, new URL(url).pathname)
      if (e.errorCode !== 'SignatureDoesNotMatch') throw e
      throw serviceError(status, { errorType: e.errorType, errorCode: e.errorCode, requestId: e.requestId, resource: e.resource }, e.message + contentTypeHint(signedType))
    }
    opts.onProgress?.({ loaded: total, total })
    if (!etag && cors && typeof console !== 'undefined') console.warn(`nos-sdk: ${corsAdvice('ETag')}`)
    return { status, etag: cleanEtag(etag), requestId: rid ?? '', etagReadable: etag !== null }
  }
  if (!XHR || opts.useFetch) {
    const res = await fetch(url, { method, headers, body: blob, signal: opts.signal })
    // A PUT answers an empty body or an error document: a few KiB at most are kept (docs/protocol.md#errors).
    const { text } = await readBodyText(res, { limit: MAX_ERROR_BODY_BYTES, truncate: true, signal: opts.signal })
    return finish(res.status, res.statusText, res.headers.get('etag'), res.headers.get('x-nos-request-id'), text, res.type === 'cors')
  }
  return new Promise((resolve, reject) => {
    const xhr = new XHR()
    xhr.open(method, url)
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v)
    xhr.upload.onprogress = (e) => opts.onProgress?.({ loaded: e.loaded, total })
    xhr.onload = () => {
      const cross = new URL(url, location.href).origin !== location.origin
      finish(xhr.status, xhr.statusText, xhr.getResponseHeader('etag'), xhr.getResponseHeader('x-nos-request-id'), xhr.responseText, cross).then(resolve, reject)
    }
    xhr.onerror = () => reject(new ClientException(`PUT ${new URL(url).pathname} failed: network error or CORS refusal (check the bucket's CORS rule)`))
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'))
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    if (opts.signal?.aborted) return xhr.abort()
    xhr.send(blob)
  })
}
