/**
 * Client options -> one frozen, fully defaulted configuration. Every error names the option.
 * @module
 */
import { DEFAULT_ENDPOINT, parseEndpoint, type Endpoint } from './endpoint.js'
import { InvalidArgument } from './errors.js'
import type { Md5Factory } from './md5.js'
import { defaultMd5 } from './md5-default.js'
import { createHmacSigner, type SignFunction } from '../signing/signer.js'
import { resolveRetryPolicy, type RetryOptions, type RetryPolicy } from './retry-policy.js'
import type { MetadataEncoding } from './metadata.js'

/** Options of `new NosClient(options)`. */
export interface NosClientOptions {
  /** Access key id. Omit both keys for anonymous access to public-read buckets. */
  accessKeyId?: string
  /** Access key secret. In browsers prefer `sign` or presigned URLs: never ship a secret to a page. */
  accessKeySecret?: string
  /** Host, `host:port` or URL; default `nos-eastchina1.126.net`. E.g. `http://127.0.0.1:9000`. */
  endpoint?: string
  /** Use https when `endpoint` has no scheme (the seed's option); default false, as the seed. */
  enableSsl?: boolean
  /** Bucket in the path instead of the host name; default true for IP addresses and localhost. */
  pathStyle?: boolean
  /** Retries after the first attempt on network errors and 500/501/503; default 2, as the seed (= `retry.maxRetries`). */
  maxRetries?: number
  /**
   * Per-attempt timeout in ms until response headers arrive, and again for reading a buffered body (an XML result or
   * an error document, whose size is capped too); default 60000; 0 disables it.
   */
  timeout?: number
  /** The fetch to use; default `globalThis.fetch`, read at call time so patched globals work. */
  fetch?: typeof fetch
  /** The clock (ms since epoch); default `Date.now`. Used for `Date` and presign expiry. */
  now?: () => number
  /**
   * Signs a string-to-sign and returns the Base64 signature, e.g. by asking a backend
   * (see `createSigningPolicy`). Use with `accessKeyId` and without `accessKeySecret`.
   */
  sign?: SignFunction
  /** Send `x-nos-date` instead of `Date`; default true in browsers, which cannot set `Date`. */
  useNosDate?: boolean
  /** First retry delay bound in ms (exponential, full jitter); default 300 (= `retry.baseDelay`). */
  retryBaseDelay?: number
  /** Largest retry delay in ms; default 20000 (= `retry.maxDelay`). */
  retryMaxDelay?: number
  /** MD5 implementation; default WebAssembly (JavaScript where it cannot run; node:crypto in the Node build). */
  md5?: Md5Factory
  /**
   * Send large byte bodies as streams of 1 MiB slices (Node's fetch runs twice as fast that way). Default true
   * outside browsers; browsers cannot stream request bodies over HTTP/1.1.
   */
  streamRequestBodies?: boolean
  /** Random source for retry jitter (tests); default `Math.random` (= `retry.random`). */
  random?: () => number
  /**
   * The retry policy, used by every request including the parts of `upload()`: retried statuses and codes,
   * attempts (`maxRetries`, and `partRetries` for upload parts), backoff. Fields left out come from the
   * shorthands above (`maxRetries`, `retryBaseDelay`, `retryMaxDelay`, `random`), then the defaults.
   */
  retry?: RetryOptions
  /** Compute and send Content-MD5 for bodies that can be read twice; default true. */
  contentMd5?: boolean
  /**
   * How user metadata values travel (docs/protocol.md#metadata-encoding): `'none'` (default) sends printable ASCII
   * only and refuses other values; `'uri'` percent-encodes them on write and decodes them on read, so any string
   * round-trips. Raw UTF-8 written by another client reads back as UTF-8 either way.
   */
  metadataEncoding?: MetadataEncoding
}

/** The resolved configuration. */
export interface NosConfig {
  readonly accessKeyId: string | undefined
  readonly signer: SignFunction | undefined
  readonly endpoint: Endpoint
  readonly maxRetries: number
  readonly timeout: number
  readonly fetch: () => typeof fetch
  readonly now: () => number
  readonly useNosDate: boolean
  readonly retryBaseDelay: number
  readonly retryMaxDelay: number
  readonly md5: Md5Factory
  readonly streamRequestBodies: boolean
  readonly random: () => number
  readonly contentMd5: boolean
  readonly metadataEncoding: MetadataEncoding
  /** The retry policy every request follows; `maxRetries`, `retryBaseDelay`, `retryMaxDelay`, `random` mirror it. */
  readonly retry: RetryPolicy
}

