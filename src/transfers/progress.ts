/**
 * Progress of a managed upload: bytes of finished parts plus the bytes of parts in flight, reported after every
 * change (byte-level when the runtime streams request bodies, operations/multipart.ts `onSent`).
 * @module
 */

/** Progress of a managed upload. */
export interface UploadProgress {
  loaded: number
  /** Undefined while a stream's length is unknown. */
  total: number | undefined
  partsDone: number
  partsTotal: number | undefined
}

/** Counts what is done and in flight; `report` is the caller's `onProgress`. */
export class ProgressTracker {
  #loadedDone = 0
  readonly #inFlight = new Map<number, number>()
  partsDone = 0
  /** Parts sent in this session (not the ones found on NOS and skipped). */
  partsSent = 0

  constructor(
    readonly report: ((p: UploadProgress) => void) | undefined,
    readonly total: number | undefined,
    readonly partsTotal: number | undefined,
  ) {}

  /** Bytes of part `n` sent so far in its current attempt (0 again when a retry starts). */
  sending(n: number, sent: number): void {
    this.#inFlight.set(n, sent)
    this.emit()
  }

  /** Part `n` of `size` bytes is on NOS (`sent`: by this session). */
  done(n: number, size: number, sent: boolean): void {
    this.#inFlight.delete(n)
    this.#loadedDone += size
    this.partsDone++
    if (sent) this.partsSent++
    this.emit()
  }

  emit(): void {
    if (!this.report) return
    let loaded = this.#loadedDone
    for (const v of this.#inFlight.values()) loaded += v
    this.report({ loaded, total: this.total, partsDone: this.partsDone, partsTotal: this.partsTotal })
  }
}
