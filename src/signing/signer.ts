/**
 * NOS request signing: canonical resource, string-to-sign, header auth and query-string auth (presigned URLs).
 * Pure: no clock, no I/O; HMAC-SHA256 through Web Crypto with the imported key cached per signer.
 * Rules: docs/protocol.md#signing (header auth), docs/protocol.md#dates-and-skew (x-nos-date),
 * docs/protocol.md#presigned-urls (query auth).
 * @module
 */
import { encodeQuery, nosEncode, toBase64, utf8, type Query } from '../core/encoding.js'
import { formatHttpDate } from '../core/http-date.js'

/**
 * Query parameters that are part of the canonical resource (the Java/Go SDK list;
 * docs/protocol.md#signed-sub-resources). Every other parameter (prefix, marker, max-keys, download, ...) is unsigned.
 */
export const SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'location',
  'versioning',
  'versions',
  'versionId',
  'uploadId',
  'uploads',
  'partNumber',
  'delete',
  'deduplication',
])

/**
 * Header names that hold the signature inputs; everything else except `x-nos-*` is unsigned (docs/protocol.md#signing).
 */
const X_NOS_PREFIX = 'x-nos-'

/** What the signer needs of a request. Header names may be in any case. */
export interface SignableRequest {
  method: string
  bucket?: string | undefined
  key?: string | undefined
  query?: Query | undefined
  headers?: Record<string, string> | undefined
}

/**
 * `/` + `bucket/` + NOS-encoded key + `?` signed sub-resources sorted by name (docs/protocol.md#signed-sub-resources).
 *
 * @example
 * canonicalResource('my-bucket', 'big.bin', { uploadId: '9', partNumber: '3' }) // '/my-bucket/big.bin?partNumber=3&uploadId=9'
 */
export function canonicalResource(bucket?: string, key?: string, query?: Query): string {
  let out = '/'
  if (bucket) {
    out += bucket + '/'
    if (key) out += nosEncode(key)
  }
  const subs: string[] = []
  if (query) {
    for (const name of Object.keys(query).sort()) {
      const value = query[name]
      if (value === undefined || !SIGNED_SUBRESOURCES.has(name)) continue
      subs.push(value === null || value === '' ? name : `${name}=${value}`)
    }
  }
  return subs.length ? `${out}?${subs.join('&')}` : out
}

function lowerCaseHeaders(headers: Record<string, string> | undefined): Map<string, string> {
  const map = new Map<string, string>()
  if (!headers) return map
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    const trimmed = String(value).trim()
    // Duplicate names (different case) join with ',' as HTTP does (docs/protocol.md#signing).
    map.set(lower, map.has(lower) ? `${map.get(lower)},${trimmed}` : trimmed)
  }
  return map
}

/**
 * The `x-nos-*` headers, lower-cased, `name:value\n` each, sorted by name (docs/protocol.md#signing). `x-nos-*` query
 * parameters count as headers too (Java rule, for presigned URLs).
 */
export function canonicalNosHeaders(headers: Record<string, string> | undefined, query?: Query): string {
  const map = lowerCaseHeaders(headers)
  if (query) {
    for (const [name, value] of Object.entries(query)) {
      const lower = name.toLowerCase()
      if (lower.startsWith(X_NOS_PREFIX) && value != null && !map.has(lower)) map.set(lower, value)
    }
  }
  const names = [...map.keys()].filter((n) => n.startsWith(X_NOS_PREFIX)).sort()
  return names.map((n) => `${n}:${map.get(n)}\n`).join('')
}

/**
 * The NOS string-to-sign (docs/protocol.md#signing): verb, Content-MD5, Content-Type, date line, canonical `x-nos-*`
 * headers, canonical resource. The date line is `dateLine` when given (presign: the Expires seconds), otherwise the
 * `Date` header, or empty when `x-nos-date` is present (docs/protocol.md#dates-and-skew).
 *
 * @example
 * stringToSign({ method: 'GET', bucket: 'my-bucket', key: 'k', headers: { Date: 'Tue, 01 Jan 2030 00:00:00 GMT' } })
 * // 'GET\n\n\nTue, 01 Jan 2030 00:00:00 GMT\n/my-bucket/k'
 */
