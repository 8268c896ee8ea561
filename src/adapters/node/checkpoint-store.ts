/**
 * Checkpoints as JSON files, so an upload survives a process restart.
 * @module
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import { isKnownCheckpoint, type CheckpointStore, type UploadCheckpoint } from '../../transfers/checkpoint.js'
import { acquireLock } from './checkpoint-lock.js'

/** Makes temporary file names unique within the process. */
let tmpCounter = 0

/**
 * Stores each checkpoint in `<dir>/<sha1 of id>.json`, written to a temporary file then renamed (a crash never
 * leaves a torn checkpoint). While an upload runs, `<dir>/<sha1 of id>.lock` names its process: a second process
 * (or upload) of the same destination gets `UploadInProgressError` instead of breaking the first (checkpoint-lock.ts). Keeps managed-upload checkpoints (the default `T`) or direct-upload ones; a file
 * holding neither loads as undefined (pass `accept` to keep another kind).
 * @example
 * const store = new FileCheckpointStore('.nos-checkpoints')
 * await client.upload({ bucket, key, body: await fileSource(path), checkpoint: store })
 */
export class FileCheckpointStore<T = UploadCheckpoint> implements CheckpointStore<T> {
  readonly #accept: (v: unknown) => boolean
  constructor(readonly dir: string, accept?: (v: unknown) => v is T) {
    this.#accept = accept ?? (isKnownCheckpoint)
  }

  #file(id: string, ext = '.json'): string {
    return join(this.dir, createHash('sha1').update(id).digest('hex') + ext)
  }

  /**
   * Takes the exclusive lock of `id` for one upload; resolves with its release. Rejects with
   * `UploadInProgressError` while a live process holds it; the lock of a process that is gone is taken over.
   */
  lock(id: string): Promise<() => Promise<void>> {
    return acquireLock(this.#file(id, '.lock'), id, this.dir)
  }

  async load(id: string): Promise<T | undefined> {
    try {
      const v = JSON.parse(await readFile(this.#file(id), 'utf8')) as unknown
      return this.#accept(v) ? (v as T) : undefined
    } catch {
      return undefined
    }
  }

  async save(id: string, checkpoint: T): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const file = this.#file(id)
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`
    await writeFile(tmp, JSON.stringify(checkpoint))
    await rename(tmp, file)
  }

  async remove(id: string): Promise<void> {
    const file = this.#file(id)
    await rm(file, { force: true })
    // A process killed while saving leaves its temporary file behind: remove those of this checkpoint too.
    const stem = basename(file) + '.'
    const stale = (await readdir(this.dir).catch(() => [] as string[])).filter((f) => f.startsWith(stem) && f.endsWith('.tmp'))
    await Promise.all(stale.map((f) => rm(join(this.dir, f), { force: true })))
  }
}
