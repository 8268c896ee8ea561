/**
 * `NosClient`: a facade of one-liners, one per operation (docs/architecture.md#one-operation-one-pipeline). The
 * bucket operations are in bucket-methods.ts, its base class, so that each file stays readable; users see one class.
 * @module
 */
import { resolveConfig, type NosClientOptions, type NosConfig } from '../core/config.js'
import type { CallOptions, RequestResult } from '../operations/common.js'
import * as listing from '../operations/listing.js'
import * as multipart from '../operations/multipart.js'
import * as multipartListing from '../operations/multipart-listing.js'
import * as objects from '../operations/objects.js'
import * as presign from '../operations/presign.js'
import { ManagedUpload } from '../transfers/managed-upload.js'
import type { UploadParams } from '../transfers/upload.js'
import { cleanupUploads, type CleanupUploadsParams } from '../transfers/cleanup-uploads.js'
import * as objectMeta from '../operations/object-meta.js'
import { BucketMethods } from './bucket-methods.js'

export type { BucketParams } from './bucket-methods.js'
/** Parameters naming an object. */
export type ObjectParams = { bucket: string; key: string } & CallOptions

/**
 * The NOS client. Every method takes one object argument and an optional `signal`; bad arguments throw a
 * `ClientException` subclass before any request is sent.
 *
 * @example
 * import { NosClient } from 'nos-sdk'
 * const client = new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK', endpoint: 'http://127.0.0.1:9000' })
 * await client.putObject({ bucket: 'my-bucket', key: 'hello.txt', body: 'hello' })
 * const { text } = await client.getObject({ bucket: 'my-bucket', key: 'hello.txt' })
 * console.log(await text())
 */
export class NosClient extends BucketMethods {
  /** The resolved, frozen configuration. */
  readonly config: NosConfig

  constructor(options: NosClientOptions = {}) {
    super()
    this.config = resolveConfig(options)
  }

  // ---- objects (seed) ----

  /**
   * Uploads an object of at most 100 MiB in one request (use `upload` for anything larger).
   * @example await client.putObject({ bucket: 'my-bucket', key: 'a.json', body: { hello: 'world' }, metadata: { owner: 'me' } })
   */
  putObject(p: objects.PutObjectParams): Promise<objects.PutObjectResult> {
    return objects.putObject(this.config, p)
  }

  /**
   * Downloads an object (or a range) as a stream.
   * @example const obj = await client.getObject({ bucket: 'my-bucket', key: 'a.txt', range: { start: 0, end: 99 } }); await obj.text()
   */
  getObject(p: objects.GetObjectParams): Promise<objects.GetObjectResult> {
    return objects.getObject(this.config, p)
  }

  /**
   * Reads an object's size, type, ETag, date and metadata.
   * @example const { contentLength, metadata } = await client.headObject({ bucket: 'my-bucket', key: 'a.txt' })
   */
  headObject(p: ObjectParams): Promise<objects.HeadObjectResult> {
    return objects.headObject(this.config, p)
  }

  /**
   * Deletes an object; a missing key is a `NotFoundError` (`NoSuchKey`), as NOS answers.
   * @example await client.deleteObject({ bucket: 'my-bucket', key: 'a.txt' })
   */
  deleteObject(p: ObjectParams): Promise<RequestResult> {
    return objects.deleteObject(this.config, p)
  }

  /**
   * Deletes many objects (any number; sent 1000 per request). Failures throw `MultiObjectDeleteException`.
   * @example await client.deleteObjects({ bucket: 'my-bucket', keys: ['a.txt', 'hello.txt'] })
   */
  deleteObjects(p: objects.DeleteObjectsParams): Promise<objects.DeleteObjectsResult> {
    return objects.deleteObjects(this.config, p)
  }

