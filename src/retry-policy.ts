/**
 * The retry decision's building blocks without the transport (so that code which does not send through
 * `transport.ts`, like direct upload, need not bundle fetch-retry). The transfers branch grows this file into the
 * whole retry policy; `transport.ts` keeps its own copies of these two until then.
 * @module
 */

/** Statuses retried (the seed's `retry_on_status`, nos-protocol.md §13). `SlowDown` arrives as 503. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([500, 501, 503])

/**
 * Backoff before retry number `attempt` (0-based): full jitter, `random() * min(max, base * 2^attempt)`.
 * @example
 * retryDelay(2, 300, 20000, () => 0.5) // 600
 */
export function retryDelay(attempt: number, base: number, max: number, random: () => number): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt))
}
