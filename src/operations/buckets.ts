/**
 * Bucket operations beyond the seed: list, create, delete, head, location, ACL, CORS (docs/protocol.md#buckets,
 * docs/protocol.md#cors-configuration).
 * @module
 */
import { bytesBody } from '../core/body.js'
import type { NosConfig } from '../core/config.js'
import { utf8 } from '../core/encoding.js'
import { InvalidArgument, isNosErrorKind } from '../core/errors.js'
import { requestIdOf, toInt } from '../core/response-fields.js'
import { parseNosDate } from '../core/http-date.js'
import { send } from '../core/transport.js'
import { checkAcl, checkBucket, checkParams } from '../core/validate.js'
import { readXmlBody } from '../core/response-body.js'
import { el, list, parseXml, required, text } from '../core/xml.js'
import type { CallOptions, RequestResult } from './common.js'

/** A bucket of `listBuckets`. */
export interface BucketInfo {
  name: string
  creationDate: Date
}
/** Result of `listBuckets`. */
export interface ListBucketsResult extends RequestResult {
  owner: { id: string; displayName: string }
  buckets: BucketInfo[]
}

/** GET Service (docs/protocol.md#buckets). */
export async function listBuckets(cfg: NosConfig, p: CallOptions = {}): Promise<ListBucketsResult> {
  checkParams(p, 'listBuckets')
  const res = await send(cfg, { method: 'GET', signal: p.signal })
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'ListAllMyBucketsResult')
  const owner = (doc['Owner'] ?? {}) as Record<string, string>
  const holder = doc['Buckets']
  const buckets = holder && typeof holder === 'object' && !Array.isArray(holder) ? list(holder, 'Bucket') : []
  return {
    requestId: requestIdOf(res),
    owner: { id: text(owner, 'ID'), displayName: text(owner, 'DisplayName') },
    buckets: buckets.map((b) => ({ name: required(b, 'Name', 'Bucket'), creationDate: parseNosDate(text(b, 'CreationDate')) })),
  }
}

/** NOS locations (docs/protocol.md#buckets). */
export const LOCATIONS = ['HZ', 'BJ', 'GZ'] as const

/** Parameters of `createBucket`. */
export interface CreateBucketParams extends CallOptions {
  bucket: string
  /** Default `private`. */
  acl?: 'private' | 'public-read'
  /** Default `HZ`. */
  location?: string
}

