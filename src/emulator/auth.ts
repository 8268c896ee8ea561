/**
 * Request authentication (nos-protocol.md §3.10): header auth (`Authorization: NOS ak:sig`), query auth
 * (`NOSAccessKeyId`/`Expires`/`Signature`, §4) or anonymous. The string-to-sign comes from the SDK's own pure
 * signer (`stringToSign`, `canonicalResource`, `nosEncode`), so the emulator and the SDK cannot drift apart;
 * lenient candidates cover the client variants §3.10 lists. Signatures are compared in constant time.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { canonicalResource, stringToSign } from '../signer.js'
import type { Ctx, Principal } from './context.js'
import { verifyUploadToken } from './direct-upload.js'
import { NosError } from './errors.js'
import { parseNosDate } from './time.js'
import type { OpName } from './types.js'

/** REST operations an upload token may authorise. */
const TOKEN_OPS = new Set<OpName>(['putObject', 'initiateMultipartUpload', 'uploadPart', 'completeMultipartUpload'])

/** Sub-resources no SDK signs but a client might (§3.5, §9.1): accept the resource with or without them. */
const MAYBE_SIGNED = ['cors', 'meta']

/** Headers that enter the string-to-sign (§3.2): positional ones plus every `x-nos-*`. */
function signedHeaders(ctx: Ctx, strip: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name === 'content-md5' || name === 'content-type' || name === 'date' || name.startsWith('x-nos-')) {
      // The Python SDK signs values with surrounding quotes stripped (§3.2); offered as a second candidate.
      out[name] = strip ? value.trim().replace(/^['"]+|['"]+$/g, '') : value
    }
  }
  return out
}

/** Canonical resources to try: official encoding first, then the lenient key encodings and sub-resources. */
function resourceCandidates(ctx: Ctx): string[] {
  const { bucket, key, query } = ctx
  const official = canonicalResource(bucket, key, query)
  const base = canonicalResource(bucket, key)
  const suffix = official.slice(base.length)
  const bases = [base]
  if (bucket && key) {
    const keyEncodings = [
      key.replace(/\//g, '%2F'), // TS3 style: raw UTF-8 with only '/' encoded (§3.10 b)
      ctx.rawKey ?? '', // exactly what the client put in the path
      encodeURIComponent(key),
    ]
    for (const enc of keyEncodings) if (enc) bases.push(`/${bucket}/${enc}`)
  }
  const suffixes = [suffix]
  const extra = MAYBE_SIGNED.filter((n) => n in query)
  if (extra.length) {
    const subs = suffix ? suffix.slice(1).split('&') : []
    for (const n of extra) subs.push(query[n] ? `${n}=${query[n]}` : n)
    subs.sort((a, b) => (a.split('=')[0]! < b.split('=')[0]! ? -1 : 1))
    suffixes.push(`?${subs.join('&')}`)
  }
  const out = new Set<string>()
  for (const b of bases) for (const s of suffixes) out.add(b + s)
  return [...out]
}

/** Every string-to-sign the request may have been signed with; the first is the official one. */
function candidates(ctx: Ctx, dateLines: Array<string | undefined>): string[] {
  const out = new Set<string>()
  const official = canonicalResource(ctx.bucket, ctx.key, ctx.query)
  const resources = resourceCandidates(ctx)
  for (const strip of [false, true]) {
    const headers = signedHeaders(ctx, strip)
    for (const dateLine of dateLines) {
      const sts = stringToSign({ method: ctx.method, bucket: ctx.bucket, key: ctx.key, query: ctx.query, headers }, dateLine)
      const prefix = sts.slice(0, sts.length - official.length)
      for (const r of resources) out.add(prefix + r)
    }
  }
  return [...out]
}

function hmac(secret: string, sts: string): string {
  return createHmac('sha256', secret).update(sts, 'utf8').digest('base64')
}

/** Constant-time check of the provided signature against every candidate (no early exit). */
function verify(secret: string, provided: string, stss: string[]): boolean {
  const given = Buffer.from(provided)
  let ok = false
  for (const sts of stss) {
    const expected = Buffer.from(hmac(secret, sts))
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true
  }
  return ok
}

function mismatch(officialSts: string): NosError {
  // The string-to-sign helps clients debug; the secret and the expected signature are never revealed.
  const shown = officialSts.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
  return new NosError(
    'SignatureDoesNotMatch',
    `The request signature we calculated does not match the signature you provided. Check your key and signing method. StringToSign: "${shown}"`,
  )
}

/**
 * Authenticates the request: the principal, or null when anonymous (authorisation is the caller's job).
 * Throws 403 AccessDenied / InvalidAccessKeyId / RequestTimeTooSkewed / SignatureDoesNotMatch.
 *
 * @example
 * ctx.principal = authenticate(ctx)
 */
export function authenticate(ctx: Ctx): Principal | null {
  const { settings } = ctx.env
  const authorization = ctx.headers['authorization']
  const q = ctx.query
  if (authorization !== undefined) {
    const m = /^NOS\s+([^:\s]+):(\S+)$/.exec(authorization.trim())
    if (!m) throw new NosError('AccessDenied', 'Malformed Authorization header; expected "NOS <AccessKeyId>:<Signature>".')
    const account = settings.accounts.get(m[1]!)
    if (!account) throw new NosError('InvalidAccessKeyId')
    // x-nos-date wins over Date for the time check (§3.4): browsers cannot set Date.
    const dateValue = ctx.headers['x-nos-date'] ?? ctx.headers['date']
    const t = parseNosDate(dateValue)
    if (t === undefined) throw new NosError('AccessDenied', 'A valid Date or x-nos-date header is required.')
    if (Math.abs(ctx.now() - t) > settings.maxSkewMs) throw new NosError('RequestTimeTooSkewed')
    const dateLines: Array<string | undefined> = [undefined]
    if (ctx.headers['x-nos-date'] !== undefined && ctx.headers['date'] !== undefined) dateLines.push(ctx.headers['date'])
    // Python quirk: an Expires header is signed in place of Date (§3.8).
    if (ctx.headers['expires'] !== undefined) dateLines.push(ctx.headers['expires'])
    const stss = candidates(ctx, dateLines)
    if (!verify(account.secret, m[2]!, stss)) throw mismatch(stss[0]!)
    return { accessKeyId: account.accessKeyId, ownerId: account.ownerId }
  }
  const ak = q['NOSAccessKeyId']
  const sig = q['Signature']
  const expires = q['Expires']
  if (ak != null || sig != null) {
    if (!ak || !sig || !expires) {
      throw new NosError('AccessDenied', 'Query-string authentication requires the NOSAccessKeyId, Expires and Signature parameters.')
    }
    const account = settings.accounts.get(ak)
    if (!account) throw new NosError('InvalidAccessKeyId')
    if (!/^\d+$/.test(expires)) throw new NosError('AccessDenied', 'Expires must be Unix seconds.')
    if (ctx.now() > Number(expires) * 1000) throw new NosError('AccessDenied', 'Request has expired')
    const stss = candidates(ctx, [expires])
    if (!verify(account.secret, sig, stss)) throw mismatch(stss[0]!)
    return { accessKeyId: account.accessKeyId, ownerId: account.ownerId }
  }
  // An upload token instead of a signature, for uploads (§3.9, §3.10 step 1; the Java client does this).
  if (ctx.headers['x-nos-token'] !== undefined && TOKEN_OPS.has(ctx.op) && ctx.bucket && ctx.key) {
    return verifyUploadToken(ctx, ctx.bucket, ctx.key)
  }
  return null
}

