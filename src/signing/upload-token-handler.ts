/**
 * The backend route that hands pages upload tokens (docs/protocol.md#upload-tokens), only for what a policy
 * allows: buckets, key prefixes, declared sizes, a lifetime. A fetch-style handler for Workers, Deno, Bun, or Node.
 * @module
 */
import { InvalidArgument, isClientException } from '../core/errors.js'
import { checkExpires, createUploadToken } from './upload-token.js'
import { checkBucket, checkKey } from '../core/validate.js'

/** What a token handler may issue tokens for. */
export interface UploadTokenPolicy {
  /** Buckets that may be uploaded to. */
  buckets: string[]
  /** Keys must start with one of these (default: any key). */
  keyPrefixes?: string[]
  /**
   * Largest size in bytes a page may declare. The token cannot carry it (NOS's documented put policy has no size
   * field), so this limits what pages ask for, not what NOS accepts; keep it with short lifetimes.
   */
  maxSize?: number
  /** Token lifetime in seconds; default 3600. */
  expires?: number
  /** Clock in ms; default `Date.now`. */
  now?: () => number
}

/** A token request: `POST { bucket?, key, size? }` (JSON); no bucket means the policy's first. */
export interface UploadTokenRequest {
  bucket: string
  key: string
  size?: number
}

/** The answer: the token and what it is for. */
export interface UploadTokenAnswer {
  token: string
  bucket: string
  key: string
  expiresAt: string
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })

function checkPolicy(policy: UploadTokenPolicy): void {
  if (!Array.isArray(policy?.buckets) || policy.buckets.length === 0) throw new InvalidArgument('policy.buckets must list at least one bucket')
  if (policy.keyPrefixes !== undefined && (!Array.isArray(policy.keyPrefixes) || policy.keyPrefixes.some((k) => typeof k !== 'string'))) {
    throw new InvalidArgument('policy.keyPrefixes must be an array of strings')
  }
  if (policy.maxSize !== undefined && (!Number.isSafeInteger(policy.maxSize) || policy.maxSize < 0)) throw new InvalidArgument('policy.maxSize must be a non-negative integer')
}

/** Why a request is refused (a message for the page), or undefined when the policy allows it. */
function refusal(policy: UploadTokenPolicy, r: UploadTokenRequest): string | undefined {
  if (!policy.buckets.includes(r.bucket)) return `bucket ${JSON.stringify(r.bucket)} is not allowed`
  if (policy.keyPrefixes && !policy.keyPrefixes.some((p) => r.key.startsWith(p))) return `key ${JSON.stringify(r.key)} is not under ${policy.keyPrefixes.join(', ')}`
  if (policy.maxSize !== undefined) {
    if (!Number.isSafeInteger(r.size) || r.size! < 0) return 'size (the file size in bytes) is required'
    if (r.size! > policy.maxSize) return `size ${r.size} exceeds the limit of ${policy.maxSize} bytes`
  }
  return undefined
}

/**
 * A fetch-style handler: `POST { "bucket", "key", "size" }` answers `{ token, bucket, key, expiresAt }`, or 403
 * `{ error }` when the policy refuses (400 for malformed requests). Put your own authentication in front of it.
 * @example
 * const tokens = createUploadTokenHandler({ accessKeyId: env.NOS_AK, accessKeySecret: env.NOS_SK }, { buckets: ['videos'], keyPrefixes: ['user-42/'], maxSize: 2 ** 30, expires: 900 })
 * export default { fetch: (req: Request) => new URL(req.url).pathname === '/api/upload-token' ? tokens(req) : new Response('not found', { status: 404 }) }
 */
export function createUploadTokenHandler(
  credentials: { accessKeyId: string; accessKeySecret: string },
  policy: UploadTokenPolicy,
): (request: Request) => Promise<Response> {
  checkPolicy(policy)
  const { accessKeyId, accessKeySecret } = credentials ?? {}
  if (typeof accessKeyId !== 'string' || !accessKeyId || typeof accessKeySecret !== 'string' || !accessKeySecret) {
    throw new InvalidArgument('credentials must be { accessKeyId, accessKeySecret }')
  }
  const now = policy.now ?? (() => Date.now())
  const expires = checkExpires(policy.expires, 'policy.expires')
  return async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'use POST' })
    let r: UploadTokenRequest
    try {
      r = (await request.json()) as UploadTokenRequest
      if (typeof r === 'object' && r !== null && r.bucket === undefined) r.bucket = policy.buckets[0]!
      checkBucket(r?.bucket)
      checkKey(r.key)
      if (r.size !== undefined && (!Number.isSafeInteger(r.size) || r.size < 0)) throw new InvalidArgument('size must be a non-negative integer')
    } catch (e) {
      return json(400, { error: `body must be JSON { "bucket", "key", "size" }: ${isClientException(e) ? e.message : 'not JSON'}` })
    }
    const why = refusal(policy, r)
    if (why) return json(403, { error: why })
    const t = now()
    const token = await createUploadToken({ accessKeyId, accessKeySecret, bucket: r.bucket, key: r.key, expires, now: () => t })
    return json(200, { token, bucket: r.bucket, key: r.key, expiresAt: new Date((Math.floor(t / 1000) + expires) * 1000).toISOString() })
  }
}