/** PUT Bucket (docs/protocol.md#buckets). */
export async function createBucket(cfg: NosConfig, p: CreateBucketParams): Promise<RequestResult> {
  checkParams(p, 'createBucket')
  const bucket = checkBucket(p.bucket)
  const acl = checkAcl(p.acl ?? 'private')
  const headers: Record<string, string> = { 'x-nos-acl': acl }
  let body = bytesBody([])
  if (p.location !== undefined) {
    if (typeof p.location !== 'string' || !/^[A-Z]{2,8}$/.test(p.location)) {
      throw new InvalidArgument(`location must be a NOS location such as ${LOCATIONS.join(', ')}, got ${JSON.stringify(p.location)}`)
    }
    body = bytesBody([utf8(`<CreateBucketConfiguration>${el('LocationConstraint', p.location)}</CreateBucketConfiguration>`)])
    headers['Content-Type'] = 'application/xml'
    headers['Content-MD5'] = await body.md5!(cfg.md5)
  }
  const res = await send(cfg, { method: 'PUT', bucket, headers, body, signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

/** DELETE Bucket (docs/protocol.md#buckets): the bucket must be empty (no objects, no pending multipart uploads). */
export async function deleteBucket(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'deleteBucket')
  const res = await send(cfg, { method: 'DELETE', bucket: checkBucket(p.bucket), signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

/**
 * HEAD Bucket (docs/protocol.md#buckets): resolves when the bucket exists and is accessible; `NotFoundError` when
 * missing.
 */
export async function headBucket(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'headBucket')
  const res = await send(cfg, { method: 'HEAD', bucket: checkBucket(p.bucket), signal: p.signal })
  return { requestId: requestIdOf(res) }
}

/** True when the bucket exists (a 403 means it exists and belongs to someone else, docs/protocol.md#buckets). */
export async function bucketExists(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<boolean> {
  try {
    await headBucket(cfg, p)
    return true
  } catch (e) {
    if (isNosErrorKind(e, 'NotFoundError')) return false
    if (isNosErrorKind(e, 'ForbiddenError')) return true
    throw e
  }
}

/** GET Bucket location (docs/protocol.md#buckets). */
export async function getBucketLocation(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult & { location: string }> {
  checkParams(p, 'getBucketLocation')
  const res = await send(cfg, { method: 'GET', bucket: checkBucket(p.bucket), query: { location: null }, signal: p.signal })
  const xml = await readXmlBody(cfg, res, p.signal)
  const doc = parseXml(`<r>${xml.replace(/<\?xml[^>]*\?>/, '')}</r>`, 'r')
  return { requestId: requestIdOf(res), location: text(doc, 'LocationConstraint') }
}

/** GET Bucket acl (docs/protocol.md#buckets): NOS answers in the `x-nos-acl` header. */
export async function getBucketAcl(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult & { acl: string }> {
  checkParams(p, 'getBucketAcl')
  const res = await send(cfg, { method: 'GET', bucket: checkBucket(p.bucket), query: { acl: null }, signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res), acl: res.headers.get('x-nos-acl') ?? '' }
}

/** PUT Bucket acl (docs/protocol.md#buckets). */
export async function putBucketAcl(cfg: NosConfig, p: { bucket: string; acl: 'private' | 'public-read' } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'putBucketAcl')
  const bucket = checkBucket(p.bucket)
  const acl = checkAcl(p.acl)
  const res = await send(cfg, { method: 'PUT', bucket, query: { acl: null }, headers: { 'x-nos-acl': acl }, body: bytesBody([]), signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

/** One CORS rule (docs/protocol.md#cors-configuration). */
export interface CorsRule {
  allowedOrigins: string[]
  allowedMethods: ('GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD')[]
  allowedHeaders?: string[]
  exposeHeaders?: string[]
  maxAgeSeconds?: number
}

const CORS_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'])

function checkRules(rules: unknown): CorsRule[] {
  if (!Array.isArray(rules) || rules.length < 1 || rules.length > 10) throw new InvalidArgument('rules must be an array of 1-10 CORS rules (NOS limit)')
  rules.forEach((r: CorsRule, i) => {
    if (!Array.isArray(r?.allowedOrigins) || r.allowedOrigins.length === 0) throw new InvalidArgument(`rules[${i}].allowedOrigins must be a non-empty array`)
    if (!Array.isArray(r.allowedMethods) || r.allowedMethods.length === 0 || !r.allowedMethods.every((m) => CORS_METHODS.has(m))) {
      throw new InvalidArgument(`rules[${i}].allowedMethods must be a non-empty array of GET, PUT, POST, DELETE, HEAD`)
    }
    if (r.maxAgeSeconds !== undefined && (!Number.isInteger(r.maxAgeSeconds) || r.maxAgeSeconds < 0)) {
      throw new InvalidArgument(`rules[${i}].maxAgeSeconds must be a non-negative integer`)
    }
  })
  return rules as CorsRule[]
}

/** The CORSConfiguration body. */
export function corsXml(rules: readonly CorsRule[]): string {
  const rule = (r: CorsRule) =>
    '<CORSRule>' +
    r.allowedOrigins.map((o) => el('AllowedOrigin', o)).join('') +
    r.allowedMethods.map((m) => el('AllowedMethod', m)).join('') +
    (r.allowedHeaders ?? []).map((h) => el('AllowedHeader', h)).join('') +
    (r.exposeHeaders ?? []).map((h) => el('ExposeHeader', h)).join('') +
    (r.maxAgeSeconds !== undefined ? el('MaxAgeSeconds', r.maxAgeSeconds) : '') +
    '</CORSRule>'
  return `<CORSConfiguration>${rules.map(rule).join('')}</CORSConfiguration>`
}

/** PUT Bucket cors (docs/protocol.md#cors-configuration): replaces the bucket's rules. */
export async function putBucketCors(cfg: NosConfig, p: { bucket: string; rules: CorsRule[] } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'putBucketCors')
  const bucket = checkBucket(p.bucket)
  const body = bytesBody([utf8(corsXml(checkRules(p.rules)))])
  const headers = { 'Content-Type': 'application/xml', 'Content-MD5': await body.md5!(cfg.md5) }
  const res = await send(cfg, { method: 'PUT', bucket, query: { cors: null }, headers, body, signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}

const splitList = (values: string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)

/** GET Bucket cors (docs/protocol.md#cors-configuration). */
export async function getBucketCors(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult & { rules: CorsRule[] }> {
  checkParams(p, 'getBucketCors')
  const res = await send(cfg, { method: 'GET', bucket: checkBucket(p.bucket), query: { cors: null }, signal: p.signal })
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'CORSConfiguration')
  const many = (r: Parameters<typeof list>[0], name: string) => splitList(((r[name] as string[] | undefined) ?? []).map((x) => text(x)))
  return {
    requestId: requestIdOf(res),
    rules: list(doc, 'CORSRule').map((r) => {
      const rule: CorsRule = {
        allowedOrigins: many(r, 'AllowedOrigin'),
        allowedMethods: many(r, 'AllowedMethod') as CorsRule['allowedMethods'],
        allowedHeaders: many(r, 'AllowedHeader'),
        exposeHeaders: many(r, 'ExposeHeader'),
      }
      if (text(r, 'MaxAgeSeconds')) rule.maxAgeSeconds = toInt(text(r, 'MaxAgeSeconds'))
      return rule
    }),
  }
}

/** DELETE Bucket cors. */
export async function deleteBucketCors(cfg: NosConfig, p: { bucket: string } & CallOptions): Promise<RequestResult> {
  checkParams(p, 'deleteBucketCors')
  const res = await send(cfg, { method: 'DELETE', bucket: checkBucket(p.bucket), query: { cors: null }, signal: p.signal })
  await res.body?.cancel()
  return { requestId: requestIdOf(res) }
}
