/**
 * The checkpoint store of the CLI: nos-sdk's `FileCheckpointStore` in the state dir, remembering which upload
 * saved which checkpoint, so that an interrupted command can name the file that lets it resume.
 * @module
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { FileCheckpointStore, type CheckpointStore, type UploadCheckpoint } from '../node.js'

/** A `FileCheckpointStore` that knows where each upload's checkpoint went. */
export class CliCheckpoints implements CheckpointStore {
  readonly #store: FileCheckpointStore
  /** `bucket\nkey` -> checkpoint id, for checkpoints saved and not removed by this run. */
  readonly #saved = new Map<string, string>()

  constructor(readonly dir: string) {
    this.#store = new FileCheckpointStore(dir)
  }

  load(id: string): Promise<UploadCheckpoint | undefined> {
    return this.#store.load(id)
  }

  async save(id: string, checkpoint: UploadCheckpoint): Promise<void> {
    await this.#store.save(id, checkpoint)
    this.#saved.set(`${checkpoint.bucket}\n${checkpoint.key}`, id)
  }

  lock(id: string): Promise<() => Promise<void>> {
    return this.#store.lock(id)
  }

  async remove(id: string): Promise<void> {
    await this.#store.remove(id)
    for (const [k, v] of this.#saved) if (v === id) this.#saved.delete(k)
  }

  /**
   * The file holding the checkpoint of an upload to `bucket`/`key` (FileCheckpointStore names it after the
   * SHA-1 of its id; checked to exist), else the state dir.
   */
  where(bucket: string, key: string): string {
    const id = this.#saved.get(`${bucket}\n${key}`)
    if (id === undefined) return this.dir
    const file = join(this.dir, `${createHash('sha1').update(id).digest('hex')}.json`)
    return existsSync(file) ? file : this.dir
  }
}
