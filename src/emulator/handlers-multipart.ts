/**
 * Multipart upload (docs/protocol.md#multipart-upload): initiate, upload part, complete, abort. Upload ids are decimal
 * digit strings; parts are 1-10000, ≤ 100 MiB each, and every part but the last ≥ 16 KiB (checked at Complete).
 * @module
 */
import { randomBytes } from 'node:crypto'
import { nosEncode } from './signing.js'
import { MAX_PUT_BYTES, readSmallBody, receiveBlob } from './body.js'
import type { Ctx } from './context.js'
import { NosError } from './errors.js'
import type { PartRecord, Segment, UploadRecord } from './store.js'
import { checkKey, md5Hex, objectHeaders, quoteEtag } from './util.js'
import { child, list, parseXml, text, xmlDocument } from './xml.js'

/**
 * Minimum size of every part but the last: 16 KiB, not the 5 MB of old Java tests (docs/protocol.md#multipart-upload).
 */
export const MIN_PART_BYTES = 16 * 1024
const MAX_PART_NUMBER = 10_000
const XML_TYPES = /^(application|text)\/xml\b/i

/** A 19-digit decimal upload id, like the live service's (docs/protocol.md#multipart-upload). */
function newUploadId(): string {
  const n = BigInt(`0x${randomBytes(8).toString('hex')}`) % 9_000_000_000_000_000_000n
  return String(n + 1_000_000_000_000_000_000n)
}

/** The upload named by `?uploadId=`, which must belong to this bucket and key, else 404 NoSuchUpload. */
function findUpload(ctx: Ctx): UploadRecord {
  const u = ctx.env.store.uploads.get(ctx.query['uploadId'] ?? '')
  if (!u || u.bucket !== ctx.bucket || u.key !== ctx.key) throw new NosError('NoSuchUpload')
  return u
}

/**
 * POST /key?uploads: remembers Content-Type, stored headers and metadata for Complete
 * (docs/protocol.md#multipart-upload).
 */
export async function initiateMultipartUpload(ctx: Ctx): Promise<void> {
  checkKey(ctx.key!)
  await readSmallBody(ctx, 64 * 1024)
  const { headers, meta } = objectHeaders(ctx)
  const type = ctx.headers['content-type']
  const rec: UploadRecord = {
    uploadId: newUploadId(),
    bucket: ctx.bucket!,
    key: ctx.key!,
    owner: ctx.principal!.ownerId,
    initiated: ctx.now(),
    contentType: type && !/^application\/x-www-form-urlencoded\b/i.test(type) ? type : undefined,
    headers,
    meta,
    parts: {},
  }
  await ctx.env.store.saveUpload(rec)
  ctx.sendXml(xmlDocument('InitiateMultipartUploadResult', [['Bucket', rec.bucket], ['Key', rec.key], ['UploadId', rec.uploadId]]))
}

/**
 * PUT /key?partNumber=&uploadId=: replaces an earlier part with the same number; ETag = part MD5
 * (docs/protocol.md#multipart-upload).
 */
export async function uploadPart(ctx: Ctx): Promise<void> {
  const pn = ctx.query['partNumber']
  if (!pn || !/^\d+$/.test(pn) || Number(pn) < 1 || Number(pn) > MAX_PART_NUMBER) {
    throw new NosError('InvalidArgument', 'Part number must be an integer between 1 and 10000.')
  }
  findUpload(ctx)
  const { store } = ctx.env
  const got = await receiveBlob(ctx, store.blobs, MAX_PUT_BYTES)
  // The upload may have been completed or aborted while the body was streaming.
  const upload = store.uploads.get(ctx.query['uploadId']!)
  if (!upload || upload.bucket !== ctx.bucket || upload.key !== ctx.key) {
    await store.freeBlob(got.blob)
    throw new NosError('NoSuchUpload')
  }
  const part: PartRecord = { partNumber: Number(pn), size: got.size, etag: got.md5, lastModified: ctx.now(), blob: got.blob }
  const old = upload.parts[pn]
  upload.parts[String(part.partNumber)] = part
  await store.saveUpload(upload)
  if (old) await store.freeBlob(old.blob)
  ctx.send(200, { ETag: quoteEtag(got.md5) })
}

