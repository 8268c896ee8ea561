/**
 * Instant upload (`upload({ deduplicate: true })`, docs/protocol.md#deduplication-instant-upload): before any byte
 * is sent, NOS is asked whether it already holds content with the object's MD5. If it does, it creates the object
 * from it and nothing is uploaded; if not, the upload goes on and tells NOS the MD5 (Content-MD5 on a single PUT,
 * `x-nos-object-md5` on Complete) so that the next identical upload is instant.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { headObject } from '../operations/objects.js'
import { tryDeduplicate } from '../operations/deduplication.js'
import { hashInSteps, readBytes } from './hashing.js'
import type { RandomAccessSource } from './sources.js'
import { discardCheckpoint, type PriorCheckpoint } from './session.js'
import { objectFields, type UploadArgs } from './upload-args.js'
import type { UploadResult } from './upload.js'

/** Bytes read at a time to hash a random-access source whole (memory stays at one slice). */
const HASH_SLICE = 8 * 1024 * 1024

/** MD5 of a whole random-access source, one slice at a time; abortable between slices. */
async function sourceMd5(cfg: NosConfig, src: RandomAccessSource, signal: AbortSignal): Promise<string> {
  const h = await cfg.md5()
  for (let off = 0; off < src.size; off += HASH_SLICE) {
    signal.throwIfAborted()
    await hashInSteps(cfg, h, await readBytes(src, off, Math.min(src.size, off + HASH_SLICE)))
  }
  return h.digestHex()
}

/**
 * Asks NOS to create the object from content it holds. Resolves with the upload's result when it did; otherwise
 * with the arguments to upload with (their `objectMd5` is now the MD5, so NOS learns the content).
 * upload-args.ts has already refused a stream without `objectMd5` (its MD5 cannot be known before sending it).
 * @example
 * const r = await instantUpload(cfg, args, prior, signal); if ('result' in r) console.log('created from stored content', r.result.etag)
 */
export async function instantUpload(
  cfg: NosConfig, args: UploadArgs, prior: PriorCheckpoint | undefined, signal: AbortSignal,
): Promise<{ result: UploadResult } | { args: UploadArgs }> {
  const src = args.source
  const md5 = typeof args.objectMd5 === 'string' ? args.objectMd5.toLowerCase() : await sourceMd5(cfg, src as RandomAccessSource, signal)
  const { bucket, key } = args
  const r = await tryDeduplicate(cfg, { bucket, key, md5, ...objectFields(args), signal })
  if (!r.deduplicated) return { args: { ...args, objectMd5: md5 } }
  if (src.kind === 'sequential') await src.stream.cancel().catch(() => {})
  // A checkpoint of another source for this destination: its upload is not needed any more (as after a PUT).
  if (prior) await discardCheckpoint(cfg, args, prior.checkpoint)
  // A stream of unknown length: NOS's copy says how large the object is.
  const size = args.size ?? (await headObject(cfg, { bucket, key, signal })).contentLength
  args.onProgress?.({ loaded: size, total: size, partsDone: 1, partsTotal: 1 })
  return { result: { requestId: r.requestId, bucket, key, etag: md5, size, uploadId: undefined, partsTotal: 0, partsSent: 0, deduplicated: true } }
}
