/**
 * The page half of "no secret in the page": a `sign` option that asks a signing endpoint
 * (`createSigningHandler` in `./signing-policy.ts` is the backend half).
 *
 * Whatever the endpoint answers is described, never guessed at: a refusal, a login page served with 200, a redirect
 * (a session that expired), an HTML error page or a 500 are `SigningPolicyError`s that say what came back (status,
 * content type, the first bytes, the redirect's target); an endpoint that cannot be reached is a `ConnectionError`.
 * @module
 */
import { ConnectionError, SigningPolicyError } from '../core/errors.js'
import { readBodyText } from '../core/response-body.js'
import type { SignFunction } from './signer.js'

/** Bytes of an answer read: a signature document is tiny; an HTML page is cut (its start is what helps). */
const MAX_ANSWER_BYTES = 16 * 1024
/** Characters of an unexpected answer shown in the error. */
const EXCERPT = 200

/** What came back, for a message: `HTTP 200 (text/html; charset=utf-8), after a redirect to <url>: "<html>..."`. */
function described(url: string, res: Response, text: string): string {
  const type = res.headers.get('content-type')
  const redirect = res.redirected ? `, after a redirect to ${res.url}` : ''
  const excerpt = text.trim().replace(/\s+/g, ' ').slice(0, EXCERPT)
  return `the signing endpoint ${url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} (${type ?? 'no content type'})${redirect}` +
    (excerpt ? `: ${JSON.stringify(excerpt)}${text.trim().length > EXCERPT ? '...' : ''}` : ', with an empty body')
}

/** The endpoint's JSON document, or undefined when the answer is not JSON. */
function jsonOf(text: string): { signature?: unknown; error?: unknown } | undefined {
  try {
    const v = JSON.parse(text) as unknown
    return typeof v === 'object' && v !== null ? v : undefined
  } catch {
    return undefined
  }
}

/**
 * The page half: a `sign` option that asks a signing endpoint (see `createSigningHandler`) with
 * `POST { stringToSign }` and expects `{ signature }` (or `{ error }` with a refusal status).
 * @example
 * const client = new NosClient({ accessKeyId: 'AK', sign: remoteSigner('/api/nos-sign'), endpoint })
 */
export function remoteSigner(url: string, init: { headers?: Record<string, string>; fetch?: typeof fetch } = {}): SignFunction {
  return async (stringToSign) => {
    const f = init.fetch ?? globalThis.fetch
    let res: Response
    try {
      res = await f(url, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify({ stringToSign }) })
    } catch (e) {
      throw new ConnectionError(`the signing endpoint ${url} could not be reached: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
    }
    const { text } = await readBodyText(res, { limit: MAX_ANSWER_BYTES, truncate: true, what: `the signing endpoint ${url}` })
    const doc = jsonOf(text)
    if (res.ok && !res.redirected && typeof doc?.signature === 'string') return doc.signature
    const fields = { statusCode: res.status }
    if (!res.ok && typeof doc?.error === 'string') throw new SigningPolicyError(`the signing endpoint refused: ${doc.error}`, fields)
    const why = res.redirected ? 'redirected (a login page? the session may have expired)' : doc ? 'answered JSON without a "signature"' : 'did not answer JSON'
    throw new SigningPolicyError(`the signing endpoint ${why}: ${described(url, res, text)}`, fields)
  }
}
