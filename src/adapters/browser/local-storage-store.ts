/**
 * Checkpoints in `localStorage`, so an upload survives a page reload once the user picks the same file again
 * (the checkpoint id is derived from the file's fingerprint).
 * @module
 */
import { isKnownCheckpoint, type CheckpointStore, type UploadCheckpoint } from '../../transfers/checkpoint.js'

/** The storage API used (`localStorage` by default; any `Storage` works, e.g. `sessionStorage`). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/**
 * Checkpoints of managed uploads (`UploadCheckpoint`, the default) or of direct uploads (`DirectUploadCheckpoint`).
 * A stored value that is neither loads as undefined; pass `accept` to keep another kind.
 * @example
 * const up = client.upload({ bucket, key, body: input.files![0]!, checkpoint: new LocalStorageCheckpointStore() })
 * const direct = directUpload({ token, bucket, key, body: input.files![0]!, checkpoint: new LocalStorageCheckpointStore() })
 */
export class LocalStorageCheckpointStore<T = UploadCheckpoint> implements CheckpointStore<T> {
  readonly #storage: StorageLike
  readonly #accept: (v: unknown) => boolean
  constructor(readonly prefix = 'nos-sdk:checkpoint:', storage?: StorageLike, accept?: (v: unknown) => v is T) {
    const s = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage
    if (!s) throw new TypeError('localStorage is not available here: pass a Storage')
    this.#storage = s
    this.#accept = accept ?? (isKnownCheckpoint)
  }
  async load(id: string): Promise<T | undefined> {
    try {
      const v = JSON.parse(this.#storage.getItem(this.prefix + id) ?? 'null') as unknown
      return this.#accept(v) ? (v as T) : undefined
    } catch {
      return undefined
    }
  }
  async save(id: string, checkpoint: T): Promise<void> {
    this.#storage.setItem(this.prefix + id, JSON.stringify(checkpoint))
  }
  async remove(id: string): Promise<void> {
    this.#storage.removeItem(this.prefix + id)
  }
}
