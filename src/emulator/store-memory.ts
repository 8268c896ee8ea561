/**
 * In-memory backend: a blob is the array of chunks it was received in (no concatenation copies, so a large
 * object costs its size once); clones share the chunks, which is safe because blobs are immutable.
 * @module
 */
import { randomBytes } from 'node:crypto'
import type { Backend, BlobStore, BlobWriter, LoadedState, Persistence } from './store.js'

class MemoryBlobs implements BlobStore {
  private readonly blobs = new Map<string, Buffer[]>()

  async create(): Promise<BlobWriter> {
    let chunks: Buffer[] | undefined = []
    return {
      write: async (chunk) => {
        chunks?.push(chunk)
      },
      commit: async () => {
        const id = randomBytes(12).toString('hex')
        this.blobs.set(id, chunks ?? [])
        chunks = undefined
        return id
      },
      abort: async () => {
        chunks = undefined
      },
    }
  }

  async *read(id: string, start: number, end: number): AsyncGenerator<Uint8Array> {
    const chunks = this.blobs.get(id) ?? []
    let offset = 0
    for (const c of chunks) {
      const cStart = offset
      offset += c.length
      if (offset <= start) continue
      if (cStart >= end) break
      yield c.subarray(Math.max(0, start - cStart), Math.min(c.length, end - cStart))
    }
  }

  async clone(id: string): Promise<string> {
    const copy = randomBytes(12).toString('hex')
    this.blobs.set(copy, this.blobs.get(id) ?? [])
    return copy
  }

  async remove(id: string): Promise<void> {
    this.blobs.delete(id)
  }
}

const NO_PERSISTENCE: Persistence = {
  saveBucket: async () => undefined,
  removeBucket: async () => undefined,
  saveObject: async () => undefined,
  removeObject: async () => undefined,
  saveUpload: async () => undefined,
  removeUpload: async () => undefined,
}

/**
 * A backend that keeps everything in memory and forgets it on close.
 *
 * @example
 * const store = new Store(memoryBackend())
 */
export function memoryBackend(): Backend {
  return {
    blobs: new MemoryBlobs(),
    persist: NO_PERSISTENCE,
    load: async (): Promise<LoadedState> => ({ buckets: [], objects: [], uploads: [] }),
  }
}