/** Parses `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>...`; namespaces ignored. */
function parseCompleteXml(body: string): Array<{ partNumber: number; etag: string }> {
  const root = parseXml(body)['CompleteMultipartUpload']
  if (root === undefined) throw new NosError('MalformedXML')
  const parts = list(child(root, 'Part')).map((p) => {
    const n = text(child(p, 'PartNumber'))?.trim() ?? ''
    const etag = text(child(p, 'ETag'))?.trim()
    if (!/^\d+$/.test(n) || etag === undefined) throw new NosError('MalformedXML')
    return { partNumber: Number(n), etag: etag.replace(/^"+|"+$/g, '').toLowerCase() }
  })
  if (!parts.length) throw new NosError('MalformedXML', 'The Complete request must list at least one part.')
  return parts
}

/**
 * POST /key?uploadId=: assembles the listed parts. ETag = md5 of `hex1-hex2-...-` (docs/protocol.md#multipart-upload,
 * confirmed by the Python SDK's live test). Metadata and Content-Type come from the Complete request when it carries
 * them, else from Initiate (the official SDKs resend them, docs/protocol.md#multipart-upload); an XML Content-Type on
 * Complete describes its body, not the object. `x-nos-object-md5` is stored as sent.
 */
export async function completeMultipartUpload(ctx: Ctx): Promise<void> {
  findUpload(ctx)
  const wanted = parseCompleteXml((await readSmallBody(ctx, 2 * 1024 * 1024, 'MalformedXML')).toString('utf8'))
  const { store } = ctx.env
  const upload = findUpload(ctx)
  for (let i = 1; i < wanted.length; i++) {
    if (wanted[i]!.partNumber <= wanted[i - 1]!.partNumber) throw new NosError('InvalidPartOrder')
  }
  const parts = wanted.map((w) => {
    const p = upload.parts[String(w.partNumber)]
    if (!p || p.etag !== w.etag) throw new NosError('InvalidPart', `Part ${w.partNumber} was not uploaded or its ETag does not match.`)
    return p
  })
  parts.forEach((p, i) => {
    if (i < parts.length - 1 && p.size < MIN_PART_BYTES) {
      throw new NosError('EntityTooSmall', `Part ${p.partNumber} is smaller than 16 KiB and is not the last part.`)
    }
  })
  // Claim the upload synchronously so a concurrent Complete, Abort or part upload sees NoSuchUpload.
  store.uploads.delete(upload.uploadId)
  try {
    const segments: Segment[] = []
    // Own copies of the part blobs (alias or hard link), so that the object and a not-yet-removed upload record
    // never share a blob, whatever happens between the two writes.
    for (const p of parts) segments.push({ blob: await store.blobs.clone(p.blob), size: p.size })
    const fromComplete = objectHeaders(ctx)
    const type = ctx.headers['content-type']
    const contentType = (type && !XML_TYPES.test(type) && !/^application\/x-www-form-urlencoded\b/i.test(type) ? type : undefined) ?? upload.contentType
    const etag = md5Hex(parts.map((p) => `${p.etag}-`).join(''))
    if (!store.bucket(ctx.bucket!)) {
      await store.freeSegments(segments)
      throw new NosError('NoSuchBucket')
    }
    await store.putObject(ctx.bucket!, {
      key: upload.key,
      size: parts.reduce((n, p) => n + p.size, 0),
      etag,
      lastModified: ctx.now(),
      contentType: contentType ?? 'application/octet-stream',
      headers: Object.keys(fromComplete.headers).length ? fromComplete.headers : upload.headers,
      meta: Object.keys(fromComplete.meta).length ? fromComplete.meta : upload.meta,
      segments,
      objectMd5: ctx.headers['x-nos-object-md5'],
    })
    ctx.sendXml(
      xmlDocument('CompleteMultipartUploadResult', [
        ['Location', `${upload.bucket}.${ctx.env.settings.endpointHost}/${nosEncode(upload.key)}`],
        ['Bucket', upload.bucket],
        ['Key', upload.key],
        ['ETag', etag],
      ]),
    )
  } finally {
    await store.removeUpload(upload)
  }
}

/** DELETE /key?uploadId=: frees the parts; 404 NoSuchUpload when unknown (docs/protocol.md#multipart-upload). */
export async function abortMultipartUpload(ctx: Ctx): Promise<void> {
  await ctx.env.store.removeUpload(findUpload(ctx))
  ctx.send(200)
}
