/**
 * Checks the arguments of a direct upload before anything is sent (every error names the argument), and resolves
 * the settings of the standalone `directUpload`.
 * @module
 */
import { isBrowserLike } from '../core/config.js'
import { InvalidArgument } from '../core/errors.js'
import { fromBase64 } from '../core/encoding.js'
import type { Md5Factory } from '../core/md5.js'
import { defaultMd5 } from '../core/md5-default.js'
import { toSource, type UploadSource } from '../transfers/sources.js'
import { resolveRetryPolicy } from '../core/retry-policy.js'
import { checkBucket, checkHeaderValue, checkKey, checkParams } from '../core/validate.js'
import { metadataHeaders } from '../core/metadata.js'
import { isDirectUploadCheckpoint } from './checkpoint.js'
import { checkBaseUrl } from './lbs.js'
import { DEFAULT_LBS_ENDPOINT, DEFAULT_LBS_TTL_MS, LBS_FALLBACK_ENDPOINT, type DirectConfig, type DirectUploadParams, type DirectUploadSettings } from './types.js'
import { DEFAULT_DIRECT_CHUNK_SIZE, MAX_DIRECT_CHUNK_SIZE, MIN_DIRECT_CHUNK_SIZE } from '../core/limits.js'

/** The checked arguments of one direct upload. */
export interface DirectPlan {
  bucket: string
  key: string
  source: UploadSource
  chunkSize: number
  /** Content-Type and `x-nos-meta-*`, sent with every chunk. */
  headers: Record<string, string>
  objectMd5: string | undefined
  /** The token now; `refresh` is set when the caller gave a function (asked again after a 403). */
  token: string
  refresh: (() => Promise<string>) | undefined
  params: DirectUploadParams
  /** A fixed node, or the LBS to ask. */
  endpoint: string | undefined
  lbsEndpoint: string
  lbsFallback: string | undefined
  lbsTtlMs: number
  xhr: boolean
}

function count(name: string, value: unknown, dflt: number): number {
  if (value === undefined) return dflt
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidArgument(`${name} must be a non-negative integer, got ${String(value)}`)
  return value
}

function fn<T>(name: string, value: unknown, dflt: T): T {
  if (value === undefined) return dflt
  if (typeof value !== 'function') throw new InvalidArgument(`${name} must be a function`)
  return value as T
}

/** The settings of a standalone `directUpload` call (the defaults of a `NosClient`). */
export function resolveDirectConfig(p: DirectUploadSettings): DirectConfig {
  const userFetch = fn<typeof fetch | undefined>('fetch', p.fetch, undefined)
  return {
    fetch: () => {
      const f = userFetch ?? globalThis.fetch
      if (typeof f !== 'function') throw new InvalidArgument('no fetch available: pass fetch')
      return userFetch ? f : f.bind(globalThis)
    },
    now: fn('now', p.now, () => Date.now()),
    retry: resolveRetryPolicy(p),
    timeout: count('timeout', p.timeout, 60_000),
    md5: fn<Md5Factory>('md5', p.md5, defaultMd5),
    // Browsers cannot stream request bodies over HTTP/1.1 (Chromium streams them only over HTTP/2); elsewhere large
    // chunks go in slices.
    streamRequestBodies: !isBrowserLike(),
  }
}

/**
 * Checks a token's shape and, when its policy can be read, that it names this bucket and key and has not expired:
 * such a token would only be refused by NOS after the first chunk.
 */
export function checkToken(token: unknown, bucket: string, key: string, now: number): string {
  if (typeof token !== 'string' || !/^UPLOAD [^:\s]+:[^:\s]+:[A-Za-z0-9+/=]+$/.test(token.trim())) {
    throw new InvalidArgument('token must be an upload token "UPLOAD <accessKeyId>:<signature>:<policy>" (see createUploadToken)')
  }
  let policy: { Bucket?: unknown; Object?: unknown; Expires?: unknown } | undefined
  try {
    policy = JSON.parse(new TextDecoder().decode(fromBase64(token.trim().split(':')[2]!))) as typeof policy
  } catch {
    return token.trim()
  }
  if (policy?.Bucket !== bucket || policy?.Object !== key) {
    throw new InvalidArgument(`token is for bucket ${JSON.stringify(policy?.Bucket)} and key ${JSON.stringify(policy?.Object)}, not ${JSON.stringify(bucket)} and ${JSON.stringify(key)}`)
  }
  if (typeof policy.Expires === 'number' && policy.Expires * 1000 < now) throw new InvalidArgument(`token expired at ${new Date(policy.Expires * 1000).toISOString()}`)
  return token.trim()
}

