/**
 * One request to an LBS or an edge node (docs/protocol.md#direct-upload): fetch, or XMLHttpRequest for
 * byte-level progress; a timeout covering the whole exchange; JSON answers, and JSON errors (`errCode`/`errMsg`,
 * or the LBS's `code`/`Code`/`Message`) mapped into the SDK's exception family.
 * @module
 */
import { xhrRequest } from '../adapters/browser/xhr-request.js'
import { STREAM_SLICE } from '../core/body.js'
import { ConnectionError, ConnectionTimeout, XmlParseError, isAbortError, serviceError } from '../core/errors.js'
import type { DirectConfig } from './types.js'

/** One request. */
export interface EdgeRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: Uint8Array | Blob | undefined
  signal: AbortSignal
  /** Use XMLHttpRequest (byte-level `onSent`). */
  xhr?: boolean
  onSent?: ((sent: number) => void) | undefined
}

/** A successful (2xx) answer. */
export interface EdgeReply {
  requestId: string
  json: Record<string, unknown>
}

/** Longest answer read (edge answers are a few dozen bytes of JSON). */
const MAX_ANSWER = 64 * 1024

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader()
  if (!reader) return ''
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    size += value.length
    if (size >= MAX_ANSWER) {
      await reader.cancel().catch(() => {})
      break
    }
  }
  const all = new Uint8Array(size)
  let off = 0
  for (const p of parts) {
    all.set(p, off)
    off += p.length
  }
  return new TextDecoder().decode(all.subarray(0, MAX_ANSWER))
}

/** Bytes as a stream of slices of at most STREAM_SLICE, pulled one at a time. */
function slices(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let off = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (off >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(off, (off += STREAM_SLICE)))
    },
  }, { highWaterMark: 0 })
}

async function viaFetch(cfg: DirectConfig, req: EdgeRequest, where: string): Promise<{ status: number; text: string; requestId: string | null }> {
  const ctrl = new AbortController()
  const onAbort = () => ctrl.abort(req.signal.reason)
  req.signal.addEventListener('abort', onAbort, { once: true })
  let timedOut = false
  const timer = cfg.timeout > 0 ? setTimeout(() => ((timedOut = true), ctrl.abort()), cfg.timeout) : undefined
  try {
    req.onSent?.(0)
    const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: req.headers, body: (req.body ?? null) as BodyInit | null, signal: ctrl.signal, redirect: 'manual' }
    if (cfg.streamRequestBodies && req.body instanceof Uint8Array && req.body.length > 64 * 1024) {
      // Node's fetch sends a large Uint8Array at about half the speed of the same bytes as a stream (see body.ts).
      init.body = slices(req.body)
      init.headers = { ...req.headers, 'Content-Length': String(req.body.length) }
      init.duplex = 'half'
    }
    const res = await cfg.fetch()(req.url, init)
    const text = await readCapped(res)
    return { status: res.status, text, requestId: res.headers.get('x-nos-request-id') }
  } catch (e) {
    if (req.signal.aborted) throw req.signal.reason
    if (timedOut) throw new ConnectionTimeout(`${where}: no response within ${cfg.timeout} ms`, { cause: e })
    if (isAbortError(e)) throw e
    throw new ConnectionError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    req.signal.removeEventListener('abort', onAbort)
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * Sends one request and returns its JSON answer. Error statuses, and 200 answers carrying an LBS error `code`,
 * throw the exception of their status (403 invalid or expired token: `ForbiddenError`) with NOS's `errCode` as
 * `errorCode`; network failures `ConnectionError`, timeouts `ConnectionTimeout`, an abort the signal's reason.
 * @example
 * const { json } = await edgeRequest(cfg, { method: 'GET', url: 'http://lbs-eastchina1.126.net/lbs?version=1.0', signal })
 */
export async function edgeRequest(cfg: DirectConfig, req: EdgeRequest): Promise<EdgeReply> {
  const where = `${req.method} ${new URL(req.url).pathname}`
  req.signal.throwIfAborted()
  const r = req.xhr
    ? await xhrRequest({ ...req, headers: req.headers ?? {}, timeout: cfg.timeout })
    : await viaFetch(cfg, req, where)
  const requestId = r.requestId ?? ''
  const json = parseJson(r.text)
  const lbsError = json && json['code'] ? json : undefined
  if (r.status >= 200 && r.status < 300 && !lbsError) {
    if (!json) throw new XmlParseError(`${where}: the answer is not a JSON object: ${JSON.stringify(r.text.slice(0, 200))}`, { requestId })
    return { requestId: String(json['requestID'] ?? requestId), json }
  }
  const code = json?.['errCode'] ?? json?.['Code'] ?? json?.['code']
  const message = json?.['errMsg'] ?? json?.['Message'] ?? r.text.slice(0, 500)
  const status = lbsError && r.status < 300 ? 400 : r.status
  const errorCode = code === undefined ? undefined : String(code)
  return Promise.reject(
    serviceError(status, { errorCode, requestId, resource: new URL(req.url).pathname }, `${where} failed: ${r.status}${errorCode ? ` ${errorCode}` : ''}: ${String(message)}`),
  )
}
