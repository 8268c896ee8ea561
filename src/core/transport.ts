/**
 * The one request pipeline (docs/architecture.md#one-operation-one-pipeline): sign -> fetch (fetch-retry) -> timeout/abort -> map errors.
 * @module
 */
import type { PreparedBody } from './body.js'
import type { NosConfig } from './config.js'
import { buildUrl } from './endpoint.js'
import type { Query } from './encoding.js'
import { ConnectionError, ConnectionTimeout, ServiceException, serviceError } from './errors.js'
import { backoff, isRetryable } from './retry-policy.js'
import { abortableSleep, linkSignals, releaseWhenRead } from './signals.js'
import { canonicalResource, signHeaders, stringToSign } from '../signing/signer.js'
import { MAX_ERROR_BODY_BYTES, readBodyText, truncatedErrorFields, withoutEmptyBody } from './response-body.js'
import { loadXmlParser, parseXml, text } from './xml.js'

/** A plain request description, built by an operation and run by `send` (docs/architecture.md#one-operation-one-pipeline). */
export interface NosRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD'
  bucket?: string | undefined
  key?: string | undefined
  query?: Query | undefined
  headers?: Record<string, string> | undefined
  body?: PreparedBody | undefined
  signal?: AbortSignal | undefined
  /** Overrides the policy's `maxRetries` for this request. */
  maxRetries?: number | undefined
  /** Filled in by `send`: what earlier attempts did, for requests whose retry may meet their own effect. */
  log?: AttemptLog | undefined
}

/**
 * What the attempts of one request did. `ambiguous` is set when an attempt may have been performed by NOS
 * although its answer never arrived (a network error or timeout) or said nothing certain (500 InternalError):
 * a retry of a non-idempotent request may then meet the effect of that attempt (operations/outcomes.ts).
 */
export interface AttemptLog {
  attempts: number
  ambiguous: boolean
}

export { RETRY_STATUSES, retryDelay } from './retry-policy.js'

type FetchRetry = typeof import('fetch-retry').default
let fetchRetry: FetchRetry | undefined

/**
 * fetch-retry, loaded on the first request rather than at import: it is CommonJS, and the first CommonJS module an ES
 * module imports costs Node ~10 ms of start-up (bench/fig-import.ts).
 */
async function loadFetchRetry(): Promise<FetchRetry> {
  const m = (await import('fetch-retry')) as unknown as { default?: FetchRetry } & FetchRetry
  return (fetchRetry = m.default ?? m)
}

async function authorize(cfg: NosConfig, req: NosRequest, headers: Record<string, string>): Promise<Record<string, string>> {
  if (!cfg.signer || !cfg.accessKeyId) return headers
  return signHeaders(
    { method: req.method, bucket: req.bucket, key: req.key, query: req.query, headers },
    { accessKeyId: cfg.accessKeyId, sign: cfg.signer, date: new Date(cfg.now()), useNosDate: cfg.useNosDate },
  )
}

/** Why an attempt failed before a response, kept to decide on retries. */
class AttemptError extends ConnectionError {}

/** Errors of attempts that failed before their request was sent (while signing): never ambiguous. */
const NOT_SENT = new WeakSet<object>()

/**
 * One attempt: sign, fetch with a per-attempt signal (the caller's signal and the timeout), map network failures.
 * The attempt is linked to the caller's signal (signals.ts: one listener however many calls share it) until the
 * response body is read or cancelled, or at once when the attempt fails: 10,000 calls sharing one signal leave it
 * with no listener. The link holds the attempt's controller only: a listener closing over the request body pinned
 * every part of a 1 GiB stream upload in memory (bench/fig-stream-rss.ts: peak RSS 1141 MiB before, bounded after).
 */
