/**
 * Instant upload (docs/protocol.md#deduplication-instant-upload): the bucket setting (`PUT/GET /?deduplication`)
 * and `PUT /<key>?deduplication` with `x-nos-object-md5`, which creates the object from stored content with the
 * same MD5 without receiving its bytes. The content index is the objects' `objectMd5` (fed by PUT with Content-MD5,
 * Complete with x-nos-object-md5, and direct uploads with Content-MD5), searched in the same bucket; a claim that
 * was never verified (Complete's header) is checked against the bytes before it is used.
 * @module
 */
import { createHash } from 'node:crypto'
import { readSmallBody } from './body.js'
import type { Ctx } from './context.js'
import { NosError } from './errors.js'
import type { ObjectRecord, Segment } from './store.js'
import { checkKey, objectHeaders } from './util.js'
import { child, parseXml, text, xmlDocument } from './xml.js'

/** PUT /?deduplication: `<DeduplicationConfiguration><Status>Enabled|Suspended</Status>...`. */
export async function putBucketDeduplication(ctx: Ctx): Promise<void> {
  const doc = parseXml((await readSmallBody(ctx, 64 * 1024)).toString('utf8'))
  const status = text(child(doc['DeduplicationConfiguration'], 'Status'))?.trim()
  if (status !== 'Enabled' && status !== 'Suspended') throw new NosError('MalformedXML', 'Status must be Enabled or Suspended.')
  const b = ctx.env.store.bucket(ctx.bucket!)!
  await ctx.env.store.saveBucket({ ...b, deduplication: status === 'Enabled' })
  ctx.send(200)
}

/** GET /?deduplication: the bucket's setting; `Suspended` until enabled. */
export function getBucketDeduplication(ctx: Ctx): void {
  const b = ctx.env.store.bucket(ctx.bucket!)!
  ctx.sendXml(xmlDocument('DeduplicationConfiguration', [['Status', b.deduplication ? 'Enabled' : 'Suspended']]))
}

/** True when the object's bytes have this MD5 (single PUTs and direct uploads: the ETag; otherwise hashed). */
async function holds(ctx: Ctx, rec: ObjectRecord, md5: string): Promise<boolean> {
  if (rec.etag === md5) return true
  const hash = createHash('md5')
  const reader = ctx.env.store.readObject(rec, 0, rec.size)
  try {
    for await (const chunk of reader) hash.update(chunk)
  } finally {
    await reader.release()
  }
  return hash.digest('hex') === md5
}

/** Own copies of the bytes of an object holding content `md5` in this bucket, or undefined. */
async function findContent(ctx: Ctx, md5: string): Promise<{ size: number; segments: Segment[] } | undefined> {
  const { store } = ctx.env
  for (const key of [...store.sortedKeys(ctx.bucket!)]) {
    const rec = store.object(ctx.bucket!, key)
    if (!rec || rec.objectMd5 !== md5 || !(await holds(ctx, rec, md5))) continue
    const segments: Segment[] = []
    try {
      for (const s of rec.segments) segments.push({ blob: await store.blobs.clone(s.blob), size: s.size })
      return { size: rec.size, segments }
    } catch {
      // Overwritten or deleted meanwhile: look further.
      await store.freeSegments(segments)
    }
  }
  return undefined
}

/**
 * PUT /key?deduplication with `x-nos-object-md5` (32 hex): when the bucket has deduplication enabled and holds
 * that content, the object is created from it (its ETag is that MD5; type and metadata from this request) and the
 * answer says `ObjectContentAlreadyExist` true; otherwise false and nothing changes.
 */
export async function deduplicateObject(ctx: Ctx): Promise<void> {
  const key = ctx.key!
  checkKey(key)
  const md5 = (ctx.headers['x-nos-object-md5'] ?? '').trim().toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(md5)) throw new NosError('InvalidArgument', 'x-nos-object-md5 must be the object\'s hex MD5 (32 hex digits).')
  await readSmallBody(ctx, 64 * 1024)
  const { store } = ctx.env
  const found = store.bucket(ctx.bucket!)?.deduplication ? await findContent(ctx, md5) : undefined
  if (found) {
    const { headers, meta } = objectHeaders(ctx)
    await store.putObject(ctx.bucket!, {
      key,
      size: found.size,
      etag: md5,
      lastModified: ctx.now(),
      contentType: ctx.headers['content-type'] || 'application/octet-stream',
      headers,
      meta,
      segments: found.segments,
      objectMd5: md5,
    })
  }
  ctx.sendXml(
    xmlDocument('DeduplicateResult', [['Bucket', ctx.bucket!], ['Key', key], ['ObjectContentAlreadyExist', found ? 'true' : 'false']]),
  )
}
