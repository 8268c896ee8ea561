/**
 * The retry rule of direct upload, taken from the client's retry settings through ONE function (`chunkRetry`),
 * and the abortable wait between attempts.
 * @module
 */
import { ConnectionError, ServiceException, isAbortError } from '../errors.js'
import { RETRY_STATUSES, retryDelay } from '../retry-policy.js'
import type { DirectConfig } from './types.js'

/** How a failed request of a direct upload is retried. */
export interface ChunkRetry {
  /** Retries after the first attempt (per node: the next edge node starts again). */
  readonly maxRetries: number
  /** Backoff before retry number `attempt` (0-based), full jitter. */
  delay(attempt: number): number
  /** Network errors and timeouts, and the statuses the SDK retries (500, 501, 503); never an abort. */
  retryable(e: unknown): boolean
}

/**
 * The one place direct upload reads retry settings. With a resolved retry policy object in the config this becomes
 * `{ maxRetries: cfg.retry.partRetries, delay: (n) => backoff(cfg.retry, n), retryable: ... isRetryable(cfg.retry, ...) }`.
 * @example
 * const retry = chunkRetry(cfg); if (retry.retryable(e)) await sleep(retry.delay(0), signal)
 */
export function chunkRetry(cfg: DirectConfig): ChunkRetry {
  return {
    maxRetries: cfg.maxRetries,
    delay: (attempt) => retryDelay(attempt, cfg.retryBaseDelay, cfg.retryMaxDelay, cfg.random),
    retryable: (e) => {
      if (isAbortError(e)) return false
      if (e instanceof ConnectionError) return true
      return e instanceof ServiceException && RETRY_STATUSES.has(e.statusCode ?? 0)
    },
  }
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts (no listener is left behind).
 * @example
 * await sleep(100, signal)
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
