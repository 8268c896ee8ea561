/**
 * `directUploadFile`: a page uploads a File straight to NOS with a token from its own backend
 * (`createUploadTokenHandler`), resuming after a reload from localStorage (docs/protocol.md#direct-upload).
 * @module
 */
import type { CheckpointStore } from '../../transfers/checkpoint.js'
import { isDirectUploadCheckpoint, checkpointIdOf, sourceFingerprint } from '../../direct-upload/checkpoint.js'
import { runDirectUpload } from '../../direct-upload/direct-upload.js'
import { DirectUpload } from '../../direct-upload/handle.js'
import { resolveDirectConfig } from '../../direct-upload/options.js'
import type { DirectConfig, DirectUploadCheckpoint, DirectUploadParams } from '../../direct-upload/types.js'
import { FileOpenModeError, InvalidArgument, SigningPolicyError } from '../../core/errors.js'
import { blobSource } from '../../transfers/sources.js'
import { LocalStorageCheckpointStore } from './local-storage-store.js'

/** Options of `directUploadFile`. */
export interface DirectUploadFileOptions extends Omit<DirectUploadParams, 'token' | 'bucket' | 'key' | 'body' | 'checkpoint'> {
  /** The backend's token route: `POST { bucket, key, size }` answers `{ token, bucket, key }` (see `createUploadTokenHandler`). */
  tokenUrl: string
  /** Extra headers for the token request (your own session, a CSRF token...). */
  tokenHeaders?: Record<string, string>
  /** Bucket to ask for; default: the backend's choice. */
  bucket?: string
  /** Key to ask for; default: the key of the upload being resumed, else the file's name. The backend may choose another. */
  key?: string
  /** Where the context is kept; default localStorage (where available); `null` for none. */
  checkpoint?: CheckpointStore<DirectUploadCheckpoint> | null
}

interface TokenAnswer {
  token: string
  bucket: string
  key: string
}

async function askToken(cfg: DirectConfig, o: DirectUploadFileOptions, want: object, signal: AbortSignal): Promise<TokenAnswer> {
  const res = await cfg.fetch()(o.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...o.tokenHeaders }, body: JSON.stringify(want), signal })
  const body = (await res.json().catch(() => ({}))) as Partial<TokenAnswer> & { error?: string }
  if (!res.ok || typeof body.token !== 'string' || typeof body.bucket !== 'string' || typeof body.key !== 'string') {
    throw new SigningPolicyError(`the upload token route ${o.tokenUrl} refused: ${body.error ?? `HTTP ${res.status}`}`, { statusCode: res.status })
  }
  return { token: body.token, bucket: body.bucket, key: body.key }
}

function defaultStore(): CheckpointStore<DirectUploadCheckpoint> | undefined {
  try {
    return new LocalStorageCheckpointStore<DirectUploadCheckpoint>()
  } catch {
    return undefined // no localStorage (a worker, a sandboxed frame): no resume across reloads
  }
}

/**
 * Uploads a File to NOS with a token from `tokenUrl`; after a reload, picking the same file again continues where
 * NOS stopped (the context is in localStorage, found by the file's fingerprint, and the backend is asked for a
 * token for the same key). Byte-level progress; await it, or `pause()` / `abort()` it.
 * @example
 * import { directUploadFile } from 'nos-sdk/browser'
 * input.onchange = async () => {
 *   const { key, etag } = await directUploadFile(input.files![0]!, { tokenUrl: '/api/upload-token', onProgress: ({ loaded, total }) => (bar.value = total ? loaded / total : 0) })
 * }
 */
export function directUploadFile(file: Blob, options: DirectUploadFileOptions): DirectUpload {
  return new DirectUpload(async (signal, onCheckpoint) => {
    if (typeof Blob === 'undefined' || !(file instanceof Blob)) throw new FileOpenModeError('file must be a File or a Blob')
    if (typeof options?.tokenUrl !== 'string' || options.tokenUrl === '') throw new InvalidArgument('tokenUrl is required: the address of your backend\'s upload token route')
    const cfg = resolveDirectConfig(options)
    const store = options.checkpoint === null ? undefined : (options.checkpoint ?? defaultStore())
    const checkpointId = options.checkpointId ?? checkpointIdOf(await sourceFingerprint(blobSource(file), cfg.md5))
    const prior = await store?.load(checkpointId)
    const resuming = isDirectUploadCheckpoint(prior) ? prior : undefined
    const name = (file as Blob & { name?: string }).name
    const want = { bucket: options.bucket ?? resuming?.bucket, key: options.key ?? resuming?.key ?? name, size: file.size }
    const first = await askToken(cfg, options, want, signal)
    // The first token is the one just fetched; NOS refusing a token (expired) asks the backend again.
    let unused: string | undefined = first.token
    const token = async () => {
      const t = unused ?? (await askToken(cfg, options, { ...want, bucket: first.bucket, key: first.key }, signal)).token
      unused = undefined
      return t
    }
    const p: DirectUploadParams = { ...options, token, bucket: first.bucket, key: first.key, body: file, checkpoint: store, checkpointId }
    return runDirectUpload(cfg, p, signal, onCheckpoint)
  }, options?.signal)
}
