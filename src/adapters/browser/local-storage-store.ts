/**
 * Checkpoints in `localStorage`, so an upload survives a page reload once the user picks the same file again
 * (the checkpoint id is derived from the file's fingerprint).
 * @module
 */
import { isCheckpoint, type CheckpointStore, type UploadCheckpoint } from '../../transfers/checkpoint.js'

/** The storage API used (`localStorage` by default; any `Storage` works, e.g. `sessionStorage`). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/**
 * @example
 * const up = client.upload({ bucket, key, body: input.files[0], checkpoint: new LocalStorageCheckpointStore() })
 */
export class LocalStorageCheckpointStore implements CheckpointStore {
  readonly #storage: StorageLike
  constructor(readonly prefix = 'nos-sdk:checkpoint:', storage?: StorageLike) {
    const s = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage
    if (!s) throw new TypeError('localStorage is not available here: pass a Storage')
    this.#storage = s
  }
  async load(id: string): Promise<UploadCheckpoint | undefined> {
    try {
      const v = JSON.parse(this.#storage.getItem(this.prefix + id) ?? 'null') as unknown
      return isCheckpoint(v) ? v : undefined
    } catch {
      return undefined
    }
  }
  async save(id: string, checkpoint: UploadCheckpoint): Promise<void> {
    this.#storage.setItem(this.prefix + id, JSON.stringify(checkpoint))
  }
  async remove(id: string): Promise<void> {
    this.#storage.removeItem(this.prefix + id)
  }
}