export function stringToSign(req: SignableRequest, dateLine?: string): string {
  const h = lowerCaseHeaders(req.headers)
  const date = dateLine ?? (h.has('x-nos-date') ? '' : (h.get('date') ?? ''))
  return (
    `${req.method.toUpperCase()}\n${h.get('content-md5') ?? ''}\n${h.get('content-type') ?? ''}\n${date}\n` +
    canonicalNosHeaders(req.headers, dateLine !== undefined ? req.query : undefined) +
    canonicalResource(req.bucket, req.key, req.query)
  )
}

/** Signs a string-to-sign; returns the Base64 signature. A backend can implement it (docs/architecture.md#no-secret-in-the-page). */
export type SignFunction = (stringToSign: string) => Promise<string>

/**
 * An HMAC-SHA256 signer for one secret, the imported `CryptoKey` cached after first use.
 *
 * @example
 * const sign = createHmacSigner('secret')
 * await sign('GET\n\n\n1893456900\n/my-bucket/k') // Base64, 44 characters
 */
export function createHmacSigner(secret: string): SignFunction {
  let key: Promise<CryptoKey> | undefined
  return async (message: string) => {
    key ??= crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const sig = await crypto.subtle.sign('HMAC', await key, utf8(message))
    return toBase64(new Uint8Array(sig))
  }
}

/** Options for header authentication. */
export interface HeaderAuthOptions {
  accessKeyId: string
  sign: SignFunction
  /** The signing time (sent as `Date` or `x-nos-date`). */
  date: Date
  /** Send `x-nos-date` instead of `Date` (browsers cannot set `Date`; docs/protocol.md#dates-and-skew). */
  useNosDate?: boolean
}

/**
 * Returns the request's headers plus `Date` (or `x-nos-date`) and `Authorization: NOS <ak>:<signature>`.
 *
 * @example
 * const headers = await signHeaders({ method: 'GET', bucket: 'my-bucket', key: 'k' },
 *   { accessKeyId: 'AK', sign: createHmacSigner('SK'), date: new Date() })
 * headers.Authorization // 'NOS AK:' and the Base64 signature
 */
export async function signHeaders(req: SignableRequest, opts: HeaderAuthOptions): Promise<Record<string, string>> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    const lower = name.toLowerCase()
    if (lower === 'date' || lower === 'x-nos-date' || lower === 'authorization') continue
    headers[name] = value
  }
  headers[opts.useNosDate ? 'x-nos-date' : 'Date'] = formatHttpDate(opts.date)
  const signature = await opts.sign(stringToSign({ ...req, headers }))
  headers['Authorization'] = `NOS ${opts.accessKeyId}:${signature}`
  return headers
}

/** Options for query-string authentication. */
export interface PresignOptions {
  accessKeyId: string
  sign: SignFunction
  /** Absolute expiry, Unix seconds. */
  expires: number
}

/**
 * The query string of a presigned request (docs/protocol.md#presigned-urls): the request's own parameters, then
 * `NOSAccessKeyId`, `Expires`, `Signature`. Headers given in `req.headers` (Content-Type, Content-MD5, x-nos-*) are
 * signed, so the uploader must send exactly them.
 *
 * @example
 * await presignQuery({ method: 'GET', bucket: 'my-bucket', key: 'k' }, { accessKeyId: 'AK', sign, expires: 1893456900 })
 * // 'NOSAccessKeyId=AK&Expires=1893456900&Signature=...'
 */
export async function presignQuery(req: SignableRequest, opts: PresignOptions): Promise<string> {
  if (!Number.isInteger(opts.expires)) throw new TypeError('expires must be integer Unix seconds')
  const signature = await opts.sign(stringToSign(req, String(opts.expires)))
  const own = encodeQuery(req.query)
  const auth = `NOSAccessKeyId=${nosEncode(opts.accessKeyId)}&Expires=${opts.expires}&Signature=${encodeURIComponent(signature)}`
  return own ? `${own}&${auth}` : auth
}
