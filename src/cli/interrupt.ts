/**
 * SIGINT/SIGTERM handling: the first signal pauses uploads (keeping their parts and checkpoints so that the same
 * command resumes), aborts every other request and makes the command exit 130; a second signal exits at once.
 * @module
 */
import { setMaxListeners } from 'node:events'
import { EXIT } from './errors.js'

/** One interruptible command run. */
export class Interrupt {
  readonly #ctrl = new AbortController()
  readonly #handlers = new Set<() => void>()
  #uninstall: (() => void) | undefined

  constructor() {
    // One signal is shared by every request of the command (many ranged GETs at once): not a leak.
    setMaxListeners(0, this.#ctrl.signal)
  }

  /** Aborted on the first signal (give it to downloads, listings, single requests). */
  get signal(): AbortSignal {
    return this.#ctrl.signal
  }

  get interrupted(): boolean {
    return this.#ctrl.signal.aborted
  }

  /** Runs `fn` on interrupt before the signal aborts (uploads pause here). Returns the unregister function. */
  onInterrupt(fn: () => void): () => void {
    this.#handlers.add(fn)
    return () => this.#handlers.delete(fn)
  }

  /** Interrupts as a signal would. */
  trigger(): void {
    if (this.interrupted) return
    for (const fn of this.#handlers) {
      try {
        fn()
      } catch {
        // a handler failing must not keep the others from running
      }
    }
    this.#ctrl.abort(new DOMException('interrupted', 'AbortError'))
  }

  /** Listens to SIGINT and SIGTERM until `uninstall()`; `beforeForcedExit` runs before a second signal exits. */
  install(beforeForcedExit: () => void = () => {}): this {
    if (this.#uninstall) return this
    const onSignal = (): void => {
      if (this.interrupted) {
        beforeForcedExit()
        process.exit(EXIT.INTERRUPTED)
      }
      this.trigger()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    this.#uninstall = () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    return this
  }

  uninstall(): void {
    this.#uninstall?.()
    this.#uninstall = undefined
  }
}
