/**
 * Commands that work on many files or objects (recursive cp/mv/rm, sync, rm of several keys) keep going past a
 * failed item: each failure is reported when it happens, listed again at the end, and the command exits 1
 * (`BatchError`, errors.ts). `--fail-fast` restores stopping at the first failure (items already running finish). An
 * interrupt stops the batch at once.
 * @module
 */
import { Scheduler } from '../transfers/scheduler.js'
import { BatchError, describeError, errorJson, exitCodeOf, type Failure } from './errors.js'
import type { Interrupt } from './interrupt.js'
import type { Output } from './output.js'

/** Options of `runBatch`. */
export interface BatchOptions {
  jobs: number
  failFast: boolean
  interrupt: Interrupt
  /** Called for each failure when it happens (print it). */
  onFailure: (f: Failure) => void
}

/**
 * Runs `fn` over `items` with at most `jobs` at once, in order of start. Resolves with the results (undefined
 * for failed or unstarted items) and the failures; never rejects for an item's failure. After an interrupt no
 * new item starts, and the interrupt's error is rethrown once the running ones settle.
 */
export async function runBatch<T, R>(items: readonly T[], subject: (item: T) => string, fn: (item: T) => Promise<R>, o: BatchOptions): Promise<{ results: (R | undefined)[]; failures: Failure[] }> {
  const results: (R | undefined)[] = new Array(items.length)
  const failures: Failure[] = []
  const stopped = () => o.interrupt.interrupted || (o.failFast && failures.length > 0)
  // The SDK's transfer scheduler bounds the jobs. Items never fail it (a failure is recorded here), so it never
  // aborts a running item: with --fail-fast the running ones finish. The interrupt, its parent signal, makes
  // `slot()` throw, so no item starts after it.
  const pool = new Scheduler(Math.max(1, o.jobs), o.interrupt.signal)
  try {
    for (let i = 0; i < items.length; i++) {
      await pool.slot()
      if (stopped()) break
      const item = items[i]!
      pool.start(async () => {
        try {
          results[i] = await fn(item)
        } catch (error) {
          if (o.interrupt.interrupted) return
          const f = { subject: subject(item), error }
          failures.push(f)
          o.onFailure(f)
        }
      })
    }
  } catch (e) {
    if (!o.interrupt.interrupted) throw e
  } finally {
    await pool.close()
  }
  o.interrupt.signal.throwIfAborted()
  return { results, failures }
}

/** The `failures` entries of a `--json` document. */
export function failuresJson(failures: readonly Failure[], secrets: readonly string[]): Record<string, unknown>[] {
  return failures.map((f) => ({ subject: f.subject, ...(errorJson(f.error, exitCodeOf(f.error), secrets)['error'] as object) }))
}

/** Prints one failure as it happens: `nos: failed: <subject>: <message>`. */
export function printFailure(out: Output, f: Failure): void {
  const msg = describeError(f.error, out.options.secrets)
  out.error(`failed: ${msg.startsWith(f.subject) ? msg : `${f.subject}: ${msg}`}`)
}

/** Lists the failures again at the end (stderr) and throws `BatchError` when there are any. */
export function finishBatch(out: Output, failures: readonly Failure[], total: number): void {
  if (!failures.length) return
  const err = new BatchError(failures, total)
  out.error(`${err.message}:`)
  for (const f of failures) {
    const msg = describeError(f.error, out.options.secrets)
    out.error(`  ${msg.startsWith(f.subject) ? msg : `${f.subject}: ${msg}`}`)
  }
  throw err
}
