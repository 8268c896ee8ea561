/**
 * Public option, record and log types of the NOS emulator.
 * @module
 */

/** A canned ACL; NOS knows only these two (docs/protocol.md#buckets). */
export type CannedAcl = 'private' | 'public-read'

/** A key pair the emulator accepts. Credentials with the same `ownerId` belong to one account. */
export interface EmulatorCredential {
  accessKeyId: string
  accessKeySecret: string
  /** Account that owns the buckets this key creates. Default: one shared account for every credential. */
  ownerId?: string
  /** Shown as `<DisplayName>` in listings. Default: the owner id. */
  displayName?: string
}

/** A bucket created at start-up. */
export interface EmulatorBucketOption {
  name: string
  /** Default `private`. */
  acl?: CannedAcl
  /** Owner id (or an access key id, resolved to its owner). Default: the first credential's owner. */
  owner?: string
  /** Default `HZ` (docs/protocol.md#endpoints-and-addressing). */
  location?: string
  /** Instant upload (`PUT /?deduplication` Enabled); default false. */
  deduplication?: boolean
}

/** Operation names, used in the request log and to target faults. */
export type OpName =
  | 'listBuckets'
  | 'createBucket'
  | 'deleteBucket'
  | 'headBucket'
  | 'getBucketLocation'
  | 'getBucketAcl'
  | 'putBucketAcl'
  | 'getBucketCors'
  | 'putBucketCors'
  | 'deleteBucketCors'
  | 'listObjects'
  | 'deleteObjects'
  | 'listMultipartUploads'
  | 'putObject'
  | 'copyObject'
  | 'moveObject'
  | 'putObjectMeta'
  | 'getObject'
  | 'headObject'
  | 'deleteObject'
  | 'initiateMultipartUpload'
  | 'uploadPart'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
  | 'listParts'
  | 'preflight'
  /** Direct upload (docs/protocol.md#direct-upload): edge-node lookup, chunk upload, offset query. */
  | 'lbs'
  | 'directUpload'
  | 'directQueryOffset'
  /** Instant upload (docs/protocol.md#deduplication-instant-upload): object and bucket setting. */
  | 'deduplicateObject'
  | 'getBucketDeduplication'
  | 'putBucketDeduplication'
  | 'unknown'

/** What a fault does to a matching request. */
export type FaultAction =
  /** 500 InternalError. */
  | 'error500'
  /** 501 NotImplemented. */
  | 'error501'
  /** 503 ServiceUnavailable. */
  | 'error503'
  /** 503 SlowDown (throttling). */
  | 'slowDown'
  /** Read part of the request body (`resetAfterBytes`, default: the first chunk), then destroy the socket. */
  | 'reset'
  /** Wait `delayMs` (default 1000), then serve the request normally. */
  | 'delay'
  /** Serve the request (its effects are kept), then close the connection instead of answering: a lost answer. */
  | 'dropResponse'

/** Which requests a fault rule applies to. Every given field must match. */
export interface FaultMatch {
  /** HTTP method, case-insensitive. */
  method?: string
  /** Operation name(s). */
  op?: OpName | OpName[]
  bucket?: string
  keyPrefix?: string
  /** 1-based positions among the requests matching the fields above (counted per rule). */
  nth?: number[]
  /** Chance in [0, 1] drawn from the seeded PRNG (deterministic for a given request order). */
  probability?: number
}

/** One fault-injection rule. The first rule (in order) that fires wins. */
export interface FaultRule {
  match?: FaultMatch
  action: FaultAction
  delayMs?: number
  resetAfterBytes?: number
}

/** Fault injection configuration (deterministic: counters and a seeded PRNG). */
export interface FaultConfig {
  rules: FaultRule[]
  /** Seed of the mulberry32 PRNG used by `probability`. Default 1. */
  seed?: number
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number
  /** Bind address. Default `127.0.0.1`. */
  host?: string
  credentials?: EmulatorCredential[]
  /**
   * Buckets to create at start-up (kept as they are if `dataDir` already holds them). Names follow NOS's rule (3-63
   * characters a-z, 0-9 and '-', a letter or digit at both ends, no '--'); any other name is a TypeError, since the
   * emulator refuses every request to such a bucket, as NOS does.
   */
  buckets?: Array<string | EmulatorBucketOption>
  /** Persist buckets, objects and pending multipart uploads here; in memory when omitted. */
  dataDir?: string
  /** `'permissive'`: every origin, method and header is allowed on every bucket without a CORS configuration. */
  cors?: 'permissive'
  faults?: FaultConfig
  /** Clock in ms (skew and expiry checks, timestamps). Default `Date.now`. */
  now?: () => number
  /**
   * Base host for virtual-hosted addressing (`Host: <bucket>.<endpointHost>`). Default `nos.localhost`;
   * `localhost` and the bind host always work too.
   */
  endpointHost?: string
  /** Print one line per request to stderr. */
  log?: boolean
  /** Allowed clock skew in ms. Default 15 minutes (docs/protocol.md#dates-and-skew). */
  maxSkewMs?: number
  /** Lifetime of a direct-upload context in ms, from its first chunk (then the offset query answers 404). Default 24 h. */
  uploadContextTtlMs?: number
  /** The upload nodes `GET /lbs` names, best first (e.g. a dead one first, to test failover). Default: this emulator. */
  lbsNodes?: string[]
}

/** One entry of {@link Emulator.requests}. */
export interface RequestLogEntry {
  method: string
  /** The raw request path (still percent-encoded). */
  path: string
  /** The raw query string without `?` (may be empty). */
  query: string
  /** HTTP status sent; 0 when the connection was reset before a response. */
  status: number
  bytesIn: number
  bytesOut: number
  ms: number
  op: OpName
  requestId: string
  bucket?: string
  key?: string
  errorCode?: string
  /** The fault action applied, if any. */
  fault?: FaultAction
}
