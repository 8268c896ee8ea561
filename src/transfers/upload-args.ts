/**
 * The arguments of `upload()`, checked before anything is read or sent (docs/architecture.md#typed-errors-first): every error is an
 * `InvalidArgument` (or the bucket/key/body error of the seed) naming the argument.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { InvalidArgument } from '../core/errors.js'
import { checkBoolean, checkBucket, checkCallback, checkHeaderValue, checkKey, checkLength, checkParams, checkSignal, optInt } from '../core/validate.js'
import { metadataHeaders } from '../core/metadata.js'
import type { CheckpointStore, UploadCheckpoint } from './checkpoint.js'
import { checkCheckpoint } from './checkpoint-check.js'
import { choosePartSize } from './part-size.js'
import type { UploadProgress } from './progress.js'
import { impliedContentType, toSource, type UploadSource } from './sources.js'
import type { UploadParams } from './upload.js'
import { MAX_PART_NUMBER, MAX_PART_SIZE, MAX_PUT_SIZE } from '../core/limits.js'

/** Default number of parts in flight. Memory bound = (concurrency + 1) x partSize (one part is hashed ahead). */
export const DEFAULT_CONCURRENCY = 4

/** `UploadParams` after checks and defaults. */
export interface UploadArgs {
  readonly bucket: string
  readonly key: string
  readonly source: UploadSource
  /** Bytes of the source when known (a stream's `contentLength`). */
  readonly size: number | undefined
  /** The part size asked for (checked against `size`), if any. */
  readonly partSize: number | undefined
  readonly concurrency: number
  readonly partRetries: number
  /** At most MAX_PUT_SIZE. */
  readonly threshold: number
  readonly metadata: Record<string, string> | undefined
  readonly contentType: string | undefined
  /** Stored with the object (Cache-Control, Content-Disposition), checked already. */
  readonly cacheControl: string | undefined
  readonly contentDisposition: string | undefined
  readonly objectMd5: boolean | string
  readonly onProgress: ((p: UploadProgress) => void) | undefined
  readonly signal: AbortSignal | undefined
  readonly store: CheckpointStore | undefined
  readonly checkpointId: string
  readonly resume: UploadCheckpoint | undefined
  readonly keepPartsOnError: boolean | undefined
  readonly deduplicate: boolean
}

function optional<T>(v: unknown, name: string, ok: (v: unknown) => boolean, what: string): T | undefined {
  if (v === undefined) return undefined
  if (!ok(v)) throw new InvalidArgument(`${name} must be ${what}, got ${v === null ? 'null' : typeof v}`)
  return v as T
}

const isFn = (v: unknown) => typeof v === 'function'
const isStore = (v: unknown) => typeof v === 'object' && v !== null && ['load', 'save', 'remove'].every((m) => isFn((v as Record<string, unknown>)[m]))

function checkOptions(cfg: NosConfig, p: UploadParams) {
  const concurrency = optInt(p.concurrency, 'concurrency', 1, 64) ?? DEFAULT_CONCURRENCY
  const partRetries = optInt(p.partRetries, 'partRetries', 0, 100) ?? cfg.retry.partRetries
  const threshold = checkLength(p.multipartThreshold, 'multipartThreshold')
  if (p.objectMd5 !== undefined && typeof p.objectMd5 !== 'boolean' && !(typeof p.objectMd5 === 'string' && /^[0-9a-f]{32}$/i.test(p.objectMd5))) {
    throw new InvalidArgument('objectMd5 must be true, false or 32 hex characters')
  }
  return {
    concurrency,
    partRetries,
    threshold,
    objectMd5: p.objectMd5 ?? false,
    onProgress: checkCallback<(p: UploadProgress) => void>(p.onProgress, 'onProgress'),
    signal: checkSignal(p.signal),
    store: optional<CheckpointStore>(p.checkpoint, 'checkpoint', isStore, 'a checkpoint store with load, save and remove'),
    checkpointId: optional<string>(p.checkpointId, 'checkpointId', (v) => typeof v === 'string' && v !== '', 'a non-empty string'),
    keepPartsOnError: checkBoolean(p.keepPartsOnError, 'keepPartsOnError'),
    deduplicate: checkBoolean(p.deduplicate, 'deduplicate') ?? false,
    // As putObject: the caller's type, else the body's own (a File's type, JSON), on the PUT, Initiate and Complete.
    contentType: p.contentType === undefined ? impliedContentType(p.body) : checkHeaderValue(p.contentType, 'contentType'),
    cacheControl: p.cacheControl === undefined ? undefined : checkHeaderValue(p.cacheControl, 'cacheControl'),
    contentDisposition: p.contentDisposition === undefined ? undefined : checkHeaderValue(p.contentDisposition, 'contentDisposition'),
  }
}

