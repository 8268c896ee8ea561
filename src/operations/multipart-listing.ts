/**
 * Listings of multipart uploads (docs/protocol.md#multipart-upload, docs/protocol.md#listing-multipart-uploads): the
 * parts of one upload, and the pending uploads of a bucket. Their async iterators are in ./listing.ts.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { InvalidArgument } from '../core/errors.js'
import { cleanEtag, requestIdOf, toBool, toInt } from '../core/response-fields.js'
import { parseNosDate } from '../core/http-date.js'
import { readXmlBody } from '../core/response-body.js'
import { send } from '../core/transport.js'
import { checkBucket, checkKey, checkParams, checkString, optInt, optString } from '../core/validate.js'
import { list, parseXml, required, text } from '../core/xml.js'
import type { CallOptions, RequestResult } from './common.js'
import { MAX_LIST_LIMIT, MAX_PART_NUMBER } from '../core/limits.js'

/** Parameters of `listParts`. */
export interface ListPartsParams extends CallOptions {
  bucket: string
  key: string
  uploadId: string
  /** 0-1000, default 1000. */
  limit?: number
  /** List parts after this number. */
  partNumberMarker?: number
}
/** One uploaded part. */
export interface PartInfo {
  partNum: number
  lastModified: Date
  etag: string
  size: number
}
/** Result of `listParts`. */
export interface ListPartsResult extends RequestResult {
  bucket: string
  key: string
  uploadId: string
  partNumberMarker: number
  nextPartNumberMarker: number
  maxParts: number
  isTruncated: boolean
  parts: PartInfo[]
}

/** List Parts (docs/protocol.md#multipart-upload). */
export async function listParts(cfg: NosConfig, p: ListPartsParams): Promise<ListPartsResult> {
  checkParams(p, 'listParts')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const uploadId = checkString(p.uploadId, 'uploadId', 'the uploadId createMultipartUpload returned')
  const limit = optInt(p.limit, 'limit', 0, MAX_LIST_LIMIT)
  const marker = optInt(p.partNumberMarker, 'partNumberMarker', 0, MAX_PART_NUMBER)
  const res = await send(cfg, {
    method: 'GET',
    bucket,
    key,
    query: { uploadId, 'max-parts': limit?.toString(), 'part-number-marker': marker?.toString() },
    signal: p.signal,
  })
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'ListPartsResult')
  return {
    requestId: requestIdOf(res),
    bucket: text(doc, 'Bucket') || bucket,
    key: text(doc, 'Key') || key,
    uploadId: text(doc, 'UploadId') || uploadId,
    partNumberMarker: toInt(text(doc, 'PartNumberMarker')),
    nextPartNumberMarker: toInt(text(doc, 'NextPartNumberMarker')),
    maxParts: toInt(text(doc, 'MaxParts')),
    isTruncated: toBool(text(doc, 'IsTruncated')),
    parts: list(doc, 'Part').map((x) => ({
      partNum: toInt(required(x, 'PartNumber', 'Part')),
      lastModified: parseNosDate(text(x, 'LastModified')),
      etag: cleanEtag(required(x, x['ETag'] === undefined && x['Etag'] !== undefined ? 'Etag' : 'ETag', 'Part')),
      size: toInt(text(x, 'Size')),
    })),
  }
}

/** Parameters of `listMultipartUploads`. */
export interface ListMultipartUploadsParams extends CallOptions {
  bucket: string
  /** 0-1000, default 1000. */
  limit?: number
  /** List uploads of keys after this one (and, with `uploadIdMarker`, the uploads of this key after that id). */
  keyMarker?: string
  /**
   * With `keyMarker`: the uploads of that key after this upload id come first, then keys after it (sent as
   * `upload-id-marker`, docs/protocol.md#listing-multipart-uploads). Needs `keyMarker`.
   */
  uploadIdMarker?: string
  /** Only keys with this prefix (sent as `prefix`; NOS documents only key-marker, so it is also filtered here). */
  prefix?: string
}
/** One pending multipart upload. */
export interface UploadInfo {
  key: string
  uploadId: string
  initiated: Date
  storageClass: string
}
/** Result of `listMultipartUploads`. */
export interface ListMultipartUploadsResult extends RequestResult {
  bucket: string
  /** The markers this page was asked for ('' when none). */
  keyMarker: string
  uploadIdMarker: string
  /**
   * Where the next page starts: the key and upload id of this page's last upload (before any `prefix` filtering
   * here), or NOS's `NextKeyMarker` when the page is empty. Pass both as `keyMarker` and `uploadIdMarker`.
   */
  nextKeyMarker: string
  nextUploadIdMarker: string
  isTruncated: boolean
  uploads: UploadInfo[]
}

/**
 * List Multipart Uploads (docs/protocol.md#listing-multipart-uploads). The next page's markers come from the last
 * upload listed, not from a `NextUploadIdMarker` element, which NOS does not document
 * (docs/protocol.md#listing-multipart-uploads).
 */
export async function listMultipartUploads(cfg: NosConfig, p: ListMultipartUploadsParams): Promise<ListMultipartUploadsResult> {
  checkParams(p, 'listMultipartUploads')
  const bucket = checkBucket(p.bucket)
  const limit = optInt(p.limit, 'limit', 0, MAX_LIST_LIMIT)
  const keyMarker = optString(p.keyMarker, 'keyMarker')
  const uploadIdMarker = optString(p.uploadIdMarker, 'uploadIdMarker')
  if (uploadIdMarker && !keyMarker) throw new InvalidArgument('uploadIdMarker needs keyMarker: it names an upload of that key (the listing continues after it)')
  const prefix = optString(p.prefix, 'prefix')
  const res = await send(cfg, {
    method: 'GET',
    bucket,
    query: { uploads: null, 'max-uploads': limit?.toString(), 'key-marker': keyMarker, 'upload-id-marker': uploadIdMarker || undefined, prefix },
    signal: p.signal,
  })
  const doc = parseXml(await readXmlBody(cfg, res, p.signal), 'ListMultipartUploadsResult')
  const listed = list(doc, 'Upload').map((u) => ({
    key: required(u, 'Key', 'Upload'),
    uploadId: required(u, 'UploadId', 'Upload'),
    initiated: parseNosDate(text(u, 'Initiated')),
    storageClass: text(u, 'StorageClass'),
  }))
  const last = listed.at(-1)
  return {
    requestId: requestIdOf(res),
    bucket: text(doc, 'Bucket') || bucket,
    keyMarker: keyMarker ?? '',
    uploadIdMarker: uploadIdMarker ?? '',
    nextKeyMarker: last?.key ?? text(doc, 'NextKeyMarker'),
    nextUploadIdMarker: last?.uploadId ?? '',
    isTruncated: toBool(text(doc, 'IsTruncated')),
    uploads: listed.filter((u) => !prefix || u.key.startsWith(prefix)),
  }
}
