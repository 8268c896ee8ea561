/**
 * Types and constants of NOS direct upload (docs/protocol.md#direct-upload).
 * @module
 */
import type { BodyInput } from '../core/body.js'
import type { RetryOptions } from '../core/retry-policy.js'
import type { CheckpointStore } from '../transfers/checkpoint.js'
import type { NosConfig } from '../core/config.js'
import type { Md5Factory } from '../core/md5.js'
import type { UploadSource } from '../transfers/sources.js'
import type { MetadataEncoding } from '../core/metadata.js'
// Direct upload's chunk bounds are part of its API (and of its page bundle); defined with the other NOS limits.
export { DEFAULT_DIRECT_CHUNK_SIZE, MIN_DIRECT_CHUNK_SIZE, MAX_DIRECT_CHUNK_SIZE } from '../core/limits.js'

/** The documented LBS (edge-node lookup) address for East China 1 (docs/protocol.md#direct-upload). */
export const DEFAULT_LBS_ENDPOINT = 'http://lbs-eastchina1.126.net/lbs'
/** The documented LBS IP, asked when the LBS name cannot be reached (the Android SDK's fallback). */
export const LBS_FALLBACK_ENDPOINT = 'http://106.2.45.249/lbs'
/** How long an LBS answer is reused (per LBS address and bucket); a failing node drops it earlier. */
export const DEFAULT_LBS_TTL_MS = 10 * 60_000

/** The settings direct upload uses from a client configuration (the standalone `directUpload` resolves its own). */
export type DirectConfig = Pick<
  NosConfig,
  'fetch' | 'now' | 'retry' | 'timeout' | 'md5' | 'streamRequestBodies'
>

/** Where a direct upload stands, saved after every chunk NOS acknowledged. JSON; no handle to the source. */
export interface DirectUploadCheckpoint {
  version: 1
  kind: 'direct'
  bucket: string
  key: string
  /** NOS's upload context: pass it to the offset query and the next chunk. */
  context: string
  /** Bytes NOS had acknowledged when this was saved (the offset query is the authority on resume). */
  offset: number
  size: number
  /** Size, name, modification time and an MD5 of the first and last 64 KiB of the source. */
  fingerprint: string
  createdAt: string
}

/** Progress of a direct upload. */
export interface DirectUploadProgress {
  /** Bytes NOS acknowledged plus the bytes of the chunk in flight (byte-level where XMLHttpRequest reports it). */
  loaded: number
  /** Undefined while a stream's length is unknown. */
  total: number | undefined
  /** Bytes NOS acknowledged: where a resume would start. */
  confirmed: number
}

/** Client settings the standalone `directUpload` accepts (a client's `directUpload` method uses its own). */
export interface DirectUploadSettings {
  /** The fetch to use; default `globalThis.fetch`. Giving one also turns off XMLHttpRequest in browsers. */
  fetch?: typeof fetch
  /** Clock in ms (token expiry, LBS cache); default `Date.now`. */
  now?: () => number
  /** Retries of a request (LBS, offset query) on network errors and 500/501/503; default 2. Chunks get `maxRetries + 1` (the policy's `partRetries`). */
  maxRetries?: number
  /** First retry delay bound in ms; default 300. */
  retryBaseDelay?: number
  /** Largest retry delay in ms; default 20000. */
  retryMaxDelay?: number
  /** Random source for retry jitter; default `Math.random`. */
  random?: () => number
  /** The whole retry policy, as the client's `retry` option (the shorthands above fill in what it leaves out). */
  retry?: RetryOptions
  /** Per-request timeout in ms (a chunk must be sent within it); default 60000; 0 disables it. */
  timeout?: number
  /** MD5 implementation; default the client's (WebAssembly or JavaScript; `node:crypto` in the Node build). */
  md5?: Md5Factory
}

/** Parameters of `directUpload`. */
export interface DirectUploadParams extends DirectUploadSettings {
  /** The upload token (`UPLOAD <ak>:<sign>:<policy>`, see `createUploadToken`), or a function asked again when NOS refuses an expired one. */
  token: string | (() => string | Promise<string>)
  bucket: string
  key: string
  /** Bytes, string, Blob/File, a file through `fileSource` (Node), or a stream (streams cannot be resumed). */
  body: BodyInput | UploadSource
  /** Length of a stream body, when known. */
  contentLength?: number
  /** Content-Type of the object; default a Blob's own type, else NOS's default. */
  contentType?: string
  /** User metadata; names with or without `x-nos-meta-`. */
  metadata?: Record<string, string>
  /** `'uri'`: percent-encode metadata values (any text), as the client option of that name (docs/protocol.md#metadata-encoding). */
  metadataEncoding?: MetadataEncoding
  /** Bytes per chunk, 4 KiB-4 MiB; default 1 MiB. */
  chunkSize?: number
  onProgress?: (progress: DirectUploadProgress) => void
  signal?: AbortSignal
  /** Keep the upload context here after every chunk; the next call with the same source resumes from it. */
  checkpoint?: CheckpointStore<DirectUploadCheckpoint>
  /** Id of the checkpoint in the store; default derived from the source's fingerprint. */
  checkpointId?: string
  /** Resume from this checkpoint (e.g. the one `pause()` returned). */
  resume?: DirectUploadCheckpoint
  /** LBS address; default `DEFAULT_LBS_ENDPOINT`. */
  lbsEndpoint?: string
  /** LBS asked when `lbsEndpoint` fails; default the documented LBS IP with the default LBS, none otherwise. */
  lbsFallback?: string
  /** How long an LBS answer is reused, in ms; default 10 minutes. */
  lbsTtlMs?: number
  /** Upload to this node and skip the LBS (e.g. `http://127.0.0.1:9000` for the emulator). */
  endpoint?: string
  /** The body's hex MD5 when known (otherwise computed while sending); sent on the last chunk, NOS checks it. */
  objectMd5?: string
  /** Use fetch even where XMLHttpRequest exists (no byte-level progress). */
  useFetch?: boolean
}

/** Result of `directUpload`. */
export interface DirectUploadResult {
  requestId: string
  bucket: string
  key: string
  /** Hex MD5 of the object's bytes: its ETag. */
  etag: string
  size: number
  /** True when this call continued an earlier upload. */
  resumed: boolean
  /** Bytes this call sent and NOS acknowledged (less than `size` after a resume). */
  bytesSent: number
}
