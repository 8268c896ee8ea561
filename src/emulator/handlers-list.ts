/**
 * Listings: objects (prefix, delimiter, marker, max-keys; docs/protocol.md#listing-objects), multipart uploads
 * (docs/protocol.md#listing-multipart-uploads) and parts (docs/protocol.md#multipart-upload).
 * @module
 */
import type { Ctx } from './context.js'
import { NosError } from './errors.js'
import { compareKeys } from './store.js'
import { formatXmlDate } from './time.js'
import { intParam, ownerXml } from './util.js'
import { xmlDocument, type XmlChildren } from './xml.js'

/** One `<Contents>` entry of an object listing. */
function contentsEntry(ctx: Ctx, bucket: string, key: string): [string, XmlChildren] {
  const { store } = ctx.env
  const o = store.object(bucket, key)!
  return [
    'Contents',
    [
      ['Key', o.key],
      ['LastModified', formatXmlDate(o.lastModified)],
      ['ETag', o.etag],
      ['Size', o.size],
      ['StorageClass', 'Standard'],
      ['Owner', ownerXml(ctx, store.bucket(bucket)!.owner)],
    ],
  ]
}

/**
 * GET / on a bucket. Keys after `marker` in byte order; with a delimiter, keys sharing a prefix up to the
 * delimiter collapse into one CommonPrefixes entry that counts once toward `max-keys` (default 100, 0-1000).
 * NextMarker is the last key or common prefix returned, sent when the listing is truncated.
 */
export function listObjects(ctx: Ctx): void {
  const { store } = ctx.env
  const bucket = ctx.bucket!
  const prefix = ctx.query['prefix'] ?? ''
  const delimiter = ctx.query['delimiter'] ?? ''
  const marker = ctx.query['marker'] ?? ''
  const maxKeys = intParam(ctx, 'max-keys', 100, 0, 1000)
  const contents: XmlChildren = []
  const prefixes: string[] = []
  let last: string | undefined
  let truncated = false
  let count = 0
  for (const key of store.sortedKeys(bucket)) {
    if (marker && compareKeys(key, marker) <= 0) continue
    if (!key.startsWith(prefix)) continue
    let common: string | undefined
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length)
      if (at >= 0) common = key.slice(0, at + delimiter.length)
    }
    if (common !== undefined) {
      // Keys under a prefix already returned (or at/below the marker) belong to that entry.
      if (common === last || (marker && compareKeys(common, marker) <= 0)) continue
    }
    if (count >= maxKeys) {
      truncated = maxKeys > 0
      break
    }
    count++
    if (common !== undefined) {
      prefixes.push(common)
      last = common
    } else {
      contents.push(contentsEntry(ctx, bucket, key))
      last = key
    }
  }
  ctx.sendXml(
    xmlDocument('ListBucketResult', [
      ['Name', bucket],
      ['Prefix', prefix],
      ['Marker', marker],
      ['MaxKeys', maxKeys],
      ['Delimiter', delimiter || undefined],
      ['NextMarker', truncated ? last : undefined],
      ['IsTruncated', truncated],
      ...contents,
      ...prefixes.map((p): [string, XmlChildren] => ['CommonPrefixes', [['Prefix', p]]]),
    ]),
  )
}

/**
 * GET /?uploads: pending uploads by key then upload id (numerically), after key-marker and, within the key-marker's
 * key, after upload-id-marker (S3's meaning; docs/protocol.md#listing-multipart-uploads).
 */
export function listMultipartUploads(ctx: Ctx): void {
  const bucket = ctx.bucket!
  const maxUploads = intParam(ctx, 'max-uploads', 1000, 0, 1000)
  const keyMarker = ctx.query['key-marker'] ?? ''
  const idMarker = ctx.query['upload-id-marker'] ?? ''
  const prefix = ctx.query['prefix'] ?? ''
  const all = [...ctx.env.store.uploads.values()]
    .filter((u) => u.bucket === bucket && u.key.startsWith(prefix))
    .filter((u) => {
      if (!keyMarker) return true
      const c = compareKeys(u.key, keyMarker)
      return c > 0 || (c === 0 && idMarker !== '' && compareIds(u.uploadId, idMarker) > 0)
    })
    .sort((a, b) => compareKeys(a.key, b.key) || compareIds(a.uploadId, b.uploadId))
  const page = all.slice(0, maxUploads)
  const truncated = maxUploads > 0 && all.length > page.length
  const lastUpload = page[page.length - 1]
  ctx.sendXml(
    xmlDocument('ListMultipartUploadsResult', [
      ['Bucket', bucket],
      ['KeyMarker', keyMarker],
      ['UploadIdMarker', idMarker],
      ['NextKeyMarker', lastUpload?.key ?? ''],
      ['NextUploadIdMarker', lastUpload?.uploadId ?? ''],
      ['MaxUploads', maxUploads],
      ['Prefix', prefix || undefined],
      ['IsTruncated', truncated],
      ...page.map((u): [string, XmlChildren] => [
        'Upload',
        [
          ['Key', u.key],
          ['UploadId', u.uploadId],
          ['StorageClass', 'Standard'],
          ['Owner', ownerXml(ctx, u.owner)],
          ['Initiated', formatXmlDate(u.initiated)],
        ],
      ]),
    ]),
  )
}

/** Upload ids are decimal strings (docs/protocol.md#multipart-upload): compare numerically. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

/** GET /key?uploadId=: parts after part-number-marker, max-parts (default 1000, 0-1000). */
export function listParts(ctx: Ctx): void {
  const upload = ctx.env.store.uploads.get(ctx.query['uploadId'] ?? '')
  if (!upload || upload.bucket !== ctx.bucket || upload.key !== ctx.key) throw new NosError('NoSuchUpload')
  const maxParts = intParam(ctx, 'max-parts', 1000, 0, 1000)
  const marker = intParam(ctx, 'part-number-marker', 0, 0, 10000)
  const all = Object.values(upload.parts)
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber)
  const page = all.slice(0, maxParts)
  const truncated = maxParts > 0 && all.length > page.length
  ctx.sendXml(
    xmlDocument('ListPartsResult', [
      ['Bucket', upload.bucket],
      ['Key', upload.key],
      ['UploadId', upload.uploadId],
      ['Owner', ownerXml(ctx, upload.owner)],
      ['StorageClass', 'Standard'],
      ['PartNumberMarker', marker],
      ['NextPartNumberMarker', page.length ? page[page.length - 1]!.partNumber : marker],
      ['MaxParts', maxParts],
      ['IsTruncated', truncated],
      ...page.map((p): [string, XmlChildren] => [
        'Part',
        [
          ['PartNumber', p.partNumber],
          ['LastModified', formatXmlDate(p.lastModified)],
          ['ETag', p.etag],
          ['Size', p.size],
        ],
      ]),
    ]),
  )
}
