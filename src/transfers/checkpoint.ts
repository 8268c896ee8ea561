/**
 * Upload checkpoints: JSON-serialisable state of a multipart upload, and where to keep them.
 * Browser (`localStorage`) and Node (files) stores live in the runtime entries.
 * @module
 */

/** Everything needed to resume a multipart upload. Contains no handle to the source: only a fingerprint of it. */
export interface UploadCheckpoint {
  version: 1
  bucket: string
  key: string
  uploadId: string
  partSize: number
  /** Source size when known. */
  size: number | undefined
  /** Size, name, modification time and a hash of samples of the source (random-access sources). */
  fingerprint: string
  /** Parts known to be uploaded. */
  parts: { partNum: number; etag: string; size: number }[]
  createdAt: string
}

/** Where checkpoints live between sessions; `T` is the kind kept (multipart uploads by default, or direct uploads). */
export interface CheckpointStore<T = UploadCheckpoint> {
  load(id: string): Promise<T | undefined>
  save(id: string, checkpoint: T): Promise<void>
  remove(id: string): Promise<void>
  /**
   * Optional: an exclusive lock on `id` for the length of one upload, for stores shared by several processes
   * (`FileCheckpointStore`). Resolves with the release; rejects when another holder has it.
   */
  lock?(id: string): Promise<() => Promise<void>>
}

/**
 * Checkpoints in memory (for pause/resume within one process or page).
 * @example
 * const store = new MemoryCheckpointStore()
 * await client.upload({ bucket, key, body, checkpoint: store })
 */
export class MemoryCheckpointStore<T = UploadCheckpoint> implements CheckpointStore<T> {
  readonly #map = new Map<string, string>()
  async load(id: string): Promise<T | undefined> {
    const v = this.#map.get(id)
    return v ? (JSON.parse(v) as T) : undefined
  }
  async save(id: string, checkpoint: T): Promise<void> {
    this.#map.set(id, JSON.stringify(checkpoint))
  }
  async remove(id: string): Promise<void> {
    this.#map.delete(id)
  }
  /** Ids currently stored. */
  keys(): string[] {
    return [...this.#map.keys()]
  }
}

/** Checks that a value read from a store is a checkpoint. */
export function isCheckpoint(v: unknown): v is UploadCheckpoint {
  const c = v as UploadCheckpoint
  return (
    typeof c === 'object' && c !== null && c.version === 1 && typeof c.uploadId === 'string' && typeof c.bucket === 'string' &&
    typeof c.key === 'string' && Number.isInteger(c.partSize) && Array.isArray(c.parts)
  )
}

/**
 * A stored value of a kind the SDK writes: a managed-upload checkpoint, or a direct-upload one (`kind: 'direct'`,
 * checked in full by `directUpload` before use). What the stores load by default.
 * @example
 * isKnownCheckpoint(JSON.parse(localStorage.getItem(id) ?? 'null')) // false for anything else
 */
export function isKnownCheckpoint(v: unknown): boolean {
  return isCheckpoint(v) || (typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'direct')
}
