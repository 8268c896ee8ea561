/**
 * Service and bucket operations (docs/protocol.md#buckets, docs/protocol.md#cors-configuration):
 * list/create/delete/head bucket, location, ACL, CORS.
 * @module
 */
import type { Ctx } from './context.js'
import { corsXml, parseCorsXml, PERMISSIVE_RULE } from './cors.js'
import { NosError } from './errors.js'
import { readSmallBody } from './body.js'
import { formatXmlDate } from './time.js'
import type { CannedAcl } from './types.js'
import { isValidBucketName, ownerXml } from './util.js'
import { child, parseXml, text, xmlDocument } from './xml.js'

const ZONES = new Set(['HZ', 'BJ', 'GZ'])
const MAX_BUCKETS = 100

function parseAcl(value: string | undefined): CannedAcl | undefined {
  if (value === undefined) return undefined
  if (value === 'private' || value === 'public-read') return value
  throw new NosError('InvalidArgument', `Unsupported x-nos-acl value ${value}; use private or public-read.`)
}

/** GET / on the service: the caller's buckets (docs/protocol.md#buckets). */
export function listBuckets(ctx: Ctx): void {
  const owner = ctx.principal!.ownerId
  const buckets = ctx.env.store.listBuckets().filter((b) => b.owner === owner)
  ctx.sendXml(
    xmlDocument('ListAllMyBucketsResult', [
      ['Owner', ownerXml(ctx, owner)],
      ['Buckets', buckets.map((b) => ['Bucket', [['Name', b.name], ['CreationDate', formatXmlDate(b.created)]]])],
    ]),
  )
}

/** PUT /: x-nos-acl, optional CreateBucketConfiguration with LocationConstraint HZ/BJ/GZ (docs/protocol.md#buckets). */
export async function createBucket(ctx: Ctx): Promise<void> {
  const name = ctx.bucket!
  const { store } = ctx.env
  const owner = ctx.principal!.ownerId
  const existing = store.bucket(name)
  if (existing) throw new NosError(existing.owner === owner ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExist')
  if (!isValidBucketName(name)) throw new NosError('InvalidBucketName')
  const acl = parseAcl(ctx.headers['x-nos-acl']) ?? 'private'
  const body = (await readSmallBody(ctx, 64 * 1024)).toString('utf8')
  let location = 'HZ'
  if (body.trim()) {
    const loc = text(child(parseXml(body)['CreateBucketConfiguration'], 'LocationConstraint'))?.trim()
    if (loc) {
      if (!ZONES.has(loc)) throw new NosError('NoSuchZone')
      location = loc
    }
  }
  // Checked again: another request may have created it while the body was read.
  if (store.bucket(name)) throw new NosError(store.bucket(name)!.owner === owner ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExist')
  if (store.listBuckets().filter((b) => b.owner === owner).length >= MAX_BUCKETS) throw new NosError('TooManyBuckets')
  await store.saveBucket({ name, owner, acl, location, created: ctx.now() })
  ctx.send(200)
}

/** DELETE /: 409 BucketNotEmpty while objects or unfinished multipart uploads remain (docs/protocol.md#buckets). */
export async function deleteBucket(ctx: Ctx): Promise<void> {
  const { store } = ctx.env
  if (store.bucketInUse(ctx.bucket!)) throw new NosError('BucketNotEmpty')
  await store.deleteBucket(ctx.bucket!)
  ctx.send(200)
}

/** HEAD /: existence and access were checked by the authoriser (docs/protocol.md#buckets). */
export function headBucket(ctx: Ctx): void {
  ctx.send(200)
}

/** GET /?location (docs/protocol.md#buckets). */
export function getBucketLocation(ctx: Ctx): void {
  const b = ctx.env.store.bucket(ctx.bucket!)!
  ctx.sendXml(xmlDocument('LocationConstraint', b.location))
}

/** GET /?acl: the answer is the x-nos-acl response header (docs/protocol.md#buckets). */
export function getBucketAcl(ctx: Ctx): void {
  const b = ctx.env.store.bucket(ctx.bucket!)!
  ctx.send(200, { 'x-nos-acl': b.acl })
}

/**
 * PUT /?acl: Content-Length is required (411 MissingContentLength); no header leaves the ACL as it is
 * (docs/protocol.md#buckets).
 */
export async function putBucketAcl(ctx: Ctx): Promise<void> {
  if (ctx.headers['content-length'] === undefined) throw new NosError('MissingContentLength')
  const acl = parseAcl(ctx.headers['x-nos-acl'])
  await readSmallBody(ctx, 64 * 1024)
  const b = ctx.env.store.bucket(ctx.bucket!)!
  if (acl) await ctx.env.store.saveBucket({ ...b, acl })
  ctx.send(200)
}

/** PUT /?cors: replaces the bucket's rules (docs/protocol.md#cors-configuration). */
export async function putBucketCors(ctx: Ctx): Promise<void> {
  const rules = parseCorsXml((await readSmallBody(ctx, 64 * 1024)).toString('utf8'))
  const b = ctx.env.store.bucket(ctx.bucket!)!
  await ctx.env.store.saveBucket({ ...b, cors: rules })
  ctx.send(200)
}

/**
 * GET /?cors: 404 NoSuchCORSConfiguration when none is set (S3's code; NOS's is undocumented:
 * docs/protocol.md#cors-configuration).
 */
export function getBucketCors(ctx: Ctx): void {
  const b = ctx.env.store.bucket(ctx.bucket!)!
  if (!b.cors) throw new NosError('NoSuchCORSConfiguration')
  ctx.sendXml(corsXml(b.cors))
}

/** DELETE /?cors. */
export async function deleteBucketCors(ctx: Ctx): Promise<void> {
  const b = ctx.env.store.bucket(ctx.bucket!)!
  await ctx.env.store.saveBucket({ ...b, cors: undefined })
  ctx.send(200)
}

/**
 * OPTIONS preflight (docs/protocol.md#cors-configuration): needs Origin and Access-Control-Request-Method; 403 when the
 * bucket has no CORS configuration (and the permissive switch is off) or no rule allows the request.
 */
export function preflight(ctx: Ctx): void {
  const origin = ctx.headers['origin']
  const method = ctx.headers['access-control-request-method']
  if (!origin || !method) throw new NosError('InvalidRequest', 'A CORS preflight needs Origin and Access-Control-Request-Method.')
  const requested = (ctx.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
  // Browsers preflight direct uploads (they send x-nos-token); edge nodes allow them from anywhere
  // (docs/protocol.md#direct-upload).
  const direct = requested.some((h) => h.toLowerCase() === 'x-nos-token') ? PERMISSIVE_RULE : undefined
  const rule = ctx.corsRule(method, requested) ?? direct
  if (!rule) throw new NosError('AccessDenied', 'CORSResponse: This CORS request is not allowed.')
  const headers: Record<string, string | number> = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': method.toUpperCase(),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  }
  if (requested.length) headers['Access-Control-Allow-Headers'] = requested.join(', ')
  if (rule.exposeHeaders.length) headers['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ')
  if (rule.maxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = rule.maxAgeSeconds
  ctx.send(200, headers)
}
