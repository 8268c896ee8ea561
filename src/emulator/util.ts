/**
 * Small helpers shared by the handlers.
 * @module
 */
import { createHash } from 'node:crypto'
import type { Ctx } from './context.js'
import { NosError } from './errors.js'
import type { XmlChildren } from './xml.js'

/** Lower-case hex MD5 of a string or bytes. @example md5Hex('hello') // '5d41402abc4b2a76b9719d911017c592' */
export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex')
}

/**
 * An `ETag` header value as live NOS sends it on PUT, Upload Part, GET, HEAD and copy: the hex MD5 in double
 * quotes (docs/protocol.md#etags). XML bodies keep the bare hex.
 *
 * @example
 * quoteEtag('5d41402abc4b2a76b9719d911017c592') // '"5d41402abc4b2a76b9719d911017c592"'
 */
export function quoteEtag(etag: string): string {
  return `"${etag}"`
}

/**
 * Hides credentials in a line of the request log (stderr): presigned `Signature=` values and the signature of a
 * `NOS ak:sig` authorization, as the SDK's error messages do.
 *
 * @example
 * redactSecrets('/b/k?Expires=1&Signature=abc%2B') // '/b/k?Expires=1&Signature=<redacted>'
 */
export function redactSecrets(text: string): string {
  return text.replace(/(Signature=)[^&\s]+/gi, '$1<redacted>').replace(/(NOS\s+[^:\s]+:)[A-Za-z0-9+/=%]+/g, '$1<redacted>')
}

/** `<Owner>`: a 32-hex ID derived from the owner id, and its display name (docs/protocol.md#buckets). */
export function ownerXml(ctx: Ctx, ownerId: string): XmlChildren {
  return [
    ['ID', md5Hex(`owner:${ownerId}`)],
    ['DisplayName', ctx.env.settings.displayNames.get(ownerId) ?? ownerId],
  ]
}

/**
 * An integer query parameter within [min, max]; absent means `def`; anything else is 400 InvalidArgument
 * (docs/protocol.md#listing-objects, docs/protocol.md#multipart-upload, docs/protocol.md#listing-multipart-uploads).
 *
 * @example
 * intParam(ctx, 'max-keys', 100, 0, 1000)
 */
export function intParam(ctx: Ctx, name: string, def: number, min: number, max: number): number {
  const v = ctx.query[name]
  if (v === undefined || v === null || v === '') return def
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new NosError('InvalidArgument', `${name} must be an integer from ${min} to ${max}.`)
  }
  return Number(v)
}

/**
 * Standard headers stored with an object and echoed on GET/HEAD (docs/protocol.md#objects,
 * docs/protocol.md#put-object-meta).
 */
export const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires']

/** The stored standard headers and `x-nos-meta-*` user metadata of a request. */
export function objectHeaders(ctx: Ctx): { headers: Record<string, string>; meta: Record<string, string> } {
  const headers: Record<string, string> = {}
  const meta: Record<string, string> = {}
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (STORED_HEADERS.includes(name)) headers[name] = value
    else if (name.startsWith('x-nos-meta-') && name.length > 'x-nos-meta-'.length) meta[name.slice('x-nos-meta-'.length)] = value
  }
  return { headers, meta }
}

/** Key length check: 1-1000 UTF-8 bytes (docs/protocol.md#limits-and-names). */
export function checkKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > 1000) throw new NosError('KeyTooLong')
}

const BUCKET_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/

/** The bucket naming rule in words, for start-up errors. */
export const BUCKET_NAME_RULE = "3-63 characters a-z, 0-9 and '-', starting and ending with a letter or digit, without '--'"

/**
 * Bucket naming rule: 3-63 of `a-z 0-9 -`, alphanumeric at both ends, no `--` (docs/protocol.md#limits-and-names). The emulator's own copy, not
 * the SDK's: it judges whether the SDK refuses what NOS refuses (docs/emulator-oracle.md).
 * @example isValidBucketName('my-bucket') // true
 */
export function isValidBucketName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && BUCKET_NAME.test(name)
}
