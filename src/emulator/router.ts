/**
 * Addressing and operation dispatch: virtual-hosted (`Host: <bucket>.<endpoint>`) or path style
 * (`/<bucket>/<key>`), service `GET /` (docs/protocol.md#endpoints-and-addressing), then the operation from method,
 * sub-resources and copy/move headers (docs/protocol.md#buckets, docs/protocol.md#multipart-upload).
 * @module
 */
import type { Ctx } from './context.js'
import { NosError } from './errors.js'
import type { OpName } from './types.js'

function decode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    throw new NosError('InvalidURI')
  }
}

/**
 * Parses a raw query string: names and values percent-decoded once (`+` stays `+`, as NOS clients encode
 * spaces as `%20`), a parameter without `=` maps to null, the first occurrence wins.
 *
 * @example
 * parseQuery('uploads&max-uploads=5') // { uploads: null, 'max-uploads': '5' }
 */
export function parseQuery(raw: string): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const part of raw.split('&')) {
    if (!part) continue
    const eq = part.indexOf('=')
    const name = decode(eq < 0 ? part : part.slice(0, eq))
    if (!(name in out)) out[name] = eq < 0 ? null : decode(part.slice(eq + 1))
  }
  return out
}

/** Host without port, lower-case. */
function hostname(host: string): string {
  const h = host.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1)
  const colon = h.lastIndexOf(':')
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h
}

/**
 * Fills `ctx.bucket`, `ctx.key` and `ctx.rawKey`. The key is the rest of the path after the bucket, decoded
 * once, so `a%2Fb` and a literal `a/b` both mean the key `a/b` (docs/protocol.md#key-encoding-and-canonical-resource).
 *
 * @example
 * route(ctx, ['nos.localhost']) // Host my-bucket.nos.localhost:9000, path /a%2Fb -> bucket 'my-bucket', key 'a/b'
 */
export function route(ctx: Ctx, baseHosts: string[]): void {
  let path = ctx.rawPath
  if (!path.startsWith('/')) {
    // absolute-form request target (a proxy-style client)
    try {
      path = new URL(path).pathname
    } catch {
      throw new NosError('InvalidURI')
    }
  }
  ctx.query = parseQuery(ctx.rawQuery)
  const host = hostname(ctx.headers['host'] ?? '')
  let bucket: string | undefined
  if (!baseHosts.includes(host)) {
    // Longest base first, so `b.nos.localhost` is bucket `b` of `nos.localhost`, not bucket `b.nos`.
    for (const base of [...baseHosts].sort((a, b) => b.length - a.length)) {
      const sub = host.endsWith(`.${base}`) ? host.slice(0, -base.length - 1) : ''
      if (sub && !sub.includes('.')) {
        bucket = sub
        break
      }
    }
  }
  let rest: string
  if (bucket !== undefined) {
    rest = path.slice(1)
  } else {
    const p = path.slice(1)
    const slash = p.indexOf('/')
    const seg = slash < 0 ? p : p.slice(0, slash)
    if (seg) bucket = decode(seg)
    rest = slash < 0 ? '' : p.slice(slash + 1)
  }
  ctx.bucket = bucket
  if (bucket !== undefined && rest) {
    ctx.rawKey = rest
    ctx.key = decode(rest)
    // URL parsers drop the dot segments `.` and `..` (even written %2e): no client could address such a key again,
    // and the SDK refuses them, so the emulator stores none (docs/protocol.md#key-encoding-and-canonical-resource).
    if (ctx.key === '.' || ctx.key === '..') throw new NosError('InvalidURI', "The keys '.' and '..' cannot be addressed in a URL.")
  }
}

const has = (ctx: Ctx, name: string): boolean => name in ctx.query

/**
 * The operation a request asks for; 'unknown' ends as 405 MethodNotAllowed.
 *
 * @example
 * classify(ctx) // 'uploadPart' for PUT /b/k?partNumber=1&uploadId=2
 */
export function classify(ctx: Ctx): OpName {
  const m = ctx.method
  if (m === 'OPTIONS') return 'preflight'
  if (!ctx.bucket) return m === 'GET' || m === 'HEAD' ? 'listBuckets' : 'unknown'
  // Direct-upload endpoints (docs/protocol.md#direct-upload), told apart by their own query parameters.
  if (m === 'GET' && ctx.rawPath === '/lbs' && has(ctx, 'version')) return 'lbs'
  if (ctx.key !== undefined && m === 'POST' && has(ctx, 'offset') && ctx.headers['x-nos-token'] !== undefined) return 'directUpload'
  if (ctx.key !== undefined && m === 'GET' && has(ctx, 'uploadContext')) return 'directQueryOffset'
  if (ctx.key === undefined) {
    switch (m) {
      case 'PUT':
        if (has(ctx, 'deduplication')) return 'putBucketDeduplication'
        return has(ctx, 'acl') ? 'putBucketAcl' : has(ctx, 'cors') ? 'putBucketCors' : 'createBucket'
      case 'GET':
        if (has(ctx, 'deduplication')) return 'getBucketDeduplication'
        if (has(ctx, 'acl')) return 'getBucketAcl'
        if (has(ctx, 'location')) return 'getBucketLocation'
        if (has(ctx, 'cors')) return 'getBucketCors'
        if (has(ctx, 'uploads')) return 'listMultipartUploads'
        return 'listObjects'
      case 'HEAD':
        return 'headBucket'
      case 'DELETE':
        return has(ctx, 'cors') ? 'deleteBucketCors' : 'deleteBucket'
      case 'POST':
        return has(ctx, 'delete') ? 'deleteObjects' : 'unknown'
      default:
        return 'unknown'
    }
  }
  if (m === 'PUT' && has(ctx, 'deduplication')) return 'deduplicateObject'
  // Object-level sub-resources this emulator does not serve must not fall through to a data operation.
  if (has(ctx, 'acl') || has(ctx, 'deduplication') || has(ctx, 'cors')) return 'unknown'
  switch (m) {
    case 'PUT':
      if (has(ctx, 'partNumber') || has(ctx, 'uploadId')) return 'uploadPart'
      if (has(ctx, 'meta')) return 'putObjectMeta'
      if (ctx.headers['x-nos-copy-source'] !== undefined) return 'copyObject'
      if (ctx.headers['x-nos-move-source'] !== undefined) return 'moveObject'
      return 'putObject'
    case 'GET':
      return has(ctx, 'uploadId') ? 'listParts' : 'getObject'
    case 'HEAD':
      return 'headObject'
    case 'DELETE':
      return has(ctx, 'uploadId') ? 'abortMultipartUpload' : 'deleteObject'
    case 'POST':
      if (has(ctx, 'uploads')) return 'initiateMultipartUpload'
      if (has(ctx, 'uploadId')) return 'completeMultipartUpload'
      return 'unknown'
    default:
      return 'unknown'
  }
}
