/**
 * Bucket CORS (docs/protocol.md#cors-configuration): configuration XML, rule matching for preflight and actual
 * requests, and the permissive test mode.
 * @module
 */
import { NosError } from './errors.js'
import { child, list, parseXml, text, xmlDocument, type XmlChildren } from './xml.js'

/** One CORS rule (docs/protocol.md#cors-configuration). Lists are already split on commas. */
export interface CorsRule {
  allowedOrigins: string[]
  allowedMethods: string[]
  allowedHeaders: string[]
  exposeHeaders: string[]
  maxAgeSeconds?: number | undefined
}

const METHODS = new Set(['GET', 'PUT', 'DELETE', 'POST', 'HEAD'])

/** Headers the permissive mode exposes (plus every `x-nos-meta-*` header of the response). */
export const PERMISSIVE_EXPOSE = [
  'ETag',
  'x-nos-request-id',
  'Content-Length',
  'Content-Range',
  'Content-Type',
  'Content-Disposition',
  'Last-Modified',
  'x-nos-acl',
]

/** The rule `cors: 'permissive'` applies to buckets without their own configuration. */
export const PERMISSIVE_RULE: CorsRule = {
  allowedOrigins: ['*'],
  allowedMethods: [...METHODS],
  allowedHeaders: ['*'],
  exposeHeaders: PERMISSIVE_EXPOSE,
  maxAgeSeconds: 3600,
}

/**
 * Matches `value` against a pattern with at most one `*` (docs/protocol.md#cors-configuration), case-insensitively for
 * headers.
 */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern
  const v = ignoreCase ? value.toLowerCase() : value
  const star = p.indexOf('*')
  if (star < 0) return p === v
  const head = p.slice(0, star)
  const tail = p.slice(star + 1)
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail)
}

/**
 * The first rule allowing `origin` with `method` and every header in `requestHeaders`
 * (docs/protocol.md#cors-configuration).
 *
 * @example
 * matchCors([PERMISSIVE_RULE], 'http://a', 'PUT', ['authorization']) === PERMISSIVE_RULE // true
 */
export function matchCors(rules: CorsRule[], origin: string, method: string, requestHeaders: string[] = []): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.allowedOrigins.some((o) => wildcard(o, origin, false)) &&
      r.allowedMethods.includes(method.toUpperCase()) &&
      requestHeaders.every((h) => r.allowedHeaders.some((a) => wildcard(a, h, true))),
  )
}

function splitList(nodes: ReturnType<typeof list>): string[] {
  return nodes
    .flatMap((n) => (text(n) ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean)
}

/**
 * Parses a `PUT ?cors` body: 1-10 rules, methods from GET/PUT/DELETE/POST/HEAD (docs/protocol.md#cors-configuration).
 * Namespaces are ignored.
 *
 * @example
 * parseCorsXml('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>')
 */
export function parseCorsXml(body: string): CorsRule[] {
  const doc = parseXml(body)
  const rules = list(child(doc['CORSConfiguration'], 'CORSRule'))
  if (rules.length < 1 || rules.length > 10) throw new NosError('MalformedXML', 'A CORS configuration needs 1 to 10 rules.')
  return rules.map((r) => {
    const rule: CorsRule = {
      allowedOrigins: splitList(list(child(r, 'AllowedOrigin'))),
      allowedMethods: splitList(list(child(r, 'AllowedMethod'))).map((m) => m.toUpperCase()),
      allowedHeaders: splitList(list(child(r, 'AllowedHeader'))),
      exposeHeaders: splitList(list(child(r, 'ExposeHeader'))),
    }
    const maxAge = text(child(r, 'MaxAgeSeconds'))?.trim()
    if (maxAge) {
      if (!/^\d+$/.test(maxAge)) throw new NosError('MalformedXML', 'MaxAgeSeconds must be a non-negative integer.')
      rule.maxAgeSeconds = Number(maxAge)
    }
    if (!rule.allowedOrigins.length || !rule.allowedMethods.length) {
      throw new NosError('MalformedXML', 'Every CORS rule needs AllowedOrigin and AllowedMethod.')
    }
    const bad = rule.allowedMethods.find((m) => !METHODS.has(m))
    if (bad) throw new NosError('InvalidArgument', `Unsupported CORS method ${bad}.`)
    if ([...rule.allowedOrigins, ...rule.allowedHeaders].some((s) => s.split('*').length > 2)) {
      throw new NosError('InvalidArgument', 'A CORS origin or header may contain at most one wildcard.')
    }
    return rule
  })
}

/** The `GET ?cors` answer. @example corsXml([PERMISSIVE_RULE]) // the prolog, then <CORSConfiguration><CORSRule>... */
export function corsXml(rules: CorsRule[]): string {
  return xmlDocument(
    'CORSConfiguration',
    rules.map((r): [string, XmlChildren] => [
      'CORSRule',
      [
        ...r.allowedOrigins.map((o): [string, string] => ['AllowedOrigin', o]),
        ...r.allowedMethods.map((m): [string, string] => ['AllowedMethod', m]),
        ...r.allowedHeaders.map((h): [string, string] => ['AllowedHeader', h]),
        ...r.exposeHeaders.map((h): [string, string] => ['ExposeHeader', h]),
        ['MaxAgeSeconds', r.maxAgeSeconds],
      ],
    ]),
  )
}