async function attempt(cfg: NosConfig, req: NosRequest, url: string, resource: string, signed: (h: Record<string, string>) => void): Promise<Response> {
  const userSignal = req.signal
  userSignal?.throwIfAborted()
  const headers = { ...req.headers }
  const body = req.body
  const bodyInit = body ? body.open(cfg.streamRequestBodies) : null
  const isStream = typeof ReadableStream !== 'undefined' && bodyInit instanceof ReadableStream
  if (isStream && body?.size !== undefined) headers['Content-Length'] = String(body.size)
  let lastSigned: Record<string, string>
  try {
    lastSigned = await authorize(cfg, req, headers)
  } catch (e) {
    // Nothing was sent: a retry cannot meet this attempt's effect (a signer that could not be reached, remote-signer.ts).
    if (typeof e === 'object' && e !== null) NOT_SENT.add(e)
    throw e
  }
  signed(lastSigned)
  const link = linkSignals([userSignal])
  let timedOut = false
  const timer = cfg.timeout > 0 ? setTimeout(() => ((timedOut = true), link.abort()), cfg.timeout) : undefined
  try {
    const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: lastSigned, signal: link.signal, redirect: 'manual' }
    if (bodyInit !== null) init.body = bodyInit
    if (isStream) init.duplex = 'half'
    const res = await cfg.fetch()(url, init)
    return userSignal ? releaseWhenRead(res, link.dispose) : res
  } catch (e) {
    link.dispose()
    if (userSignal?.aborted) throw userSignal.reason
    if (timedOut) throw new ConnectionTimeout(`${req.method} ${resource}: no response within ${cfg.timeout} ms`, { cause: e, resource })
    if (e instanceof Error && e.name === 'FileOpenModeError') throw e
    throw new AttemptError(`${req.method} ${resource}: ${describeNetworkError(e)}`, { cause: e, resource })
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}

const isSuccess = (res: Response) => (res.status >= 200 && res.status < 300) || res.status === 304

/**
 * Sends a request, retrying what the policy retries (cfg.retry, retry-policy.ts), and returns the successful
 * response (2xx, or 304). Error statuses become the seed's exceptions; network failures `ConnectionError`;
 * timeouts `ConnectionTimeout`; a caller's abort rejects with the signal's reason (an `AbortError`), never
 * retried, also during a backoff. fetch-retry runs the attempts; the policy makes every decision.
 */
export async function send(cfg: NosConfig, req: NosRequest): Promise<Response> {
  const url = buildUrl(cfg.endpoint, req.bucket, req.key, req.query)
  const resource = canonicalResource(req.bucket, req.key, req.query)
  const policy = cfg.retry
  const maxRetries = req.maxRetries ?? policy.maxRetries
  const userSignal = req.signal
  const log = req.log ?? { attempts: 0, ambiguous: false }
  userSignal?.throwIfAborted()
  let lastSigned: Record<string, string> = {}
  // An error body read to decide on a retry by its code is kept here, so the final error is not read twice.
  let read: { res: Response; error: ServiceException } | undefined
  const mapError = (res: Response) => errorFromResponse(res, req, resource, () => stringToSign({ ...req, headers: lastSigned }), cfg.timeout)

  const run = () => {
    log.attempts++
    return attempt(cfg, req, url, resource, (h) => (lastSigned = h))
  }
  const retrying = (fetchRetry ?? (await loadFetchRetry()))(run as unknown as typeof fetch, {
    retries: maxRetries,
    retryDelay: 0,
    retryOn: async (n: number, error: unknown, response: Response | null) => {
      // No answer (a network error, a timeout) or 500 InternalError: NOS may have performed this attempt.
      if (error ? isRetryable(policy, { error }) && !NOT_SENT.has(error as object) : response?.status === 500) log.ambiguous = true
      // A consumed stream cannot be sent again (docs/architecture.md#one-retry-policy).
      if (n >= maxRetries || userSignal?.aborted || (req.body && !req.body.replayable)) return false
      if (error) {
        if (!isRetryable(policy, { error })) return false
      } else if (!response || isSuccess(response)) {
        return false
      } else if (policy.statuses.has(response.status)) {
        // Discarded bodies are cancelled so the connection is released.
        await response.body?.cancel().catch(() => {})
      } else {
        if (!policy.codes.size || req.method === 'HEAD') return false
        read = { res: response, error: await mapError(response) }
        if (!isRetryable(policy, { status: response.status, code: read.error.errorCode })) return false
      }
      await abortableSleep(backoff(policy, n), userSignal)
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
  if (isSuccess(res)) return withoutEmptyBody(res)
  const error = read?.res === res ? read.error : await mapError(res)
  // A body left unread (HEAD errors are mapped by status) is cancelled: the connection and the listener go.
  await res.body?.cancel().catch(() => {})
  throw error
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
      if (!truncated) await loadXmlParser()
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
