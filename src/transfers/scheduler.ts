/**
 * The one concurrency pool of the SDK and the CLI (upload parts, Node's ranged downloads, cleanupUploads' aborts, the
 * CLI's batches of files): bounded concurrency,
 * back-pressure (the producer waits for a free slot before it reads the next part, so memory stays bounded by
 * `concurrency` parts) and cancellation (the first failure, or the parent signal, aborts every task in flight).
 * @module
 */
import { linkSignals, type SignalLink } from '../core/signals.js'

/** A task; `signal` aborts when the scheduler stops (a sibling failed, or the parent signal aborted). */
export type Task = (signal: AbortSignal) => Promise<void>

/**
 * Runs tasks with at most `concurrency` in flight.
 * @example
 * const s = new Scheduler(4, signal)
 * try {
 *   for (const part of parts) await s.run((signal) => send(part, signal))
 *   await s.drain()
 * } finally { await s.close() }
 */
export class Scheduler {
  readonly #running = new Set<Promise<void>>()
  readonly #link: SignalLink
  #failure: { error: unknown } | undefined

  constructor(readonly concurrency: number, parent?: AbortSignal) {
    this.#link = linkSignals([parent])
  }

  /** Aborted once the scheduler stops: pass it to the work of every task. */
  get signal(): AbortSignal {
    return this.#link.signal
  }

  /** Waits until a task may start (back-pressure); throws why the scheduler stopped, if it did. */
  async slot(): Promise<void> {
    this.#throwIfStopped()
    while (this.#running.size >= this.concurrency) {
      await Promise.race(this.#running)
      this.#throwIfStopped()
    }
  }

  /** Starts `task` now (after `slot()`). Its failure stops the scheduler: the other tasks are aborted. */
  start(task: Task): void {
    const p = (async () => task(this.signal))().catch((e: unknown) => this.stop(e))
    this.#running.add(p)
    void p.finally(() => this.#running.delete(p))
  }

  /** `slot()` then `start(task)`. */
  async run(task: Task): Promise<void> {
    await this.slot()
    this.start(task)
  }

  /** Stops the scheduler: records the first reason and aborts every task in flight. */
  stop(reason: unknown): void {
    this.#failure ??= { error: reason }
    this.#link.abort(reason)
  }

  /** Waits for every task started; throws the first failure (or the parent's abort reason). */
  async drain(): Promise<void> {
    while (this.#running.size) await Promise.all(this.#running)
    this.#throwIfStopped()
  }

  /** Waits for every task to settle, whatever the outcome, and releases the parent signal. Never throws. */
  async close(): Promise<void> {
    while (this.#running.size) await Promise.allSettled(this.#running)
    this.#link.dispose()
  }

  #throwIfStopped(): void {
    if (this.#failure) throw this.#failure.error
    if (this.signal.aborted) throw this.signal.reason
  }
}
