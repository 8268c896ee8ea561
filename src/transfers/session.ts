/**
 * The session of a multipart upload: the checkpoint it starts from (a `resume` argument or a store's, checked
 * like an argument), reconciliation with what NOS holds (ListParts), the upload id, and the checkpoints saved as
 * parts finish.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { InvalidArgument, isNosErrorKind } from '../core/errors.js'
import { iterateParts } from '../operations/listing.js'
import { abortMultipartUpload, createMultipartUpload } from '../operations/multipart.js'
import type { UploadCheckpoint } from './checkpoint.js'
import { checkCheckpoint } from './checkpoint-check.js'
import { fingerprint } from './hashing.js'
import { objectFields, type UploadArgs } from './upload-args.js'

/** A part on NOS: its ETag (hex MD5) and size. */
export interface PartRecord {
  etag: string
  size: number
}

/** The checkpoint an upload starts from; `compatible` when it was made for this source and part size. */
export interface PriorCheckpoint {
  checkpoint: UploadCheckpoint
  compatible: boolean
  /** The fingerprint of this upload's source. */
  sourceFingerprint: string
}

/** Why a checkpoint does not fit this source, as [field, reason], or undefined when it fits. */
function mismatch(cp: UploadCheckpoint, args: UploadArgs, fp: string): [string, string] | undefined {
  if (cp.size !== args.size) return ['size', `is ${cp.size ?? 'unknown'} but the body has ${args.size ?? 'an unknown number of'} bytes`]
  if (cp.fingerprint !== fp) return ['fingerprint', 'was made for another source (its size, name, date or sampled bytes differ)']
  if (args.partSize !== undefined && args.partSize !== cp.partSize) return ['partSize', `is ${cp.partSize} but partSize ${args.partSize} was asked for (omit partSize to resume)`]
  return undefined
}

/**
 * Loads the checkpoint to start from, before any request. A `resume` that does not fit the source is the
 * caller's error; a store's checkpoint that does not fit is stale (the source changed): the session aborts its
 * upload and starts over. A store's checkpoint of another destination (an id reused) is an error, not stale:
 * aborting it would destroy another upload.
 */
export async function loadCheckpoint(cfg: NosConfig, args: UploadArgs): Promise<PriorCheckpoint | undefined> {
  if (args.resume) {
    const fp = await fingerprint(args.source, cfg.md5)
    const bad = mismatch(args.resume, args, fp)
    if (bad) throw new InvalidArgument(`resume.${bad[0]} ${bad[1]}`)
    return { checkpoint: args.resume, compatible: true, sourceFingerprint: fp }
  }
  const raw = await args.store?.load(args.checkpointId)
  if (raw === undefined || raw === null) return undefined
  const fp = await fingerprint(args.source, cfg.md5)
  const name = `checkpoint ${JSON.stringify(args.checkpointId)}`
  const cp = checkCheckpoint(raw, name)
  if (cp.bucket !== args.bucket || cp.key !== args.key) {
    throw new InvalidArgument(`${name}.bucket/key ${cp.bucket}/${cp.key} is not this upload's destination ${args.bucket}/${args.key}: use another checkpointId`)
  }
  return { checkpoint: cp, compatible: mismatch(cp, args, fp) === undefined, sourceFingerprint: fp }
}

/** Aborts the upload of a stale checkpoint and forgets it (best effort: `cleanupUploads` collects what is left). */
export async function discardCheckpoint(cfg: NosConfig, args: UploadArgs, cp: UploadCheckpoint): Promise<void> {
  await abortMultipartUpload(cfg, { bucket: cp.bucket, key: cp.key, uploadId: cp.uploadId }).catch(() => {})
  await args.store?.remove(args.checkpointId)
}

/** The parts NOS holds for an upload, or undefined when the upload is gone (completed or aborted). */
async function listedParts(cfg: NosConfig, args: UploadArgs, uploadId: string, signal: AbortSignal): Promise<Map<number, PartRecord> | undefined> {
  const listed = new Map<number, PartRecord>()
  try {
    for await (const p of iterateParts(cfg, { bucket: args.bucket, key: args.key, uploadId, signal })) listed.set(p.partNum, { etag: p.etag.toLowerCase(), size: p.size })
    return listed
  } catch (e) {
    if (isNosErrorKind(e, 'NotFoundError')) return undefined
    throw e
  }
}

/** A multipart upload in progress: its id, the parts NOS already holds, the parts done, checkpoint saves. */
export class UploadSession {
  /** Parts done in this upload: found on NOS and verified, or sent. */
  readonly parts = new Map<number, PartRecord>()
  // Saves are chained: parts finish concurrently, and a store must never see two writes at once.
  #saving: Promise<void> = Promise.resolve()

  constructor(
    readonly args: UploadArgs,
    readonly uploadId: string,
    readonly partSize: number,
    /** Parts ListParts reported: skipped only once their ETag matches the source's bytes. */
    readonly listed: ReadonlyMap<number, PartRecord>,
    readonly fingerprint: string,
    readonly createdAt: string,
    readonly onCheckpoint: (cp: UploadCheckpoint) => void,
  ) {}

  /** A JSON-safe copy of the current checkpoint. */
  snapshot(): UploadCheckpoint {
    const parts = [...this.parts].map(([partNum, v]) => ({ partNum, ...v })).sort((a, b) => a.partNum - b.partNum)
    const { bucket, key, size } = this.args
    const cp: UploadCheckpoint = { version: 1, bucket, key, uploadId: this.uploadId, partSize: this.partSize, size, fingerprint: this.fingerprint, parts, createdAt: this.createdAt }
    return JSON.parse(JSON.stringify(cp)) as UploadCheckpoint
  }

  /** Reports the checkpoint and saves it to the store (if any) after the saves before it. */
  save(): Promise<void> {
    const snapshot = this.snapshot()
    this.onCheckpoint(snapshot)
    const store = this.args.store
    this.#saving = this.#saving.catch(() => {}).then(() => store?.save(this.args.checkpointId, snapshot))
    return this.#saving
  }
}

/**
 * Opens the session: resumes a compatible checkpoint whose upload NOS still has (its listed parts are checked
 * later, against the source), discards a stale one, else initiates a new upload. A retried Initiate whose first
 * answer was lost leaves that first upload orphaned: nobody knows its id, and `cleanupUploads` collects it.
 */
export async function openSession(
  cfg: NosConfig, args: UploadArgs, partSize: number, prior: PriorCheckpoint | undefined, signal: AbortSignal,
  onCheckpoint: (cp: UploadCheckpoint) => void,
): Promise<UploadSession> {
  let uploadId: string | undefined
  let listed: Map<number, PartRecord> | undefined
  if (prior?.compatible) {
    listed = await listedParts(cfg, args, prior.checkpoint.uploadId, signal)
    if (listed) uploadId = prior.checkpoint.uploadId
  } else if (prior) {
    await discardCheckpoint(cfg, args, prior.checkpoint)
  }
  if (!uploadId) {
    const init = await createMultipartUpload(cfg, { bucket: args.bucket, key: args.key, ...objectFields(args), signal })
    uploadId = init.uploadId
  }
  const fp = prior?.sourceFingerprint ?? (await fingerprint(args.source, cfg.md5))
  const createdAt = listed ? prior!.checkpoint.createdAt : new Date(cfg.now()).toISOString()
  const session = new UploadSession(args, uploadId, partSize, listed ?? new Map(), fp, createdAt, onCheckpoint)
  await session.save()
  return session
}