/** True in a browser page or browser worker (not in Node, Deno, Bun or edge runtimes). */
export function isBrowserLike(): boolean {
  const g = globalThis as { document?: unknown; importScripts?: unknown; navigator?: { userAgent?: string } }
  return typeof g.document === 'object' || typeof g.importScripts === 'function'
}

function nonNegativeInt(name: string, value: unknown, dflt: number): number {
  if (value === undefined) return dflt
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgument(`option ${name} must be a non-negative integer, got ${String(value)}`)
  }
  return value
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgument(`option ${name} must be a non-empty string`)
  }
  return value.trim()
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidArgument(`option ${name} must be true or false, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`)
  return value
}

function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'function') throw new InvalidArgument(`option ${name} must be a function`)
  return value as T
}

function metadataEncodingOf(value: unknown): MetadataEncoding {
  if (value === undefined || value === 'none' || value === 'uri') return value ?? 'none'
  throw new InvalidArgument(`option metadataEncoding must be 'none' or 'uri', got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`)
}

/**
 * Validates and defaults client options.
 * @example
 * resolveConfig({ endpoint: 'http://127.0.0.1:9000', accessKeyId: 'AK', accessKeySecret: 'SK' }).endpoint.pathStyle // true
 */
export function resolveConfig(options: NosClientOptions = {}): NosConfig {
  if (typeof options !== 'object' || options === null) throw new InvalidArgument('options must be an object')
  const accessKeyId = optionalString('accessKeyId', options.accessKeyId)
  const secret = optionalString('accessKeySecret', options.accessKeySecret)
  const sign = optionalFunction<SignFunction>('sign', options.sign)
  if (secret && sign) throw new InvalidArgument('options accessKeySecret and sign are exclusive: give one')
  if ((secret || sign) && !accessKeyId) throw new InvalidArgument('option accessKeyId is required with accessKeySecret or sign')
  if (accessKeyId && !secret && !sign) throw new InvalidArgument('option accessKeySecret (or sign) is required with accessKeyId')
  const [enableSsl, pathStyle] = [optionalBoolean('enableSsl', options.enableSsl), optionalBoolean('pathStyle', options.pathStyle)]
  const [useNosDate, contentMd5] = [optionalBoolean('useNosDate', options.useNosDate), optionalBoolean('contentMd5', options.contentMd5)]
  const streamRequestBodies = optionalBoolean('streamRequestBodies', options.streamRequestBodies)
  const endpointText = optionalString('endpoint', options.endpoint) ?? DEFAULT_ENDPOINT
  let endpoint: Endpoint
  try {
    endpoint = parseEndpoint(endpointText, enableSsl, pathStyle)
  } catch (e) {
    // The message is parseEndpoint's: it never repeats a password the endpoint may carry.
    throw new InvalidArgument(`option endpoint is not a valid host or URL: ${e instanceof Error ? e.message : 'unparsable'}`, { cause: e })
  }
  const userFetch = optionalFunction<typeof fetch>('fetch', options.fetch)
  const now = optionalFunction<() => number>('now', options.now) ?? (() => Date.now())
  const browser = isBrowserLike()
  const retry = resolveRetryPolicy(options)
  return Object.freeze({
    accessKeyId,
    signer: sign ?? (secret ? createHmacSigner(secret) : undefined),
    endpoint,
    maxRetries: retry.maxRetries,
    timeout: nonNegativeInt('timeout', options.timeout, 60_000),
    fetch: () => {
      const f = userFetch ?? globalThis.fetch
      if (typeof f !== 'function') throw new InvalidArgument('no fetch available: pass options.fetch')
      return userFetch ? f : f.bind(globalThis)
    },
    now,
    useNosDate: useNosDate ?? browser,
    retryBaseDelay: retry.baseDelay,
    retryMaxDelay: retry.maxDelay,
    md5: optionalFunction<Md5Factory>('md5', options.md5) ?? defaultMd5,
    streamRequestBodies: streamRequestBodies ?? !browser,
    random: retry.random,
    contentMd5: contentMd5 ?? true,
    metadataEncoding: metadataEncodingOf(options.metadataEncoding),
    retry,
  })
}