/** The source and its size; a `contentLength` that contradicts a source of known size is an error. */
function checkSource(p: UploadParams): { source: UploadSource; size: number | undefined } {
  const maxSize = MAX_PART_SIZE * MAX_PART_NUMBER
  const contentLength = checkLength(p.contentLength, 'contentLength')
  if (contentLength !== undefined && contentLength > maxSize) {
    throw new InvalidArgument(`contentLength ${contentLength} exceeds the largest NOS object (${MAX_PART_NUMBER} parts of ${MAX_PART_SIZE} bytes)`)
  }
  const source = toSource(p.body, contentLength)
  if (source.kind === 'random' && contentLength !== undefined && contentLength !== source.size) {
    throw new InvalidArgument(`contentLength is ${contentLength} but the body has ${source.size} bytes: omit contentLength for bytes, Blobs and files`)
  }
  return { source, size: source.size }
}

/** A `resume` checkpoint must be for this destination (it is checked against the source in session.ts). */
function checkResume(p: UploadParams, bucket: string, key: string): UploadCheckpoint | undefined {
  if (p.resume === undefined) return undefined
  const cp = checkCheckpoint(p.resume, 'resume')
  if (cp.bucket !== bucket) throw new InvalidArgument(`resume.bucket ${JSON.stringify(cp.bucket)} is not the bucket ${JSON.stringify(bucket)} of this upload`)
  if (cp.key !== key) throw new InvalidArgument(`resume.key ${JSON.stringify(cp.key)} is not the key ${JSON.stringify(key)} of this upload`)
  return cp
}

/**
 * Checks and defaults the parameters of `upload()`.
 * @example
 * checkUploadArgs(cfg, { bucket: 'my-bucket', key: 'k', body: 'hi' }).size // 2
 */
export function checkUploadArgs(cfg: NosConfig, p: UploadParams): UploadArgs {
  checkParams(p, 'upload')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  metadataHeaders(p.metadata, 'metadata', cfg.metadataEncoding)
  const opts = checkOptions(cfg, p)
  const { source, size } = checkSource(p)
  // Checked against the size now; the part size used may still come from a checkpoint (session.ts).
  if (p.partSize !== undefined) choosePartSize(size, p.partSize)
  const threshold = Math.min(opts.threshold ?? p.partSize ?? choosePartSize(size), MAX_PUT_SIZE)
  if (opts.deduplicate && source.kind === 'sequential' && typeof opts.objectMd5 !== 'string') {
    throw new InvalidArgument('deduplicate needs the MD5 of the whole object before sending it: for a stream body pass objectMd5 (32 hex characters)')
  }
  return {
    ...opts,
    bucket,
    key,
    source,
    size,
    partSize: p.partSize,
    threshold,
    metadata: p.metadata,
    // One checkpoint per destination: a changed source then finds the old upload (and aborts it) instead of
    // orphaning it under another id.
    checkpointId: opts.checkpointId ?? `nos-upload:${bucket}:${key}`,
    resume: checkResume(p, bucket, key),
  }
}

/**
 * What the object is stored with, the same on a single PUT, Initiate and Complete (NOS takes it from Complete,
 * docs/protocol.md#multipart-upload).
 * @example
 * await client.putObject({ bucket, key, body, ...objectFields(args), signal })
 */
export function objectFields(args: UploadArgs): Pick<UploadArgs, 'metadata' | 'contentType' | 'cacheControl' | 'contentDisposition'> {
  return { metadata: args.metadata, contentType: args.contentType, cacheControl: args.cacheControl, contentDisposition: args.contentDisposition }
}
