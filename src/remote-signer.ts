/**
 * The page half of "no secret in the page": a `sign` option that asks a signing endpoint
 * (`createSigningHandler` in `./signing-policy.ts` is the backend half).
 * @module
 */
import { SigningPolicyError } from './errors.js'
import type { SignFunction } from './signer.js'

/**
 * The page half: a `sign` option that asks a signing endpoint (see `createSigningHandler`).
 * @example
 * const client = new NosClient({ accessKeyId: 'AK', sign: remoteSigner('/api/nos-sign'), endpoint })
 */
export function remoteSigner(url: string, init: { headers?: Record<string, string>; fetch?: typeof fetch } = {}): SignFunction {
  return async (stringToSign) => {
    const f = init.fetch ?? globalThis.fetch
    const res = await f(url, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify({ stringToSign }) })
    const body = (await res.json().catch(() => ({}))) as { signature?: string; error?: string }
    if (!res.ok || typeof body.signature !== 'string') {
      throw new SigningPolicyError(`the signing endpoint refused: ${body.error ?? `HTTP ${res.status}`}`, { statusCode: res.status })
    }
    return body.signature
  }
}
