/**
 * `directUpload()`: NOS's token-based direct upload (docs/protocol.md#direct-upload) from any runtime, resumable,
 * abortable, with progress. The page (or any client) holds only an upload token made by a backend
 * (`createUploadToken`, `createUploadTokenHandler`); no secret, no signature.
 * @module
 */
import { chunkSource } from './chunks.js'
import { checkpointIdOf, sourceFingerprint } from './checkpoint.js'
import { DirectUpload, PAUSE } from './handle.js'
import { planDirectUpload, resolveDirectConfig } from './options.js'
import { DirectSession } from './session.js'
import type { DirectConfig, DirectUploadCheckpoint, DirectUploadParams, DirectUploadResult } from './types.js'

/** Runs one direct upload to its end (the body of a `DirectUpload` handle). */
export async function runDirectUpload(cfg: DirectConfig, p: DirectUploadParams, signal: AbortSignal, onCheckpoint: (cp: DirectUploadCheckpoint) => void): Promise<DirectUploadResult> {
  const plan = await planDirectUpload(cfg, p)
  signal.throwIfAborted()
  const chunks = chunkSource(plan.source, plan.chunkSize)
  let fingerprint: string | undefined
  try {
    fingerprint = plan.source.kind === 'random' ? await sourceFingerprint(plan.source, cfg.md5) : undefined
    return await new DirectSession(cfg, plan, chunks, signal, fingerprint, onCheckpoint).run()
  } catch (e) {
    // A stop asked for by the caller (not a pause) forgets the checkpoint: nothing is left to resume.
    if (signal.aborted && signal.reason !== PAUSE && fingerprint !== undefined) {
      await p.checkpoint?.remove(p.checkpointId ?? checkpointIdOf(fingerprint)).catch(() => {})
    }
    throw e
  } finally {
    await chunks.close().catch(() => {})
  }
}

/**
 * Uploads straight to NOS with an upload token (NOS's "direct upload"): the edge node comes from the LBS (cached),
 * the body goes in chunks with byte-level progress in browsers, every chunk is retried (and another edge node
 * tried) on network errors and 5xx, and with a `checkpoint` store the next call with the same source continues
 * where NOS stopped, after a page reload or a process restart. Await the result, or `pause()` / `abort()` it.
 * Settings (`fetch`, `now`, `maxRetries`, `timeout`, `md5`, ...) are the client options of the same names.
 * @example
 * import { directUpload } from 'nos-sdk'
 * const token = await (await fetch('/api/upload-token?key=movie.mp4')).text()
 * const up = directUpload({ token, bucket: 'videos', key: 'movie.mp4', body: file, onProgress: ({ loaded, total }) => (bar.value = total ? loaded / total : 0) })
 * const { etag, size } = await up
 */
export function directUpload(p: DirectUploadParams): DirectUpload {
  return new DirectUpload(async (signal, onCheckpoint) => runDirectUpload(resolveDirectConfig(p ?? {}), p, signal, onCheckpoint), p?.signal)
}
