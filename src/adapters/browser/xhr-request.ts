/**
 * One request through XMLHttpRequest, for byte-level upload progress in browsers (fetch cannot report it).
 * Used by direct upload where `XMLHttpRequest` exists; everything else goes through fetch.
 * @module
 */
import { ConnectionError, ConnectionTimeout } from '../../core/errors.js'

/** What one XHR request needs. */
export interface XhrRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: Uint8Array | Blob | undefined
  signal: AbortSignal
  /** ms for the whole request; 0: none. */
  timeout: number
  /** Bytes of the body sent so far. */
  onSent?: ((sent: number) => void) | undefined
}

/** A response: status, text (empty when the browser hid it) and the request id header. */
export interface XhrReply {
  status: number
  text: string
  requestId: string | null
}

/**
 * Sends one request; rejects with the signal's reason on abort, `ConnectionTimeout` after `timeout`, and
 * `ConnectionError` for a network failure or a CORS refusal.
 * @example
 * const { status, text } = await xhrRequest({ method: 'POST', url, headers, body: blob, signal, timeout: 60000 })
 */
export function xhrRequest(req: XhrRequest): Promise<XhrReply> {
  return new Promise((resolve, reject) => {
    if (req.signal.aborted) return reject(req.signal.reason)
    const xhr = new XMLHttpRequest()
    const where = `${req.method} ${new URL(req.url).pathname}`
    const onAbort = () => xhr.abort()
    const settle = (fn: () => void) => {
      req.signal.removeEventListener('abort', onAbort)
      fn()
    }
    xhr.open(req.method, req.url)
    for (const [name, value] of Object.entries(req.headers)) xhr.setRequestHeader(name, value)
    xhr.timeout = req.timeout
    if (req.onSent) xhr.upload.onprogress = (e) => req.onSent!(e.loaded)
    xhr.onload = () => settle(() => resolve({ status: xhr.status, text: xhr.responseText, requestId: xhr.getResponseHeader('x-nos-request-id') }))
    xhr.onerror = () => settle(() => reject(new ConnectionError(`${where}: network error or CORS refusal`)))
    xhr.ontimeout = () => settle(() => reject(new ConnectionTimeout(`${where}: no response within ${req.timeout} ms`)))
    xhr.onabort = () => settle(() => reject(req.signal.reason ?? new DOMException('request aborted', 'AbortError')))
    req.signal.addEventListener('abort', onAbort, { once: true })
    xhr.send((req.body ?? null) as XMLHttpRequestBodyInit | null)
  })
}
