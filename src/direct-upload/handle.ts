/**
 * A running direct upload as a Promise with `pause()` and `abort()`, as `upload()` returns one.
 * @module
 */
import { ClientException } from '../core/errors.js'
import type { DirectUploadCheckpoint, DirectUploadResult } from './types.js'

/** The direct upload was paused; `checkpoint` (undefined when no chunk was stored yet) resumes it. */
export class DirectUploadPausedError extends ClientException {
  constructor(readonly checkpoint: DirectUploadCheckpoint | undefined) {
    super(`direct upload paused${checkpoint ? ` at byte ${checkpoint.offset} of ${checkpoint.key}` : ' before any chunk was stored'}; resume with directUpload({ ...sameParams, resume: checkpoint }) or the same checkpoint store`)
  }
}
Object.defineProperty(DirectUploadPausedError.prototype, 'name', { value: 'DirectUploadPausedError', writable: true, configurable: true })

/** The reason `pause()` aborts with. */
export const PAUSE: unique symbol = Symbol('pause')

/** What the handle runs: the work, given the signal to stop at and where to report checkpoints. */
export type DirectRun = (signal: AbortSignal, onCheckpoint: (cp: DirectUploadCheckpoint) => void) => Promise<DirectUploadResult>

/**
 * A running direct upload: await it, or `pause()` / `abort()` it.
 * @example
 * const up = directUpload({ token, bucket, key, body: file, onProgress })
 * pauseButton.onclick = () => up.pause()
 * const { etag } = await up
 */
export class DirectUpload implements Promise<DirectUploadResult> {
  readonly [Symbol.toStringTag] = 'DirectUpload'
  /** Settles with the result, or rejects (with `DirectUploadPausedError` after `pause()`). */
  readonly done: Promise<DirectUploadResult>
  readonly #ctrl = new AbortController()
  #checkpoint: DirectUploadCheckpoint | undefined

  constructor(run: DirectRun, given?: AbortSignal) {
    // A `signal` that is not an AbortSignal is refused by the argument checks, inside `run`.
    const signal = typeof AbortSignal !== 'undefined' && given instanceof AbortSignal ? given : undefined
    const onAbort = () => this.#ctrl.abort(signal!.reason)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    const work = Promise.resolve().then(() => run(this.#ctrl.signal, (cp) => (this.#checkpoint = cp)))
    this.done = work.then(
      (r) => (signal?.removeEventListener('abort', onAbort), r),
      (e: unknown) => {
        signal?.removeEventListener('abort', onAbort)
        throw this.#ctrl.signal.reason === PAUSE ? new DirectUploadPausedError(this.#checkpoint) : e
      },
    )
    this.done.catch(() => {})
  }

  then<R1 = DirectUploadResult, R2 = never>(
    onFulfilled?: ((value: DirectUploadResult) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.done.then(onFulfilled, onRejected)
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<DirectUploadResult | R> {
    return this.done.catch(onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<DirectUploadResult> {
    return this.done.finally(onFinally)
  }

  /** The latest checkpoint (undefined until NOS acknowledged a chunk, and for streams). */
  get checkpoint(): DirectUploadCheckpoint | undefined {
    return this.#checkpoint
  }

  /**
   * Stops at once (the chunk in flight is dropped), keeps the checkpoint and resolves with it; the upload's own
   * promise rejects with `DirectUploadPausedError`. Resume with the same parameters (and store), or `resume: checkpoint`.
   */
  async pause(): Promise<DirectUploadCheckpoint | undefined> {
    this.#ctrl.abort(PAUSE)
    try {
      await this.done
    } catch (e) {
      if (e instanceof DirectUploadPausedError) return e.checkpoint
      throw e
    }
    throw new ClientException('the direct upload finished before it could be paused')
  }

  /** Stops at once and forgets the checkpoint (NOS drops the context when it expires); resolves once stopped. */
  async abort(): Promise<void> {
    this.#ctrl.abort(new DOMException('direct upload aborted', 'AbortError'))
    await this.done.catch(() => {})
  }
}
