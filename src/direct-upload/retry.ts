/**
 * The retry rule of direct upload: the client's one retry policy (src/core/retry-policy.ts), chunks getting the budget
 * of managed-upload parts (`partRetries`), and the policy's abortable backoff.
 * @module
 */
import { ServiceException } from '../core/errors.js'
import { backoff, isRetryable } from '../core/retry-policy.js'
import { abortableSleep } from '../core/signals.js'
import type { DirectConfig } from './types.js'

/** How a failed request of a direct upload is retried. */
export interface ChunkRetry {
  /** Retries after the first attempt (per node: the next edge node starts again). */
  readonly maxRetries: number
  /** Backoff before retry number `attempt` (0-based), full jitter. */
  delay(attempt: number): number
  /** Network errors and timeouts, and the statuses/codes the policy retries; never an abort. */
  retryable(e: unknown): boolean
}

/**
 * The one place direct upload reads the retry policy: a chunk is a part, so it gets `partRetries`.
 * @example
 * const retry = chunkRetry(cfg); if (retry.retryable(e)) await sleep(retry.delay(0), signal)
 */
export function chunkRetry(cfg: DirectConfig): ChunkRetry {
  return {
    maxRetries: cfg.retry.partRetries,
    delay: (attempt) => backoff(cfg.retry, attempt),
    retryable: (e) =>
      e instanceof ServiceException ? isRetryable(cfg.retry, { status: e.statusCode ?? 0, code: e.errorCode }) : isRetryable(cfg.retry, { error: e }),
  }
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts (no listener is left behind).
 * @example
 * await sleep(100, signal)
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal)
}
