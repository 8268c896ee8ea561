/**
 * The backend half of "no secret in the page" (DESIGN rule 5): a signer that signs a string-to-sign only when
 * it stays within a policy (buckets, key prefixes, methods, maximum expiry, fresh dates). Runs in Node and edge
 * functions (Web Crypto only). The page's `NosClient` uses `remoteSigner(url)` as its `sign` option.
 * @module
 */
import { InvalidArgument, SigningPolicyError } from './errors.js'
import { createHmacSigner, type SignFunction } from './signer.js'

/** What a policy signer may sign. */
export interface SigningPolicy {
  /** Buckets that may be addressed. */
  buckets: string[]
  /** Keys must start with one of these (default: any key). */
  keyPrefixes?: string[]
  /** Methods that may be signed; default PUT and POST (uploads, multipart initiate/complete). */
  methods?: ('GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD')[]
  /** Longest presigned-URL lifetime in seconds; default 3600. */
  maxExpires?: number
  /** Largest difference between a header-auth date and now; default 15 minutes (NOS's own window). */
  maxSkewMs?: number
  /** Clock in ms; default `Date.now`. */
  now?: () => number
}


/** What a string-to-sign asks for, parsed (nos-protocol.md §3.2). */
export interface ParsedStringToSign {
  method: string
  contentMd5: string
  contentType: string
  dateLine: string
  nosHeaders: Record<string, string>
  bucket: string | undefined
  key: string | undefined
  subResources: string
}

/** Splits a string-to-sign into its parts. */
export function parseStringToSign(sts: string): ParsedStringToSign {
  const lines = sts.split('\n')
  if (lines.length < 5) throw new SigningPolicyError('not a NOS string-to-sign (expected at least 5 lines)')
  const [method, contentMd5, contentType, dateLine] = lines as [string, string, string, string]
  const resource = lines[lines.length - 1]!
  const nosHeaders: Record<string, string> = {}
  for (const line of lines.slice(4, -1)) {
    const i = line.indexOf(':')
    if (i <= 0 || !line.startsWith('x-nos-')) throw new SigningPolicyError(`unexpected line in string-to-sign: ${JSON.stringify(line)}`)
    nosHeaders[line.slice(0, i)] = line.slice(i + 1)
  }
  if (!resource.startsWith('/')) throw new SigningPolicyError('the canonical resource must start with /')
  const q = resource.indexOf('?')
  const path = q < 0 ? resource : resource.slice(0, q)
  const slash = path.indexOf('/', 1)
  const bucket = slash < 0 ? (path.length > 1 ? path.slice(1) : undefined) : path.slice(1, slash)
  const rawKey = slash < 0 ? '' : path.slice(slash + 1)
  let key: string | undefined
  try {
    key = rawKey ? decodeURIComponent(rawKey) : undefined
  } catch {
    throw new SigningPolicyError('the key in the canonical resource is not valid percent-encoding')
  }
  return { method, contentMd5, contentType, dateLine, nosHeaders, bucket, key, subResources: q < 0 ? '' : resource.slice(q + 1) }
}

function parseHttpDate(v: string): number {
  const s = v.trim().endsWith('Asia/Shanghai') ? v.trim().replace(/\s*Asia\/Shanghai$/, ' +0800') : v
  return Date.parse(s)
}

/**
 * A sign function bound to a secret and a policy. Throws `SigningPolicyError` for anything outside the policy.
 * @example
 * const sign = createPolicySigner(env.NOS_SECRET, { buckets: ['uploads'], keyPrefixes: ['user-42/'] })
 * const signature = await sign(stringToSignFromThePage)
 */
export function createPolicySigner(accessKeySecret: string, policy: SigningPolicy): SignFunction {
  if (typeof accessKeySecret !== 'string' || !accessKeySecret) throw new InvalidArgument('accessKeySecret is required')
  if (!Array.isArray(policy?.buckets) || policy.buckets.length === 0) throw new InvalidArgument('policy.buckets must list at least one bucket')
  const hmac = createHmacSigner(accessKeySecret)
  const methods = new Set(policy.methods ?? ['PUT', 'POST'])
  const maxExpires = policy.maxExpires ?? 3600
  const maxSkew = policy.maxSkewMs ?? 15 * 60_000
  const now = policy.now ?? Date.now
  const allowedKey = (key: string | undefined) => key !== undefined && (!policy.keyPrefixes || policy.keyPrefixes.some((p) => key.startsWith(p)))
  return async (sts: string) => {
    if (typeof sts !== 'string') throw new SigningPolicyError('stringToSign must be a string')
    const r = parseStringToSign(sts)
    if (!methods.has(r.method as never)) throw new SigningPolicyError(`method ${r.method} is not allowed (allowed: ${[...methods].join(', ')})`)
    if (!r.bucket || !policy.buckets.includes(r.bucket)) throw new SigningPolicyError(`bucket ${JSON.stringify(r.bucket ?? '')} is not allowed (allowed: ${policy.buckets.join(', ')})`)
    if (!allowedKey(r.key)) throw new SigningPolicyError(`key ${JSON.stringify(r.key ?? '')} is not allowed${policy.keyPrefixes ? ` (allowed prefixes: ${policy.keyPrefixes.join(', ')})` : ''}`)
    for (const h of ['x-nos-copy-source', 'x-nos-move-source']) {
      const src = r.nosHeaders[h]
      if (src === undefined) continue
      const parsed = parseStringToSign(`GET\n\n\n\n${decodeURIComponent(src).startsWith('/') ? src : '/' + src}`)
      if (!parsed.bucket || !policy.buckets.includes(parsed.bucket) || !allowedKey(parsed.key)) throw new SigningPolicyError(`${h} ${src} is outside the policy`)
    }
    const t = now()
    if (/^\d+$/.test(r.dateLine)) {
      const left = Number(r.dateLine) - t / 1000
      if (left > maxExpires) throw new SigningPolicyError(`expiry ${Math.round(left)} s from now exceeds the policy maximum of ${maxExpires} s`)
      if (left <= 0) throw new SigningPolicyError('the expiry is in the past')
    } else {
      const date = r.dateLine || r.nosHeaders['x-nos-date']
      if (!date) throw new SigningPolicyError('the request has no Date or x-nos-date')
      const when = parseHttpDate(date)
      if (!Number.isFinite(when) || Math.abs(when - t) > maxSkew) throw new SigningPolicyError(`the request date ${JSON.stringify(date)} is not within ${maxSkew / 60000} minutes of now`)
    }
    return hmac(sts)
  }
}

/**
 * A fetch-style handler for a signing endpoint: `POST { "stringToSign": "..." }` answers `{ "signature": "..." }`,
 * or 403 `{ "error": "..." }` when the policy refuses. Mount it in a Workers `fetch` handler or a Node server.
 * @example
 * export default { fetch: createSigningHandler(env.NOS_SECRET, { buckets: ['uploads'] }) }
 */
export function createSigningHandler(accessKeySecret: string, policy: SigningPolicy): (request: Request) => Promise<Response> {
  const sign = createPolicySigner(accessKeySecret, policy)
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  return async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'use POST' })
    let sts: unknown
    try {
      sts = ((await request.json()) as { stringToSign?: unknown }).stringToSign
    } catch {
      return json(400, { error: 'body must be JSON { "stringToSign": "..." }' })
    }
    try {
      return json(200, { signature: await sign(sts as string) })
    } catch (e) {
      return json(403, { error: e instanceof Error ? e.message : String(e) })
    }
  }
}
