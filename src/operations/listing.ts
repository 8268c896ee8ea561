/**
 * List Objects (docs/protocol.md#listing-objects) and async iterators over every listing, following markers to the end.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { cleanEtag, requestIdOf, toBool, toInt } from '../core/response-fields.js'
import { parseNosDate } from '../core/http-date.js'
import { send } from '../core/transport.js'
import { checkBucket, checkParams, optInt, optString } from '../core/validate.js'
import { readXmlBody } from '../core/response-body.js'
import { list, parseXml, required, text, type XmlNode } from '../core/xml.js'
import type { CallOptions, RequestResult } from './common.js'
import {
  listMultipartUploads,
  listParts,
  type ListMultipartUploadsParams,
  type ListMultipartUploadsResult,
  type ListPartsParams,
  type PartInfo,
  type UploadInfo,
} from './multipart-listing.js'
import { MAX_LIST_LIMIT } from '../core/limits.js'

/** Parameters of `listObjects`. */
export interface ListObjectsParams extends CallOptions {
  bucket: string
  /** Group keys by the part after `prefix` up to this string (usually `/`) into `commonPrefixes`. */
  delimiter?: string
  /** List keys after this one. */
  marker?: string
  /** 0-1000; NOS's default is 100. */
  limit?: number
  prefix?: string
}
/** One object of a listing. */
export interface ObjectSummary {
  key: string
  lastModified: Date
  etag: string
  size: number
  storageClass: string
}
/** Result of `listObjects`. */
export interface ListObjectsResult extends RequestResult {
  bucket: string
  prefix: string
  marker: string
  /** Where the next page starts (the last key or common prefix of this page) when `isTruncated`. */
  nextMarker: string
  maxKeys: number
  isTruncated: boolean
  contents: ObjectSummary[]
  commonPrefixes: string[]
}

function summary(c: XmlNode): ObjectSummary {
  return {
    key: required(c, 'Key', 'Contents'),
    lastModified: parseNosDate(text(c, 'LastModified')),
    etag: cleanEtag(text(c, 'ETag') || text(c, 'Etag')),
    size: toInt(text(c, 'Size')),
    storageClass: text(c, 'StorageClass'),
  }
}

/** Parses a ListBucketResult document. */
export function parseListObjects(xml: string, requestId: string, bucket: string): ListObjectsResult {
  const doc = parseXml(xml, 'ListBucketResult')
  const contents = list(doc, 'Contents').map(summary).filter((c) => c.key !== '')
  const commonPrefixes = list(doc, 'CommonPrefixes').map((p) => required(p, 'Prefix', 'CommonPrefixes'))
  const isTruncated = toBool(text(doc, 'IsTruncated'))
  let nextMarker = text(doc, 'NextMarker') || text(doc, 'NextMark')
  if (isTruncated && !nextMarker) {
    // Without NextMarker, the next page starts after the greatest key or prefix of this one.
    const last = [...contents.map((c) => c.key), ...commonPrefixes].sort().pop()
    nextMarker = last ?? ''
  }
  return {
    requestId,
    bucket: text(doc, 'Name') || bucket,
    prefix: text(doc, 'Prefix'),
    marker: text(doc, 'Marker'),
    nextMarker,
    maxKeys: toInt(text(doc, 'MaxKeys')),
    isTruncated,
    contents,
    commonPrefixes,
  }
}

/** List Objects (docs/protocol.md#listing-objects): one page. See `iterateObjects` for all of them. */
export async function listObjects(cfg: NosConfig, p: ListObjectsParams): Promise<ListObjectsResult> {
  checkParams(p, 'listObjects')
  const bucket = checkBucket(p.bucket)
  const limit = optInt(p.limit, 'limit', 0, MAX_LIST_LIMIT)
  const query = {
    prefix: optString(p.prefix, 'prefix'),
    delimiter: optString(p.delimiter, 'delimiter'),
    marker: optString(p.marker, 'marker'),
    'max-keys': limit?.toString(),
  }
  const res = await send(cfg, { method: 'GET', bucket, query, signal: p.signal })
  return parseListObjects(await readXmlBody(cfg, res, p.signal), requestIdOf(res), bucket)
}

/**
 * Pages of any marker-paginated listing: fetch a page at `marker`, stop when it is not truncated or the marker
 * would not move (a server that repeats a marker must not loop us forever).
 */
async function* paginate<Page, M>(
  first: M | undefined,
  fetchPage: (marker: M | undefined) => Promise<Page>,
  next: (page: Page) => { truncated: boolean; marker: M | undefined },
): AsyncGenerator<Page> {
  let marker = first
  for (;;) {
    const page = await fetchPage(marker)
    yield page
    const n = next(page)
    if (!n.truncated || !n.marker || n.marker === marker) return
    marker = n.marker
  }
}

/** Every page of a listing, following `nextMarker` until the listing is complete. */
export function iterateObjectPages(cfg: NosConfig, p: ListObjectsParams): AsyncGenerator<ListObjectsResult> {
  return paginate(
    p.marker,
    (marker) => listObjects(cfg, { ...p, marker, limit: p.limit ?? MAX_LIST_LIMIT }),
    (page) => ({ truncated: page.isTruncated, marker: page.nextMarker }),
  )
}

/** Every object under a prefix (with a delimiter: only those not rolled up into common prefixes). */
export async function* iterateObjects(cfg: NosConfig, p: ListObjectsParams): AsyncGenerator<ObjectSummary> {
  for await (const page of iterateObjectPages(cfg, p)) yield* page.contents
}

/** Every common prefix of a delimited listing. */
export async function* iterateCommonPrefixes(cfg: NosConfig, p: ListObjectsParams & { delimiter: string }): AsyncGenerator<string> {
  for await (const page of iterateObjectPages(cfg, p)) yield* page.commonPrefixes
}

/** Every part of a multipart upload. */
export async function* iterateParts(cfg: NosConfig, p: ListPartsParams): AsyncGenerator<PartInfo> {
  const pages = paginate(
    p.partNumberMarker,
    (marker) => listParts(cfg, { ...p, partNumberMarker: marker }),
    (page) => ({ truncated: page.isTruncated, marker: page.nextPartNumberMarker || page.parts.at(-1)?.partNum }),
  )
  for await (const page of pages) yield* page.parts
}

/**
 * Every page of pending multipart uploads, following the pair (key marker, upload id marker) taken from each
 * page's last upload, so that more uploads of one key than fit a page are all listed
 * (docs/protocol.md#listing-multipart-uploads). Stops when a page is not truncated or the markers would not move.
 */
export async function* iterateMultipartUploadPages(cfg: NosConfig, p: ListMultipartUploadsParams): AsyncGenerator<ListMultipartUploadsResult> {
  let markers = { key: p.keyMarker, id: p.uploadIdMarker }
  for (;;) {
    const page = await listMultipartUploads(cfg, { ...p, keyMarker: markers.key, uploadIdMarker: markers.id })
    yield page
    const next = { key: page.nextKeyMarker || undefined, id: page.nextUploadIdMarker || undefined }
    if (!page.isTruncated || !next.key || (next.key === markers.key && next.id === markers.id)) return
    markers = next
  }
}

/** Every pending multipart upload of a bucket. */
export async function* iterateMultipartUploads(cfg: NosConfig, p: ListMultipartUploadsParams): AsyncGenerator<UploadInfo> {
  for await (const page of iterateMultipartUploadPages(cfg, p)) yield* page.uploads
}
