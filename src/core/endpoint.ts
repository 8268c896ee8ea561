/**
 * Endpoint parsing and request URLs, virtual-hosted or path style (docs/protocol.md#endpoints-and-addressing).
 * @module
 */
import { encodeQuery, nosEncode, type Query } from './encoding.js'

/** The default public endpoint (docs/protocol.md#endpoints-and-addressing). */
export const DEFAULT_ENDPOINT = 'nos-eastchina1.126.net'

/** A parsed endpoint. */
export interface Endpoint {
  /** `http:` or `https:` */
  protocol: string
  /** Host name with port, e.g. `127.0.0.1:9000`. */
  host: string
  /** Host name without port. */
  hostname: string
  /** Bucket in the path instead of the host. */
  pathStyle: boolean
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/**
 * Parses `endpoint` (a host, `host:port`, or a URL with scheme). `enableSsl` picks the scheme when the endpoint has
 * none (default http, as the seed). Path style defaults to true for IP addresses and `localhost`.
 *
 * @example
 * parseEndpoint('http://127.0.0.1:9000') // { protocol: 'http:', host: '127.0.0.1:9000', pathStyle: true, ... }
 */
export function parseEndpoint(endpoint: string, enableSsl?: boolean, pathStyle?: boolean): Endpoint {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)
  let url: URL
  try {
    url = new URL(hasScheme ? endpoint : `${enableSsl ? 'https' : 'http'}://${endpoint}`)
  } catch {
    throw new TypeError('not a host, host:port or http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`unsupported scheme ${url.protocol}`)
  }
  // Requests are built from the host alone: a path, query or credentials in the endpoint would be dropped silently.
  if (url.username || url.password) throw new TypeError(`${url.host}: user:password@ is not supported (NOS authenticates with access keys)`)
  if (url.pathname !== '/' || url.search || url.hash) throw new TypeError(`${url.host}: a path, query or fragment is not supported (give only scheme, host and port)`)
  const hostname = url.hostname.replace(/^\[|\]$/g, '')
  const isIpOrLocal = IPV4.test(hostname) || hostname.includes(':') || hostname === 'localhost'
  return { protocol: url.protocol, host: url.host, hostname, pathStyle: pathStyle ?? isIpOrLocal }
}

/**
 * The URL of a request: the key NOS-encoded in the path (so `/` travels as `%2F`), the query in insertion order.
 *
 * @example
 * buildUrl(parseEndpoint('nos-eastchina1.126.net'), 'my-bucket', 'a b.txt') // 'http://my-bucket.nos-eastchina1.126.net/a%20b.txt'
 */
export function buildUrl(ep: Endpoint, bucket?: string, key?: string, query?: Query): string {
  const path = key ? nosEncode(key) : ''
  const q = encodeQuery(query)
  const suffix = q ? `?${q}` : ''
  if (!bucket) return `${ep.protocol}//${ep.host}/${suffix}`
  if (ep.pathStyle) return `${ep.protocol}//${ep.host}/${bucket}/${path}${suffix}`
  return `${ep.protocol}//${bucket}.${ep.host}/${path}${suffix}`
}
