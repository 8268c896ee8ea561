/**
 * The one request pipeline (DESIGN rule 3, 7, 8): sign -> fetch (fetch-retry) -> timeout/abort -> map errors.
 * @module
 */
import fetchRetry from 'fetch-retry'
import type { PreparedBody } from './body.js'
import type { NosConfig } from './config.js'
import { buildUrl } from './endpoint.js'
import type { Query } from './encoding.js'
import { ConnectionError, ConnectionTimeout, ServiceException, isAbortError, serviceError } from './errors.js'
import { canonicalResource, signHeaders, stringToSign } from './signer.js'
import { MAX_ERROR_BODY_BYTES, readBodyText, truncatedErrorFields } from './response-body.js'
import { parseXml, text } from './xml.js'

/** A plain request description, built by an operation and run by `send` (DESIGN rule 3). */
export interface NosRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD'
  bucket?: string | undefined
  key?: string | undefined
  query?: Query | undefined
  headers?: Record<string, string> | undefined
  body?: PreparedBody | undefined
  signal?: AbortSignal | undefined
  /** Overrides the client's `maxRetries` for this request. */
  maxRetries?: number | undefined
}

/** Statuses retried (the seed's `retry_on_status`, nos-protocol.md §13). `SlowDown` arrives as 503. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([500, 501, 503])

/**
 * Backoff before retry number `attempt` (0-based): full jitter, `random() * min(max, base * 2^attempt)`.
 * @example
 * retryDelay(2, 300, 20000, () => 0.5) // 600
 */
export function retryDelay(attempt: number, base: number, max: number, random: () => number): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt))
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

async function authorize(cfg: NosConfig, req: NosRequest, headers: Record<string, string>): Promise<Record<string, string>> {
  if (!cfg.signer || !cfg.accessKeyId) return headers
  return signHeaders(
    { method: req.method, bucket: req.bucket, key: req.key, query: req.query, headers },
    { accessKeyId: cfg.accessKeyId, sign: cfg.signer, date: new Date(cfg.now()), useNosDate: cfg.useNosDate },
  )
}

/**
 * The signal one attempt gives fetch: aborted by the caller's signal or by `ctrl` (the timeout). With
 * `AbortSignal.any` the caller's long-lived signal (e.g. an upload's, shared by every part) only keeps a weak
 * link to it. The fallback listener is created here, outside `send`, so that it keeps alive only `ctrl` and not
 * `send`'s scope: a listener closing over the request body pinned every part of a 1 GiB stream upload in memory
 * (bench/fig-stream-rss.ts: peak RSS 1141 MiB before, bounded after).
 */
function attemptSignal(user: AbortSignal | undefined, ctrl: AbortController): AbortSignal {
  if (!user) return ctrl.signal
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([user, ctrl.signal])
  user.addEventListener('abort', () => ctrl.abort(user.reason), { once: true })
  return ctrl.signal
}

/** Why an attempt failed before a response, kept to decide on retries. */
class AttemptError extends ConnectionError {}

/**
 * Sends a request, retrying what may be retried, and returns the successful response (2xx, or 304).
 * Error statuses become the seed's exceptions; network failures `ConnectionError`; timeouts `ConnectionTimeout`;
 * a caller's abort rejects with the signal's reason (an `AbortError`), never retried.
 */
