/**
 * Uploads through a presigned URL from a page: byte-level progress through XMLHttpRequest where it exists
 * (fetch cannot report upload progress), plain fetch elsewhere.
 * @module
 */
import { ClientException } from '../../errors.js'
import { MAX_ERROR_BODY_BYTES, readBodyText } from '../../response-body.js'
import { errorFromResponse } from '../../transport.js'
import { corsAdvice } from '../../operations/common.js'
import { cleanEtag } from '../../parse.js'
import type { PresignedRequest } from '../../operations/presign.js'

/** Options of `putPresigned`. */
export interface PutPresignedOptions {
  /** Headers that were signed (Content-Type pinned at presign time, metadata...). */
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

/**
 * PUTs a Blob/File (or bytes) to a presigned URL.
 * @example
 * const presigned = await (await fetch('/api/presign?key=' + encodeURIComponent(file.name))).json()
 * await putPresigned(presigned, file, { onProgress: (p) => bar.value = p.loaded / p.total })
 */
export async function putPresigned(target: PresignedRequest | string, body: Blob | Uint8Array | string, opts: PutPresignedOptions = {}): Promise<PutPresignedResult> {
  const url = typeof target === 'string' ? target : target.url
  const headers = { ...(typeof target === 'string' ? {} : target.headers), ...opts.headers }
  const method = typeof target === 'string' ? 'PUT' : target.method
  const total = typeof body === 'string' ? new TextEncoder().encode(body).length : body instanceof Uint8Array ? body.length : body.size
  const XHR = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest
  const finish = async (status: number, statusText: string, etag: string | null, rid: string | null, text: string, cors: boolean) => {
    if (status < 200 || status >= 300) {
      throw await errorFromResponse(new Response(text, { status, statusText, headers: rid ? { 'x-nos-request-id': rid } : {} }), { method: method as 'PUT' }, new URL(url).pathname)
    }
    opts.onProgress?.({ loaded: total, total })
    if (!etag && cors && typeof console !== 'undefined') console.warn(`nos-sdk: ${corsAdvice('ETag')}`)
    return { status, etag: cleanEtag(etag), requestId: rid ?? '', etagReadable: etag !== null }
  }
  if (!XHR || opts.useFetch) {
    const res = await fetch(url, { method, headers, body: body as BodyInit, signal: opts.signal })
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
    xhr.send(body as XMLHttpRequestBodyInit)
  })
}
