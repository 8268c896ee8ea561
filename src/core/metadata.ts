/**
 * User metadata (`x-nos-meta-*`) both ways, under one scheme (docs/protocol.md#metadata-encoding):
 *
 * - names: header tokens, given with or without `x-nos-meta-`, sent and read back lower-case; two names that differ
 *   only in case (or in the prefix) are refused, since NOS would keep one of them;
 * - values, by default: printable ASCII without surrounding spaces, sent as they are (anything else is refused with
 *   a hint: header values are bytes, and fetch would trim the spaces); read back as UTF-8 when their bytes are valid
 *   UTF-8 (raw UTF-8 written by another client), else as they are;
 * - values with the client option `metadataEncoding: 'uri'`: `%`, characters outside printable ASCII and spaces at
 *   either end are percent-encoded (UTF-8) on write, and values are percent-decoded on read, so any string
 *   round-trips.
 * @module
 */
import { InvalidArgument } from './errors.js'
import { show } from './validate.js'

/** How metadata values travel: `'none'` (printable ASCII only, the default) or `'uri'` (percent-encoded). */
export type MetadataEncoding = 'none' | 'uri'

const META_PREFIX = 'x-nos-meta-'
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** What `'uri'` encodes: `%`, characters outside printable ASCII, and a space at either end (fetch trims those). */
const TO_ENCODE = /^ | $|[^\x20-\x24\x26-\x7e]/gu

/**
 * A value as it travels with `'uri'`: percent-encoded UTF-8 where needed. A lone surrogate has no UTF-8 form.
 * @example
 * encodeMetadataValue('张三 100%') // '%E5%BC%A0%E4%B8%89 100%25'
 */
export function encodeMetadataValue(value: string, arg = 'metadata value'): string {
  try {
    return value.replace(TO_ENCODE, (c) => encodeURIComponent(c))
  } catch {
    throw new InvalidArgument(`${arg} ${show(value)} contains a lone surrogate (half of a UTF-16 pair) and has no UTF-8 form`)
  }
}

function plainValue(value: string, arg: string): string {
  if (!/^[\x20-\x7e\t]*$/.test(value)) {
    throw new InvalidArgument(
      `${arg} ${show(value)} cannot travel in an HTTP header: only printable ASCII is allowed. Pass the client option ` +
        `metadataEncoding: 'uri' to percent-encode values on write and decode them on read (docs/protocol.md#metadata-encoding)`,
    )
  }
  if (value !== value.trim()) {
    throw new InvalidArgument(`${arg} ${show(value)} starts or ends with a space, which HTTP drops; trim it, or pass the client option metadataEncoding: 'uri'`)
  }
  return value
}

/**
 * User metadata to `x-nos-meta-*` headers, checked before any request: names are tokens and unique regardless of
 * case and prefix; values follow `encoding`.
 * @example
 * metadataHeaders({ Owner: 'u42' }) // { 'x-nos-meta-owner': 'u42' }
 */
export function metadataHeaders(metadata: unknown, arg = 'metadata', encoding: MetadataEncoding = 'none'): Record<string, string> {
  if (metadata === undefined) return {}
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidArgument(`${arg} must be an object of string names to string values, got ${show(metadata)}`)
  }
  const out: Record<string, string> = {}
  const given: Record<string, string> = {}
  for (const [rawName, value] of Object.entries(metadata as Record<string, unknown>)) {
    const name = rawName.toLowerCase().startsWith(META_PREFIX) ? rawName.slice(META_PREFIX.length) : rawName
    if (!name || !HEADER_TOKEN.test(name)) {
      throw new InvalidArgument(`${arg} name ${show(rawName)} cannot be a header name: use letters, digits and - _ . (no spaces)`)
    }
    const header = META_PREFIX + name.toLowerCase()
    if (header in given) {
      throw new InvalidArgument(`${arg} names ${show(given[header])} and ${show(rawName)} are the same header (names are case-insensitive, sent lower-case): keep one`)
    }
    given[header] = rawName
    const what = `${arg}[${JSON.stringify(rawName)}]`
    if (typeof value !== 'string') throw new InvalidArgument(`${what} must be a string, got ${show(value)}`)
    out[header] = encoding === 'uri' ? encodeMetadataValue(value, what) : plainValue(value, what)
  }
  return out
}

/**
 * A header value as fetch exposes it (a byte string: one character per byte) read as text: UTF-8 when the bytes
 * are valid UTF-8 and not all ASCII, else as it is (Latin-1).
 * @example
 * headerText('\xe5\xbc\xa0\xe4\xb8\x89') // '张三' (the UTF-8 bytes of 张三, one character each)
 */
export function headerText(value: string): string {
  if (!/[\x80-\xff]/.test(value) || /[^\x00-\xff]/.test(value)) return value
  const bytes = Uint8Array.from(value, (c) => c.charCodeAt(0))
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return value
  }
}

/** A value read with `'uri'`: percent-decoded, or as it is when it is not valid percent-encoding. */
function decodeValue(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * User metadata from `x-nos-meta-*` response headers: names lower-case without the prefix, values per `encoding`.
 * @example
 * metadataFromHeaders(new Headers({ 'x-nos-meta-owner': '%E5%BC%A0' }), 'uri') // { owner: '张' }
 */
export function metadataFromHeaders(headers: Headers, encoding: MetadataEncoding = 'none'): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    if (!name.toLowerCase().startsWith(META_PREFIX)) return
    const text = headerText(value)
    out[name.slice(META_PREFIX.length).toLowerCase()] = encoding === 'uri' ? decodeValue(text) : text
  })
  return out
}
