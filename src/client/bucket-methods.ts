/**
 * The bucket operations of `NosClient`: its base class, in a file of its own so that the client's files stay short.
 * Users see these methods on `NosClient`; this class is not exported from the package.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import * as buckets from '../operations/buckets.js'
import type { CallOptions, RequestResult } from '../operations/common.js'
import * as dedup from '../operations/deduplication.js'

/** Parameters naming a bucket. */
export type BucketParams = { bucket: string } & CallOptions

/**
 * The bucket operations of `NosClient` (its base class).
 * @example
 * const client = new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK' })
 * await client.createBucket({ bucket: 'my-new-bucket' }) // a BucketMethods method, called on the client
 */
export abstract class BucketMethods {
  /** The resolved, frozen configuration. */
  abstract readonly config: NosConfig

  // ---- buckets ----

  /**
   * Lists the caller's buckets.
   * @example const { buckets } = await client.listBuckets()
   */
  listBuckets(p: CallOptions = {}): Promise<buckets.ListBucketsResult> {
    return buckets.listBuckets(this.config, p)
  }

  /**
   * Creates a bucket.
   * @example await client.createBucket({ bucket: 'my-new-bucket', acl: 'public-read' })
   */
  createBucket(p: buckets.CreateBucketParams): Promise<RequestResult> {
    return buckets.createBucket(this.config, p)
  }

  /**
   * Deletes an empty bucket.
   * @example await client.deleteBucket({ bucket: 'my-old-bucket' })
   */
  deleteBucket(p: BucketParams): Promise<RequestResult> {
    return buckets.deleteBucket(this.config, p)
  }

  /**
   * Resolves when the bucket exists and is accessible.
   * @example await client.headBucket({ bucket: 'my-bucket' })
   */
  headBucket(p: BucketParams): Promise<RequestResult> {
    return buckets.headBucket(this.config, p)
  }

  /**
   * True when the bucket exists.
   * @example if (!(await client.bucketExists({ bucket: 'my-bucket' }))) await client.createBucket({ bucket: 'my-bucket' })
   */
  bucketExists(p: BucketParams): Promise<boolean> {
    return buckets.bucketExists(this.config, p)
  }

  /**
   * The bucket's location (`HZ`, ...).
   * @example const { location } = await client.getBucketLocation({ bucket: 'my-bucket' })
   */
  getBucketLocation(p: BucketParams): Promise<RequestResult & { location: string }> {
    return buckets.getBucketLocation(this.config, p)
  }

  /**
   * The bucket's canned ACL (`private` or `public-read`).
   * @example const { acl } = await client.getBucketAcl({ bucket: 'my-bucket' })
   */
  getBucketAcl(p: BucketParams): Promise<RequestResult & { acl: string }> {
    return buckets.getBucketAcl(this.config, p)
  }

  /**
   * Sets the bucket's canned ACL.
   * @example await client.putBucketAcl({ bucket: 'my-bucket', acl: 'public-read' })
   */
  putBucketAcl(p: BucketParams & { acl: 'private' | 'public-read' }): Promise<RequestResult> {
    return buckets.putBucketAcl(this.config, p)
  }

  /**
   * Replaces the bucket's CORS rules.
   * @example await client.putBucketCors({ bucket: 'my-bucket', rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposeHeaders: ['ETag'] }] })
   */
  putBucketCors(p: BucketParams & { rules: buckets.CorsRule[] }): Promise<RequestResult> {
    return buckets.putBucketCors(this.config, p)
  }

  /**
   * The bucket's CORS rules.
   * @example const { rules } = await client.getBucketCors({ bucket: 'my-bucket' })
   */
  getBucketCors(p: BucketParams): Promise<RequestResult & { rules: buckets.CorsRule[] }> {
    return buckets.getBucketCors(this.config, p)
  }

  /**
   * Turns instant upload (deduplication) on (`Enabled`) or off (`Suspended`) for a bucket.
   * @example await client.putBucketDeduplication({ bucket: 'my-bucket', status: 'Enabled' })
   */
  putBucketDeduplication(p: BucketParams & { status: dedup.DeduplicationStatus }): Promise<RequestResult> {
    return dedup.putBucketDeduplication(this.config, p)
  }

  /**
   * The bucket's instant-upload (deduplication) setting.
   * @example const { status } = await client.getBucketDeduplication({ bucket: 'my-bucket' })
   */
  getBucketDeduplication(p: BucketParams): Promise<RequestResult & { status: dedup.DeduplicationStatus }> {
    return dedup.getBucketDeduplication(this.config, p)
  }

  /**
   * Removes the bucket's CORS rules.
   * @example await client.deleteBucketCors({ bucket: 'my-bucket' })
   */
  deleteBucketCors(p: BucketParams): Promise<RequestResult> {
    return buckets.deleteBucketCors(this.config, p)
  }
}
