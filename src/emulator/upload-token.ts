/**
 * Upload tokens (`x-nos-token`, docs/protocol.md#upload-tokens), checked with node:crypto: an independent
 * re-implementation, so the emulator judges the SDK's `createUploadToken` instead of trusting it.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Ctx, Principal } from './context.js'
import { NosError } from './errors.js'

/** A put policy as the token carries it (docs/protocol.md#upload-tokens). */
interface PutPolicy {
  Bucket?: unknown
  Object?: unknown
  Expires?: unknown
}

const TOKEN = /^UPLOAD\s+([^:\s]+):([^:\s]+):(\S+)$/

function readPolicy(b64: string): PutPolicy {
  let policy: unknown
  try {
    policy = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'))
  } catch {
    throw new NosError('AccessDenied', 'Upload token policy is not JSON.')
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw new NosError('AccessDenied', 'Upload token policy is not a JSON object.')
  return policy as PutPolicy
}

/**
 * Verifies `x-nos-token: UPLOAD <ak>:<Base64 HMAC-SHA256(secret, policyB64)>:<policyB64>` for `bucket`/`key`:
 * a known access key, a matching signature (constant time), policy `Bucket`/`Object` equal to the target, and an
 * `Expires` (Unix seconds) not in the past. Any failure is 403.
 *
 * @example
 * ctx.principal = verifyUploadToken(ctx, 'my-bucket', 'k')
 */
export function verifyUploadToken(ctx: Ctx, bucket: string, key: string): Principal {
  const m = TOKEN.exec((ctx.headers['x-nos-token'] ?? '').trim())
  if (!m) throw new NosError('AccessDenied', 'Malformed upload token.')
  const account = ctx.env.settings.accounts.get(m[1]!)
  if (!account) throw new NosError('InvalidAccessKeyId')
  const expected = Buffer.from(createHmac('sha256', account.secret).update(m[3]!).digest('base64'))
  const given = Buffer.from(m[2]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new NosError('AccessDenied', 'Upload token signature mismatch.')
  const policy = readPolicy(m[3]!)
  if (policy.Bucket !== bucket || policy.Object !== key) throw new NosError('AccessDenied', 'Upload token is for another bucket or object.')
  if (policy.Expires !== undefined) {
    const expires = Number(policy.Expires)
    if (!Number.isFinite(expires)) throw new NosError('AccessDenied', 'Upload token Expires is not a number.')
    if (ctx.now() > expires * 1000) throw new NosError('AccessDenied', 'Upload token has expired.')
  }
  return { accessKeyId: account.accessKeyId, ownerId: account.ownerId }
}
