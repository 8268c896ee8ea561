/**
 * The backend half of "no secret in the page" (docs/architecture.md#no-secret-in-the-page): a signer that signs a string-to-sign only when
 * whatever the server will make of it stays within a policy (buckets, key prefixes, methods, sub-resources, maximum
 * expiry, fresh dates). Runs in Node and edge functions (Web Crypto only). The page's `NosClient` uses
 * `remoteSigner(url)` as its `sign` option.
 *
 * The checks read the string-to-sign as the server does (docs/protocol.md#signing): the date the server checks,
 * parsed the same way; one decoding of the key, with only canonical resources signed; the copy/move source parsed
 * as the server parses it.
 * @module
 */
import { nosEncode } from '../core/encoding.js'
import { InvalidArgument, SigningPolicyError } from '../core/errors.js'
import { parseRequestDate } from '../core/http-date.js'
import { createHmacSigner, type SignFunction } from './signer.js'

/** What a policy signer may sign. */
export interface SigningPolicy {
  /** Buckets that may be addressed. */
  buckets: string[]
  /** Keys must start with one of these (default: any key). */
  keyPrefixes?: string[]
  /**
   * Methods that may be signed; default PUT and POST (uploads, multipart initiate/complete). Note that GET also lets
   * a page use NOS's unsigned `ifNotFound=<key>` parameter (docs/protocol.md#signed-sub-resources).
   */
  methods?: ('GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD')[]
  /**
   * Signed sub-resources a request may carry (docs/protocol.md#signed-sub-resources); default the multipart ones,
   * `uploads`, `uploadId` and `partNumber`. Anything else (`acl`, `delete`, `deduplication`, `versionId`...) is
   * refused unless listed here.
   */
  subResources?: string[]
  /** Longest presigned-URL lifetime in seconds; default 3600. */
  maxExpires?: number
  /** Largest difference between a header-auth date and now; default 15 minutes (NOS's own window). */
  maxSkewMs?: number
  /** Clock in ms; default `Date.now`. */
  now?: () => number
}

/** The sub-resources of multipart uploads, allowed by default. */
export const DEFAULT_POLICY_SUBRESOURCES: readonly string[] = ['uploads', 'uploadId', 'partNumber']

/** What a string-to-sign asks for, parsed (docs/protocol.md#signing). */
export interface ParsedStringToSign {
  method: string
  contentMd5: string
  contentType: string
  dateLine: string
  nosHeaders: Record<string, string>
  bucket: string | undefined
  /** The key, percent-decoded once (as the server decodes it). */
  key: string | undefined
  /** The key as written in the canonical resource. */
  rawKey: string | undefined
  subResources: string
}

function decodeKey(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new SigningPolicyError(`the key in ${what} is not valid percent-encoding`)
  }
}

/** Splits a string-to-sign into its parts; malformed input is a `SigningPolicyError`. */
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
  const rawKey = slash < 0 || slash === path.length - 1 ? undefined : path.slice(slash + 1)
  const key = rawKey === undefined ? undefined : decodeKey(rawKey, 'the canonical resource')
  return { method, contentMd5, contentType, dateLine, nosHeaders, bucket, key, rawKey, subResources: q < 0 ? '' : resource.slice(q + 1) }
}

/** The policy after defaults, with the checks that read it. */
class PolicyRules {
  readonly methods: Set<string>
  readonly subResources: Set<string>
  readonly maxExpires: number
  readonly maxSkew: number
  constructor(readonly policy: SigningPolicy) {
    this.methods = new Set(policy.methods ?? ['PUT', 'POST'])
    this.subResources = new Set(policy.subResources ?? DEFAULT_POLICY_SUBRESOURCES)
    this.maxExpires = policy.maxExpires ?? 3600
    this.maxSkew = policy.maxSkewMs ?? 15 * 60_000
  }

  bucket(bucket: string | undefined): boolean {
    return bucket !== undefined && this.policy.buckets.includes(bucket)
  }

  /** A key the policy covers: under a prefix, and addressable in a URL (docs/protocol.md#key-encoding-and-canonical-resource). */
  key(key: string | undefined): boolean {
    if (key === undefined || key === '' || key === '.' || key === '..') return false
    return !this.policy.keyPrefixes || this.policy.keyPrefixes.some((p) => key.startsWith(p))
  }

  describeKey(key: string | undefined): string {
    const prefixes = this.policy.keyPrefixes ? ` (allowed prefixes: ${this.policy.keyPrefixes.join(', ')})` : ''
    return `key ${JSON.stringify(key ?? '')} is not allowed${prefixes}`
  }
}