  /**
   * Copies an object, within a bucket or across buckets.
   * @example await client.copyObject({ srcBucket: 'my-bucket', srcKey: 'hello.txt', destBucket: 'my-bucket', destKey: 'copy.txt' })
   */
  copyObject(p: objects.CopyObjectParams): Promise<RequestResult> {
    return objects.copyObject(this.config, p)
  }

  /**
   * Renames an object within one bucket.
   * @example await client.moveObject({ srcBucket: 'my-bucket', srcKey: 'hello.txt', destBucket: 'my-bucket', destKey: 'moved.txt' })
   */
  moveObject(p: objects.CopyObjectParams): Promise<RequestResult> {
    return objects.moveObject(this.config, p)
  }

  /**
   * Replaces an object's Content-Type, cache/disposition/encoding/language headers, Expires and metadata without
   * sending its bytes; what is not given is cleared.
   * @example await client.putObjectMeta({ bucket: 'my-bucket', key: 'a.txt', contentType: 'text/plain', cacheControl: 'max-age=3600', metadata: { owner: 'me' } })
   */
  putObjectMeta(p: objectMeta.PutObjectMetaParams): Promise<RequestResult> {
    return objectMeta.putObjectMeta(this.config, p)
  }

  /**
   * Lists one page of objects (NOS's default page is 100 keys; at most 1000).
   * @example const page = await client.listObjects({ bucket: 'my-bucket', prefix: 'photos/', delimiter: '/' })
   */
  listObjects(p: listing.ListObjectsParams): Promise<listing.ListObjectsResult> {
    return listing.listObjects(this.config, p)
  }

  // ---- multipart (seed) ----

  /**
   * Starts a multipart upload.
   * @example const { uploadId } = await client.createMultipartUpload({ bucket: 'my-bucket', key: 'big.bin' })
   */
  createMultipartUpload(p: multipart.CreateMultipartUploadParams): Promise<multipart.CreateMultipartUploadResult> {
    return multipart.createMultipartUpload(this.config, p)
  }

  /**
   * Uploads one part (16 KiB-100 MiB except the last; numbers 1-10000).
   * @example const { etag } = await client.uploadPart({ bucket: 'my-bucket', key: 'big.bin', uploadId, partNum: 1, body: bytes })
   */
  uploadPart(p: multipart.UploadPartParams): Promise<RequestResult & { etag: string }> {
    return multipart.uploadPart(this.config, p)
  }

  /**
   * Completes a multipart upload from its parts.
   * @example await client.completeMultipartUpload({ bucket: 'my-bucket', key: 'big.bin', uploadId, parts: [{ partNum: 1, etag }] })
   */
  completeMultipartUpload(p: multipart.CompleteMultipartUploadParams): Promise<multipart.CompleteMultipartUploadResult> {
    return multipart.completeMultipartUpload(this.config, p)
  }

  /**
   * Aborts a multipart upload and frees its parts.
   * @example await client.abortMultipartUpload({ bucket: 'my-bucket', key: 'big.bin', uploadId })
   */
  abortMultipartUpload(p: ObjectParams & { uploadId: string }): Promise<RequestResult> {
    return multipart.abortMultipartUpload(this.config, p)
  }

  /**
   * Lists the uploaded parts of a multipart upload (one page).
   * @example const { parts } = await client.listParts({ bucket: 'my-bucket', key: 'big.bin', uploadId })
   */
  listParts(p: multipartListing.ListPartsParams): Promise<multipartListing.ListPartsResult> {
    return multipartListing.listParts(this.config, p)
  }

  /**
   * Lists pending multipart uploads of a bucket (one page).
   * @example const { uploads } = await client.listMultipartUploads({ bucket: 'my-bucket' })
   */
  listMultipartUploads(p: multipartListing.ListMultipartUploadsParams): Promise<multipartListing.ListMultipartUploadsResult> {
    return multipartListing.listMultipartUploads(this.config, p)
  }

  // ---- listings as async iterators ----

