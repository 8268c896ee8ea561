/**
 * Request authentication (docs/protocol.md#how-the-emulator-authenticates): header auth (`Authorization: NOS ak:sig`),
 * query auth (`NOSAccessKeyId`/`Expires`/`Signature`, docs/protocol.md#presigned-urls) or anonymous. The string-to-sign
 * is built by the emulator's own rules (./signing.ts), never by the SDK's signer; lenient candidates cover the client
 * variants docs/protocol.md#how-the-emulator-authenticates lists, each under the rule that keeps a signing policy
 * meaningful (docs/protocol.md#signing):
 *
 * - every date line a signature may carry is itself checked: a date within the skew, or an `Expires` line only as
 *   unexpired Unix seconds (docs/protocol.md#the-expires-date-line);
 * - every accepted canonical resource names the key this request acts on under one decoding, `decodeURIComponent`
 *   of its key part (docs/protocol.md#key-encoding-and-canonical-resource).
 *
 * Signatures are compared in constant time.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Ctx, Principal } from './context.js'
import { verifyUploadToken } from './direct-upload.js'
import { NosError } from './errors.js'
import { decodeOnce, nosEncode, stringToSign, subResourceSuffix } from './signing.js'
import { parseRequestDate } from './time.js'
import type { OpName } from './types.js'

/** REST operations an upload token may authorise. */
const TOKEN_OPS = new Set<OpName>(['putObject', 'initiateMultipartUpload', 'uploadPart', 'completeMultipartUpload'])

/**
 * Sub-resources no SDK signs but a client might (docs/protocol.md#signed-sub-resources,
 * docs/protocol.md#cors-configuration): accept the resource with or without them.
 */
const MAYBE_SIGNED = ['cors', 'meta']

/** Header values the emulator acts on: signed exactly as sent, never in the quote-stripped variant. */
const NOT_STRIPPED = new Set(['date', 'x-nos-date', 'x-nos-copy-source', 'x-nos-move-source'])

/** A date line the signature may use, and why it cannot be honoured when it cannot. */
interface DateLine {
  line: string
  refused?: NosError
}

/**
 * A string as the bytes a client signed, one character per byte (latin1). Header values arrive that way already:
 * Node gives every header byte as one character, so raw UTF-8 metadata from another client is signed and stored as
 * the bytes it sent (docs/protocol.md#metadata-encoding). Query values and the resource are text: their UTF-8 bytes.
 */
const byteString = (text: string): string => Buffer.from(text, 'utf8').toString('latin1')

/**
 * Content-MD5, Content-Type and `x-nos-*` values (and, for query auth, `x-nos-*` query parameters;
 * docs/protocol.md#presigned-urls).
 */
