/**
 * The one retry policy (docs/architecture.md#one-retry-policy): what is retried, how many times, and how long to wait in between. It is
 * resolved once from the client options and drives the transport (through fetch-retry) for every request,
 * managed-transfer parts included: a part's larger budget is the policy's `partRetries`, not a second loop.
 * Defaults follow the official SDKs (docs/protocol.md#retries).
 * @module
 */
import { InvalidArgument, isAbortError, ConnectionError } from './errors.js'

/**
 * Statuses retried by default (the seed's `retry_on_status`, docs/protocol.md#retries). `SlowDown` arrives as 503.
 * @example new NosClient({ retry: { statuses: [...RETRY_STATUSES, 502] } })
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([500, 501, 503])
/**
 * Error codes retried by default whatever their status (docs/protocol.md#error-codes: NOS's throttling code).
 * @example new NosClient({ retry: { codes: [...RETRY_CODES, 'RequestTimeout'] } })
 */
export const RETRY_CODES: ReadonlySet<string> = new Set(['SlowDown'])
/**
 * Default retries after the first attempt of a request (the seed's `max_retries`).
 * @example new NosClient({ maxRetries: DEFAULT_MAX_RETRIES + 3 })
 */
export const DEFAULT_MAX_RETRIES = 2
/**
 * Default retries of one part of a managed upload with the default `maxRetries`: parts get one more than single
 * calls (`partRetries` defaults to `maxRetries + 1`), since one failed part costs the whole upload's progress.
 */
export const DEFAULT_PART_RETRIES = DEFAULT_MAX_RETRIES + 1

/** The `retry` client option: every field optional; the top-level shorthands fill in what it leaves out. */
export interface RetryOptions {
  /** Retries after the first attempt; default `maxRetries` option, else 2. */
  maxRetries?: number
  /** Retries of one part of `upload()` (same decision, more attempts); default `maxRetries + 1`. */
  partRetries?: number
  /** Backoff bound of the first retry in ms (doubles each retry, full jitter); default `retryBaseDelay`, else 300. */
  baseDelay?: number
  /** Largest backoff in ms; default `retryMaxDelay`, else 20000. */
  maxDelay?: number
  /** HTTP statuses retried; default 500, 501, 503. */
  statuses?: readonly number[]
  /** NOS error codes retried whatever the status; default `SlowDown`. */
  codes?: readonly string[]
  /** Random source in [0, 1) for the jitter; default the `random` option, else `Math.random`. */
  random?: () => number
}

/** The resolved policy (frozen). */
export interface RetryPolicy {
  readonly maxRetries: number
  readonly partRetries: number
  readonly baseDelay: number
  readonly maxDelay: number
  readonly statuses: ReadonlySet<number>
  readonly codes: ReadonlySet<string>
  readonly random: () => number
}

/** What an attempt ended with, as far as the retry decision is concerned. */
export type AttemptOutcome = { error: unknown } | { status: number; code?: string | undefined }

/**
 * The decision: may this failed attempt be tried again (attempt budget and body replayability aside)?
 * Network errors and timeouts yes, a caller's abort never, statuses and codes as the policy lists.
 * @example
 * isRetryable(policy, { status: 503 }) // true with the defaults
 */
export function isRetryable(policy: RetryPolicy, outcome: AttemptOutcome): boolean {
  if ('error' in outcome) return !isAbortError(outcome.error) && outcome.error instanceof ConnectionError
  return policy.statuses.has(outcome.status) || (outcome.code !== undefined && policy.codes.has(outcome.code))
}

/**
 * Backoff before retry number `attempt` (0-based): full jitter, `random() * min(max, base * 2^attempt)`.
 * @example
 * retryDelay(2, 300, 20000, () => 0.5) // 600
 */
export function retryDelay(attempt: number, base: number, max: number, random: () => number): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt))
}

/** The policy's backoff before retry number `attempt` (0-based). @example backoff(cfg.retry, 0) // a random wait of up to 300 ms with the defaults */
export function backoff(policy: RetryPolicy, attempt: number): number {
  return retryDelay(attempt, policy.baseDelay, policy.maxDelay, policy.random)
}

/** Client options the policy is resolved from (the top-level ones are shorthands kept from the first releases). */
export interface RetryClientOptions {
  maxRetries?: number | undefined
  retryBaseDelay?: number | undefined
  retryMaxDelay?: number | undefined
  random?: (() => number) | undefined
  retry?: RetryOptions | undefined
}

function count(name: string, value: unknown, dflt: number): number {
  if (value === undefined) return dflt
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgument(`option ${name} must be a non-negative integer, got ${String(value)}`)
  }
  return value
}

function listOf<T>(name: string, value: unknown, ok: (x: unknown) => boolean, what: string, dflt: ReadonlySet<T>): ReadonlySet<T> {
  if (value === undefined) return dflt
  if (!Array.isArray(value) || !value.every(ok)) throw new InvalidArgument(`option ${name} must be an array of ${what}`)
  return new Set(value as T[])
}

/**
 * Resolves the policy: `retry.*` first, then the top-level shorthands, then the defaults. Errors name the option.
 * @example
 * resolveRetryPolicy({ maxRetries: 5, retry: { partRetries: 8 } }).partRetries // 8
 */
export function resolveRetryPolicy(options: RetryClientOptions): RetryPolicy {
  const r = options.retry ?? {}
  if (typeof r !== 'object' || r === null) throw new InvalidArgument('option retry must be an object, e.g. { maxRetries: 3 }')
  const random = r.random ?? options.random ?? Math.random
  if (typeof random !== 'function') throw new InvalidArgument(`option ${r.random ? 'retry.random' : 'random'} must be a function`)
  const maxRetries = count(r.maxRetries !== undefined ? 'retry.maxRetries' : 'maxRetries', r.maxRetries ?? options.maxRetries, DEFAULT_MAX_RETRIES)
  return Object.freeze({
    maxRetries,
    partRetries: count('retry.partRetries', r.partRetries, maxRetries + 1),
    baseDelay: count(r.baseDelay !== undefined ? 'retry.baseDelay' : 'retryBaseDelay', r.baseDelay ?? options.retryBaseDelay, 300),
    maxDelay: count(r.maxDelay !== undefined ? 'retry.maxDelay' : 'retryMaxDelay', r.maxDelay ?? options.retryMaxDelay, 20_000),
    statuses: listOf<number>('retry.statuses', r.statuses, (x) => Number.isInteger(x) && (x as number) >= 100 && (x as number) <= 599, 'HTTP statuses (100-599)', RETRY_STATUSES),
    codes: listOf<string>('retry.codes', r.codes, (x) => typeof x === 'string' && x !== '', 'NOS error codes', RETRY_CODES),
    random,
  })
}