export async function send(cfg: NosConfig, req: NosRequest): Promise<Response> {
  const url = buildUrl(cfg.endpoint, req.bucket, req.key, req.query)
  const resource = canonicalResource(req.bucket, req.key, req.query)
  const baseHeaders: Record<string, string> = { ...req.headers }
  const body = req.body
  const maxRetries = req.maxRetries ?? cfg.maxRetries
  const userSignal = req.signal
  userSignal?.throwIfAborted()
  let lastSigned: Record<string, string> = {}

  const attempt = async (): Promise<Response> => {
    userSignal?.throwIfAborted()
    const headers = { ...baseHeaders }
    const bodyInit = body ? body.open(cfg.streamRequestBodies) : null
    const isStream = typeof ReadableStream !== 'undefined' && bodyInit instanceof ReadableStream
    if (isStream && body?.size !== undefined) headers['Content-Length'] = String(body.size)
    lastSigned = await authorize(cfg, req, headers)
    const ctrl = new AbortController()
    let timedOut = false
    const timer = cfg.timeout > 0 ? setTimeout(() => ((timedOut = true), ctrl.abort()), cfg.timeout) : undefined
    try {
      const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: lastSigned, signal: attemptSignal(userSignal, ctrl), redirect: 'manual' }
      if (bodyInit !== null) init.body = bodyInit
      if (isStream) init.duplex = 'half'
      return await cfg.fetch()(url, init)
    } catch (e) {
      if (userSignal?.aborted) throw userSignal.reason
      if (timedOut) throw new ConnectionTimeout(`${req.method} ${resource}: no response within ${cfg.timeout} ms`, { cause: e, resource })
      if (e instanceof Error && e.name === 'FileOpenModeError') throw e
      throw new AttemptError(`${req.method} ${resource}: ${describeNetworkError(e)}`, { cause: e, resource })
    } finally {
      if (timer !== undefined) clearTimeout(timer)
    }
  }

  const retrying = fetchRetry(attempt as unknown as typeof fetch, {
    retries: maxRetries,
    retryDelay: 0,
    retryOn: async (n: number, error: unknown, response: Response | null) => {
      if (n >= maxRetries || userSignal?.aborted) return false
      // A consumed stream cannot be sent again (DESIGN rule 7).
      if (body && !body.replayable) return false
      if (error) {
        if (isAbortError(error) || !(error instanceof ConnectionError)) return false
      } else if (!response || !RETRY_STATUSES.has(response.status)) {
        return false
      } else {
        // Discarded bodies are cancelled so the connection is released.
        await response.body?.cancel().catch(() => {})
      }
      await abortableSleep(retryDelay(n, cfg.retryBaseDelay, cfg.retryMaxDelay, cfg.random), userSignal)
      return true
    },
  })

  let res: Response
  try {
    res = await retrying(url)
  } catch (e) {
    if (e instanceof AttemptError) throw new ConnectionError(e.message, { cause: e.cause, resource })
    throw e
  }
  if ((res.status >= 200 && res.status < 300) || res.status === 304) return res
  throw await errorFromResponse(res, req, resource, () => stringToSign({ ...req, headers: lastSigned }), cfg.timeout)
}

function describeNetworkError(e: unknown): string {
  if (!(e instanceof Error)) return String(e)
  const cause = (e as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ? `${e.message} (${cause.code}: ${cause.message ?? ''})` : e.message
}

/**
 * Maps an error response to the seed's exception: XML or JSON body parsed for Code/Message/Resource/RequestId,
 * body-less responses (HEAD) by status. A `SignatureDoesNotMatch` message adds the string-to-sign the SDK used.
 * The body is read under a small cap and `timeout` ms (`readBodyText`): an endless or dribbled error body
 * costs neither memory nor a hung call.
 */
export async function errorFromResponse(
  res: Response,
  req: Pick<NosRequest, 'method' | 'signal'>,
  resource: string,
  localStringToSign?: () => string,
  timeout?: number,
): Promise<ServiceException> {
  const requestId = res.headers.get('x-nos-request-id') ?? undefined
  let raw = ''
  let truncated = false
  if (req.method === 'HEAD') await res.body?.cancel().catch(() => {})
  else {
    try {
      ;({ text: raw, truncated } = await readBodyText(res, { limit: MAX_ERROR_BODY_BYTES, truncate: true, timeout, signal: req.signal, what: `${req.method} ${resource}` }))
    } catch {
      if (req.signal?.aborted) throw req.signal.reason
      raw = ''
    }
  }
  let code: string | undefined
  let message: string | undefined
  let bodyResource: string | undefined
  let bodyRequestId: string | undefined
  const trimmed = raw.trim()
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as { Error?: Record<string, string> } & Record<string, string>
      const err = json.Error ?? json
      code = err.Code ?? err.code
      message = err.Message ?? err.message
      bodyResource = err.Resource
      bodyRequestId = err.RequestId
    } catch {
      message = trimmed.slice(0, 500)
    }
  } else if (trimmed.startsWith('<')) {
    try {
      const err = truncated ? truncatedErrorFields(trimmed) : parseXml(trimmed, 'Error')
      code = text(err, 'Code') || undefined
      message = text(err, 'Message') || undefined
      bodyResource = text(err, 'Resource') || undefined
      bodyRequestId = text(err, 'RequestId') || undefined
    } catch {
      message = trimmed.slice(0, 500)
    }
  } else if (trimmed) {
    message = trimmed.slice(0, 500)
  }
  const reason = res.statusText || undefined
  let full = `${req.method} ${resource} failed: ${res.status}${reason ? ' ' + reason : ''}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`
  if (code === 'SignatureDoesNotMatch' && localStringToSign) {
    full += ` | the SDK signed: ${JSON.stringify(localStringToSign())} (check the clock, the endpoint, and that the headers sent are the ones signed)`
  }
  return serviceError(res.status, { errorType: reason, errorCode: code, requestId: bodyRequestId ?? requestId, resource: bodyResource ?? resource }, full)
}