/** Bucket, key (canonical, under a prefix) and sub-resources of the canonical resource. */
function checkResource(r: ParsedStringToSign, rules: PolicyRules): void {
  if (!rules.methods.has(r.method)) throw new SigningPolicyError(`method ${r.method} is not allowed (allowed: ${[...rules.methods].join(', ')})`)
  if (!rules.bucket(r.bucket)) throw new SigningPolicyError(`bucket ${JSON.stringify(r.bucket ?? '')} is not allowed (allowed: ${rules.policy.buckets.join(', ')})`)
  if (!rules.key(r.key)) throw new SigningPolicyError(rules.describeKey(r.key))
  // One decoding: only the canonical spelling of a key is signed, so that no lenient server reading of another
  // spelling (e.g. "%75ser-42" taken literally) can name a key the policy did not check.
  if (nosEncode(r.key!) !== r.rawKey) {
    throw new SigningPolicyError(`the key in the canonical resource must be NOS-encoded exactly (expected ${nosEncode(r.key!)}, got ${r.rawKey})`)
  }
  for (const sub of r.subResources ? r.subResources.split('&') : []) {
    const name = sub.split('=')[0]!
    if (!rules.subResources.has(name)) {
      throw new SigningPolicyError(`sub-resource ?${name} is not allowed (allowed: ${[...rules.subResources].join(', ') || 'none'})`)
    }
  }
}

/**
 * `x-nos-copy-source` / `x-nos-move-source`, read as the server reads them (decoded once, optional leading `/`,
 * bucket up to the next `/`), must be written canonically (`/bucket/<NOS-encoded key>`) and lie within the policy.
 */
function checkSources(r: ParsedStringToSign, rules: PolicyRules): void {
  for (const h of ['x-nos-copy-source', 'x-nos-move-source']) {
    const value = r.nosHeaders[h]
    if (value === undefined) continue
    let decoded = decodeKey(value.trim(), h)
    if (decoded.startsWith('/')) decoded = decoded.slice(1)
    const slash = decoded.indexOf('/')
    const bucket = slash < 0 ? decoded : decoded.slice(0, slash)
    const key = slash < 0 ? undefined : decoded.slice(slash + 1)
    if (!rules.bucket(bucket) || !rules.key(key) || value !== `/${bucket}/${nosEncode(key!)}`) {
      throw new SigningPolicyError(`${h} ${value} is outside the policy`)
    }
  }
}

/**
 * The date the server will check (docs/protocol.md#dates-and-skew): a date line of digits is an expiry (query auth,
 * or an `Expires` header in the date line); otherwise x-nos-date when present (the date line then empty or the same
 * date), else the Date line, parsed as the server parses it.
 */
function checkDate(r: ParsedStringToSign, rules: PolicyRules, nowMs: number): void {
  if (/^\d+$/.test(r.dateLine)) {
    const left = Number(r.dateLine) - nowMs / 1000
    if (left > rules.maxExpires) throw new SigningPolicyError(`expiry ${Math.round(left)} s from now exceeds the policy maximum of ${rules.maxExpires} s`)
    if (left <= 0) throw new SigningPolicyError('the expiry is in the past')
    return
  }
  const nosDate = r.nosHeaders['x-nos-date']
  if (nosDate !== undefined && r.dateLine !== '' && r.dateLine !== nosDate) {
    throw new SigningPolicyError(`the Date line ${JSON.stringify(r.dateLine)} and x-nos-date ${JSON.stringify(nosDate)} disagree`)
  }
  const date = nosDate ?? r.dateLine
  if (!date) throw new SigningPolicyError('the request has no Date or x-nos-date')
  const when = parseRequestDate(date)
  if (when === undefined) throw new SigningPolicyError(`the request date ${JSON.stringify(date)} is not RFC 1123 GMT (or the Asia/Shanghai form)`)
  if (Math.abs(when - nowMs) > rules.maxSkew) {
    throw new SigningPolicyError(`the request date ${JSON.stringify(date)} is not within ${rules.maxSkew / 60000} minutes of now`)
  }
}

function checkPolicy(policy: SigningPolicy): void {
  if (typeof policy !== 'object' || policy === null) throw new InvalidArgument('policy must be an object')
  if (!Array.isArray(policy.buckets) || policy.buckets.length === 0) throw new InvalidArgument('policy.buckets must list at least one bucket')
  for (const name of ['keyPrefixes', 'methods', 'subResources'] as const) {
    const v = policy[name]
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) throw new InvalidArgument(`policy.${name} must be an array of strings`)
  }
  for (const name of ['maxExpires', 'maxSkewMs'] as const) {
    const v = policy[name]
    if (v !== undefined && (!Number.isSafeInteger(v) || v <= 0)) throw new InvalidArgument(`policy.${name} must be a positive integer, got ${String(v)}`)
  }
}

/**
 * A sign function bound to a secret and a policy. Throws `SigningPolicyError` for anything outside the policy.
 * @example
 * const sign = createPolicySigner(env.NOS_SECRET, { buckets: ['uploads'], keyPrefixes: ['user-42/'] })
 * const signature = await sign(stringToSignFromThePage)
 */
export function createPolicySigner(accessKeySecret: string, policy: SigningPolicy): SignFunction {
  if (typeof accessKeySecret !== 'string' || !accessKeySecret) throw new InvalidArgument('accessKeySecret is required')
  checkPolicy(policy)
  const hmac = createHmacSigner(accessKeySecret)
  const rules = new PolicyRules(policy)
  const now = policy.now ?? Date.now
  return async (sts: string) => {
    if (typeof sts !== 'string') throw new SigningPolicyError('stringToSign must be a string')
    const r = parseStringToSign(sts)
    checkResource(r, rules)
    checkSources(r, rules)
    checkDate(r, rules, now())
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