function signedHeaders(ctx: Ctx, strip: boolean, fromQuery: boolean): { md5: string; type: string; nos: Record<string, string> } {
  // The Python SDK signs values with surrounding quotes stripped (docs/protocol.md#signing): a second candidate.
  const value = (name: string, v: string) => (strip && !NOT_STRIPPED.has(name) ? v.trim().replace(/^['"]+|['"]+$/g, '') : v)
  const nos: Record<string, string> = {}
  if (fromQuery) {
    for (const [name, v] of Object.entries(ctx.query)) {
      const lower = name.toLowerCase()
      if (lower.startsWith('x-nos-') && v !== null && !(lower in ctx.headers)) nos[lower] = value(lower, byteString(v))
    }
  }
  for (const [name, v] of Object.entries(ctx.headers)) if (name.startsWith('x-nos-')) nos[name] = value(name, v)
  return { md5: value('content-md5', ctx.headers['content-md5'] ?? ''), type: value('content-type', ctx.headers['content-type'] ?? ''), nos }
}

/**
 * Canonical resources to try: the official encoding first, then the lenient key encodings
 * (docs/protocol.md#how-the-emulator-authenticates: only `/` encoded; the path as sent; encodeURIComponent) and the
 * optional sub-resources. A lenient form counts only when it decodes to this request's key: the raw-key form of
 * `%75ser/x` (key `%75ser/x`) would otherwise read as the resource of `user/x` to a policy that decodes it, and a page
 * could write outside its prefix.
 */
function resourceCandidates(ctx: Ctx): string[] {
  const { bucket, key, query } = ctx
  const base = !bucket ? '/' : `/${bucket}/${key ? nosEncode(key) : ''}`
  const bases = [base]
  if (bucket && key) {
    for (const enc of [key.replace(/\//g, '%2F'), ctx.rawKey ?? '', encodeURIComponent(key)]) {
      if (enc && decodeOnce(enc) === key) bases.push(`/${bucket}/${enc}`)
    }
  }
  const suffixes = [subResourceSuffix(query)]
  if (MAYBE_SIGNED.some((n) => n in query)) suffixes.push(subResourceSuffix(query, MAYBE_SIGNED))
  const out = new Set<string>()
  for (const b of bases) for (const s of suffixes) out.add(byteString(b + s))
  return [...out]
}

/** Every string-to-sign the request may have been signed with, for the given date lines; official first. */
function candidates(ctx: Ctx, dateLines: string[], queryAuth: boolean): string[] {
  const out = new Set<string>()
  const resources = resourceCandidates(ctx)
  for (const strip of [false, true]) {
    const h = signedHeaders(ctx, strip, queryAuth)
    for (const dateLine of dateLines) {
      for (const resource of resources) {
        out.add(stringToSign({ method: ctx.method, contentMd5: h.md5, contentType: h.type, dateLine, nosHeaders: h.nos, resource }))
      }
    }
  }
  return [...out]
}

/** The signature of a string-to-sign held as a byte string (see `byteString`). */
function hmac(secret: string, sts: string): string {
  return createHmac('sha256', secret).update(Buffer.from(sts, 'latin1')).digest('base64')
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
  const shown = Buffer.from(officialSts, 'latin1').toString('utf8').replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
  return new NosError(
    'SignatureDoesNotMatch',
    `The request signature we calculated does not match the signature you provided. Check your key and signing method. StringToSign: "${shown}"`,
  )
}

/**
 * An `Expires` value as a date line: unexpired Unix seconds only, as in query auth (docs/protocol.md#presigned-urls).
 */
function expiresProblem(ctx: Ctx, expires: string): NosError | undefined {
  if (!/^\d+$/.test(expires)) return new NosError('AccessDenied', 'Expires must be Unix seconds.')
  if (ctx.now() > Number(expires) * 1000) return new NosError('AccessDenied', 'Request has expired')
  return undefined
}

/** A date that must lie within the allowed skew of the emulator's clock (docs/protocol.md#dates-and-skew). */
function dateProblem(ctx: Ctx, value: string): NosError | undefined {
  const t = parseRequestDate(value)
  if (t === undefined) return new NosError('AccessDenied', 'A valid Date or x-nos-date header is required (RFC 1123 GMT or the Asia/Shanghai form).')
  if (Math.abs(ctx.now() - t) > ctx.env.settings.maxSkewMs) return new NosError('RequestTimeTooSkewed')
  return undefined
}

/**
 * The date lines of header auth. The request's clock (x-nos-date, else Date) must be fresh. The official line is
 * empty with x-nos-date (docs/protocol.md#dates-and-skew), else the Date value; with both headers the Date value is a
 * candidate too, if it is fresh as well; the Python quirk of an `Expires` header in the date line
 * (docs/protocol.md#the-expires-date-line) only as unexpired Unix seconds.
 */
function headerDateLines(ctx: Ctx): DateLine[] {
  const nosDate = ctx.headers['x-nos-date']
  const date = ctx.headers['date']
  const clock = nosDate ?? date
  const problem = clock === undefined ? new NosError('AccessDenied', 'A valid Date or x-nos-date header is required.') : dateProblem(ctx, clock)
  if (problem) throw problem
  const lines: DateLine[] = [{ line: nosDate !== undefined ? '' : date! }]
  if (nosDate !== undefined && date !== undefined) lines.push({ line: date, refused: dateProblem(ctx, date) })
  const expires = ctx.headers['expires']
  if (expires !== undefined) lines.push({ line: expires, refused: expiresProblem(ctx, expires) })
  return lines
}

/** Checks a signature against the honoured date lines; a match on a refused one answers its reason. */
function check(ctx: Ctx, secret: string, signature: string, lines: DateLine[], queryAuth: boolean): void {
  const honoured = lines.filter((l) => !l.refused)
  const stss = candidates(ctx, honoured.map((l) => l.line), queryAuth)
  if (verify(secret, signature, stss)) return
  for (const l of lines) if (l.refused && verify(secret, signature, candidates(ctx, [l.line], queryAuth))) throw l.refused
  throw mismatch(stss[0]!)
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
    check(ctx, account.secret, m[2]!, headerDateLines(ctx), false)
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
    const problem = expiresProblem(ctx, expires)
    if (problem) throw problem
    check(ctx, account.secret, sig, [{ line: expires }], true)
    return { accessKeyId: account.accessKeyId, ownerId: account.ownerId }
  }
  // An upload token instead of a signature, for uploads (docs/protocol.md#upload-tokens,
  // docs/protocol.md#how-the-emulator-authenticates step 1; the Java client does this).
  if (ctx.headers['x-nos-token'] !== undefined && TOKEN_OPS.has(ctx.op) && ctx.bucket && ctx.key) {
    return verifyUploadToken(ctx, ctx.bucket, ctx.key)
  }
  return null
}