function optionalUrl(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : checkBaseUrl(value, name)
}

/** Where the upload goes: a fixed node, or the LBS (and its fallback). */
function routing(p: DirectUploadParams): Pick<DirectPlan, 'endpoint' | 'lbsEndpoint' | 'lbsFallback' | 'lbsTtlMs'> {
  const lbsEndpoint = optionalUrl(p.lbsEndpoint, 'lbsEndpoint') ?? DEFAULT_LBS_ENDPOINT
  return {
    endpoint: optionalUrl(p.endpoint, 'endpoint'),
    lbsEndpoint,
    lbsFallback: optionalUrl(p.lbsFallback, 'lbsFallback') ?? (lbsEndpoint === DEFAULT_LBS_ENDPOINT ? LBS_FALLBACK_ENDPOINT : undefined),
    lbsTtlMs: count('lbsTtlMs', p.lbsTtlMs, DEFAULT_LBS_TTL_MS),
  }
}

/** Checks every argument; the token function (if any) is asked here once. */
export async function planDirectUpload(cfg: DirectConfig, p: DirectUploadParams): Promise<DirectPlan> {
  checkParams(p, 'directUpload')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const chunkSize = p.chunkSize ?? DEFAULT_DIRECT_CHUNK_SIZE
  if (!Number.isSafeInteger(chunkSize) || chunkSize < MIN_DIRECT_CHUNK_SIZE || chunkSize > MAX_DIRECT_CHUNK_SIZE) {
    throw new InvalidArgument(`chunkSize must be an integer from ${MIN_DIRECT_CHUNK_SIZE} to ${MAX_DIRECT_CHUNK_SIZE} bytes, got ${String(p.chunkSize)}`)
  }
  if (p.objectMd5 !== undefined && (typeof p.objectMd5 !== 'string' || !/^[0-9a-f]{32}$/i.test(p.objectMd5))) throw new InvalidArgument('objectMd5 must be 32 hex characters')
  if (p.onProgress !== undefined && typeof p.onProgress !== 'function') throw new InvalidArgument('onProgress must be a function')
  if (p.signal !== undefined && !(p.signal instanceof AbortSignal)) throw new InvalidArgument('signal must be an AbortSignal')
  if (p.resume !== undefined && !isDirectUploadCheckpoint(p.resume)) throw new InvalidArgument('resume must be a checkpoint of a direct upload (from pause() or a checkpoint store)')
  if (p.checkpoint !== undefined && (typeof p.checkpoint?.load !== 'function' || typeof p.checkpoint.save !== 'function' || typeof p.checkpoint.remove !== 'function')) {
    throw new InvalidArgument('checkpoint must be a CheckpointStore (load, save, remove)')
  }
  if (p.checkpointId !== undefined && (typeof p.checkpointId !== 'string' || p.checkpointId === '')) throw new InvalidArgument('checkpointId must be a non-empty string')
  if (p.metadataEncoding !== undefined && p.metadataEncoding !== 'none' && p.metadataEncoding !== 'uri') throw new InvalidArgument(`metadataEncoding must be 'none' or 'uri', got ${String(p.metadataEncoding)}`)
  const headers = metadataHeaders(p.metadata, 'metadata', p.metadataEncoding)
  const blobType = typeof Blob !== 'undefined' && p.body instanceof Blob ? p.body.type : ''
  const contentType = p.contentType === undefined ? blobType || undefined : checkHeaderValue(p.contentType, 'contentType')
  if (contentType) headers['Content-Type'] = contentType
  if (p.contentLength !== undefined) count('contentLength', p.contentLength, 0)
  const source = toSource(p.body, p.contentLength)
  if (source.kind === 'sequential' && (p.checkpoint || p.resume)) throw new InvalidArgument('checkpoint and resume need a body that can be re-read (bytes, a Blob/File or a file), not a stream')
  const route = routing(p)
  const refresh = typeof p.token === 'function' ? async () => checkToken(await (p.token as () => string | Promise<string>)(), bucket, key, cfg.now()) : undefined
  const token = refresh ? await refresh() : checkToken(p.token, bucket, key, cfg.now())
  const xhr = typeof XMLHttpRequest === 'function' && !p.useFetch && p.fetch === undefined
  return { bucket, key, source, chunkSize, headers, objectMd5: p.objectMd5?.toLowerCase(), token, refresh, params: p, ...route, xhr }
}
