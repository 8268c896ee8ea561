/**
 * The emulator's own reading of the NOS signing rules (docs/protocol.md#signing,
 * docs/protocol.md#key-encoding-and-canonical-resource, docs/protocol.md#presigned-urls): key encoding, canonical
 * resource and string-to-sign, written again here on node:crypto's side of the fence so that the emulator judges the
 * SDK's signatures as an independent oracle instead of agreeing with itself.
 * @module
 */

/** Query parameters that enter the canonical resource (the Java/Go list; docs/protocol.md#signed-sub-resources). */
export const SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl', 'location', 'versioning', 'versions', 'versionId', 'uploadId', 'uploads', 'partNumber', 'delete', 'deduplication',
])

const HEX = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`)
/** Bytes kept literally: `A-Z a-z 0-9 - _ . *`. */
const KEEP = new Uint8Array(256)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.*') KEEP[c.charCodeAt(0)] = 1

/**
 * The NOS key encoding: UTF-8 bytes, each one `%XX` (upper-case hex) except `A-Z a-z 0-9 - _ . *`
 * (docs/protocol.md#key-encoding-and-canonical-resource).
 *
 * @example
 * nosEncode('photos/a b.jpg') // 'photos%2Fa%20b.jpg'
 */
export function nosEncode(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) out += KEEP[byte] ? String.fromCharCode(byte) : HEX[byte]
  return out
}

/**
 * Decodes percent-encoding once, or undefined when it is malformed.
 *
 * @example
 * decodeOnce('a%2Fb') // 'a/b'
 */
export function decodeOnce(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

/**
 * `?name&name=value...` of the signed sub-resources present in `query`, sorted by name, values raw (decoded);
 * `extra` names are signed too (the optional `cors`/`meta`). '' when there are none.
 *
 * @example
 * subResourceSuffix({ uploadId: '9', partNumber: '3', prefix: 'x' }) // '?partNumber=3&uploadId=9'
 */
export function subResourceSuffix(query: Record<string, string | null>, extra: readonly string[] = []): string {
  const subs = Object.keys(query)
    .filter((n) => SIGNED_SUBRESOURCES.has(n) || extra.includes(n))
    .sort()
    .map((n) => (query[n] ? `${n}=${query[n]}` : n))
  return subs.length ? `?${subs.join('&')}` : ''
}

/** The parts of a string-to-sign, all as they will be written. */
export interface StringToSignParts {
  method: string
  contentMd5: string
  contentType: string
  dateLine: string
  /** Lower-case `x-nos-*` names to values. */
  nosHeaders: Record<string, string>
  resource: string
}

/**
 * VERB, Content-MD5, Content-Type, date line, the `x-nos-*` headers sorted by name, the canonical resource.
 *
 * @example
 * stringToSign({ method: 'GET', contentMd5: '', contentType: '', dateLine: 'D', nosHeaders: {}, resource: '/b/k' })
 * // 'GET\n\n\nD\n/b/k'
 */
export function stringToSign(p: StringToSignParts): string {
  const headers = Object.keys(p.nosHeaders)
    .sort()
    .map((n) => `${n}:${p.nosHeaders[n]}\n`)
    .join('')
  return `${p.method}\n${p.contentMd5}\n${p.contentType}\n${p.dateLine}\n${headers}${p.resource}`
}