  /**
   * Every object under a prefix, across pages.
   * @example for await (const obj of client.iterateObjects({ bucket: 'my-bucket', prefix: 'logs/' })) console.log(obj.key)
   */
  iterateObjects(p: listing.ListObjectsParams): AsyncGenerator<listing.ObjectSummary> {
    return listing.iterateObjects(this.config, p)
  }

  /**
   * Every page of a listing.
   * @example for await (const page of client.iterateObjectPages({ bucket: 'my-bucket', delimiter: '/' })) console.log(page.commonPrefixes)
   */
  iterateObjectPages(p: listing.ListObjectsParams): AsyncGenerator<listing.ListObjectsResult> {
    return listing.iterateObjectPages(this.config, p)
  }

  /**
   * Every common prefix ("folder") of a delimited listing.
   * @example for await (const dir of client.iterateCommonPrefixes({ bucket: 'my-bucket', delimiter: '/' })) console.log(dir)
   */
  iterateCommonPrefixes(p: listing.ListObjectsParams & { delimiter: string }): AsyncGenerator<string> {
    return listing.iterateCommonPrefixes(this.config, p)
  }

  /**
   * Every part of a multipart upload.
   * @example for await (const part of client.iterateParts({ bucket: 'my-bucket', key: 'big.bin', uploadId })) console.log(part.partNum)
   */
  iterateParts(p: multipartListing.ListPartsParams): AsyncGenerator<multipartListing.PartInfo> {
    return listing.iterateParts(this.config, p)
  }

  /**
   * Every pending multipart upload.
   * @example for await (const u of client.iterateMultipartUploads({ bucket: 'my-bucket' })) console.log(u.key, u.uploadId)
   */
  iterateMultipartUploads(p: multipartListing.ListMultipartUploadsParams): AsyncGenerator<multipartListing.UploadInfo> {
    return listing.iterateMultipartUploads(this.config, p)
  }

  // ---- managed transfers ----

  /**
   * Uploads a body of any size: one PUT up to the part size, multipart above, with `concurrency` parts in flight,
   * progress, per-part retries, and pause/resume/abort. Await the returned upload, or call `pause()`/`abort()` on it.
   * Memory is bounded by `(concurrency + 1) x partSize` (the parts in flight and the next one, hashed ahead).
   * @example
   * const up = client.upload({ bucket: 'my-bucket', key: 'big.bin', body: file, onProgress: (p) => console.log(p.loaded, p.total) })
   * const { etag } = await up
   */
  upload(p: UploadParams): ManagedUpload {
    return new ManagedUpload(this.config, p)
  }

  /**
   * Aborts stale multipart uploads (all, or those under `prefix` older than `olderThan` ms), listing again from the
   * start after each page until none is left, whatever the server's pagination does; uploads that could not be
   * aborted make it reject with `CleanupUploadsError` (`.aborted`, `.failed`).
   * @example await client.cleanupUploads({ bucket: 'my-bucket', olderThan: 24 * 3600 * 1000 })
   */
  cleanupUploads(p: CleanupUploadsParams): Promise<{ key: string; uploadId: string }[]> {
    return cleanupUploads(this.config, p)
  }

  // ---- presigning ----

  /**
   * A presigned URL (query-string auth); `expires` in seconds from now, default 900.
   * @example const url = await client.presignUrl({ method: 'PUT', bucket: 'my-bucket', key: 'up.png', contentType: 'image/png' })
   */
  presignUrl(p: presign.PresignParams): Promise<string> {
    return presign.presignUrl(this.config, p)
  }

  /**
   * A presigned request: the URL plus exactly the headers the sender must use.
   * @example const { url, headers } = await client.presignRequest({ method: 'PUT', bucket: 'my-bucket', key: 'k', contentType: 'text/plain' })
   */
  presignRequest(p: presign.PresignParams): Promise<presign.PresignedRequest> {
    return presign.presignRequest(this.config, p)
  }
}
