/**
 * A running upload (`client.upload()`): a promise of the result that can also be paused or aborted.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { ClientException } from '../core/errors.js'
import type { UploadCheckpoint } from './checkpoint.js'
import { PAUSE, UploadPausedError } from './pause.js'
import { runUpload, type UploadParams, type UploadResult } from './upload.js'

/** A running upload: await it, or `pause()` / `abort()` it. */
export class ManagedUpload implements Promise<UploadResult> {
  readonly [Symbol.toStringTag] = 'ManagedUpload'
  /** Settles with the result, or rejects (with `UploadPausedError` after `pause()`). */
  readonly done: Promise<UploadResult>
  readonly #ctrl = new AbortController()
  #checkpoint: UploadCheckpoint | undefined
  #pauseWaiters: ((cp: UploadCheckpoint) => void)[] = []

  constructor(cfg: NosConfig, params: UploadParams) {
    this.done = runUpload(cfg, params, this.#ctrl.signal, (cp) => (this.#checkpoint = cp))
    this.done.catch((e) => {
      if (e instanceof UploadPausedError) for (const w of this.#pauseWaiters) w(e.checkpoint)
    })
  }

  then<R1 = UploadResult, R2 = never>(
    onFulfilled?: ((value: UploadResult) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.done.then(onFulfilled, onRejected)
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<UploadResult | R> {
    return this.done.catch(onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<UploadResult> {
    return this.done.finally(onFinally)
  }

  /** The latest checkpoint (undefined before the multipart upload starts or for a single PUT). */
  get checkpoint(): UploadCheckpoint | undefined {
    return this.#checkpoint
  }

  /**
   * Stops sending, keeps the uploaded parts on NOS and resolves with the checkpoint; the upload's own promise
   * rejects with `UploadPausedError`. Resume with `upload({ ...sameParams, resume: checkpoint })`.
   */
  pause(): Promise<UploadCheckpoint> {
    const p = new Promise<UploadCheckpoint>((resolve, reject) => {
      this.#pauseWaiters.push(resolve)
      this.done.then(() => reject(new ClientException('upload finished before it could be paused')), (e) => {
        if (!(e instanceof UploadPausedError)) reject(e)
      })
    })
    this.#ctrl.abort(PAUSE)
    return p
  }

  /** Aborts the upload and deletes its parts; resolves once NOS has been told. */
  async abort(): Promise<void> {
    this.#ctrl.abort(new DOMException('upload aborted', 'AbortError'))
    await this.done.catch(() => {})
  }
}
