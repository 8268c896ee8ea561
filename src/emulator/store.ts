/**
 * The emulator's index of buckets, objects and pending multipart uploads. Bytes live in a {@link BlobStore}
 * (memory or disk); records are written through a {@link Persistence} (no-op in memory, JSON sidecars on disk).
 * Blobs are immutable and owned by exactly one record, so a failed upload never becomes visible: the record that
 * points at a blob is written only after the blob is complete (docs/architecture.md#the-emulator).
 * @module
 */
import { NosError } from './errors.js'
import type { CannedAcl } from './types.js'
import type { CorsRule } from './cors.js'

/** A bucket. */
export interface BucketRecord {
  name: string
  owner: string
  acl: CannedAcl
  location: string
  created: number
  cors?: CorsRule[] | undefined
  /** Instant upload enabled (docs/protocol.md#deduplication-instant-upload). */
  deduplication?: boolean | undefined
}

/** A contiguous piece of an object's bytes (one per multipart part; one for a single PUT). */
export interface Segment {
  blob: string
  size: number
}

/** An object: metadata plus the segments holding its bytes. */
export interface ObjectRecord {
  key: string
  size: number
  /** Lower-case hex, unquoted (docs/protocol.md#etags). */
  etag: string
  lastModified: number
  contentType: string
  /** Stored standard headers (content-disposition, cache-control, ...), lower-case names. */
  headers: Record<string, string>
  /** User metadata without the `x-nos-meta-` prefix, lower-case names. */
  meta: Record<string, string>
  segments: Segment[]
  /** `x-nos-object-md5` sent with Complete, stored as given (docs/protocol.md#multipart-upload). */
  objectMd5?: string | undefined
}

/** An uploaded part. */
export interface PartRecord {
  partNumber: number
  size: number
  etag: string
  lastModified: number
  blob: string
}

/** A pending multipart upload. */
export interface UploadRecord {
  uploadId: string
  bucket: string
  key: string
  owner: string
  initiated: number
  contentType?: string | undefined
  headers: Record<string, string>
  meta: Record<string, string>
  parts: Record<string, PartRecord>
}

/** Receives bytes of a new blob; nothing is visible until {@link BlobWriter.commit}. */
export interface BlobWriter {
  write(chunk: Buffer): Promise<void>
  /** Finishes the blob and returns its id. */
  commit(): Promise<string>
  /** Discards the bytes written so far. Safe to call twice. */
  abort(): Promise<void>
}

/** Immutable byte blobs by id. */
export interface BlobStore {
  create(): Promise<BlobWriter>
  /** Bytes `[start, end)` of a blob. */
  read(id: string, start: number, end: number): AsyncIterable<Uint8Array>
  /** A new id with the same bytes (memory: shared chunks; disk: a hard link). */
  clone(id: string): Promise<string>
  remove(id: string): Promise<void>
}

/** Where records go (nothing in memory mode). */
export interface Persistence {
  saveBucket(rec: BucketRecord): Promise<void>
  removeBucket(name: string): Promise<void>
  saveObject(bucket: string, rec: ObjectRecord): Promise<void>
  removeObject(bucket: string, key: string): Promise<void>
  saveUpload(rec: UploadRecord): Promise<void>
  removeUpload(uploadId: string): Promise<void>
}

/** Records loaded from disk at start-up. */
export interface LoadedState {
  buckets: BucketRecord[]
  objects: Array<{ bucket: string; rec: ObjectRecord }>
  uploads: UploadRecord[]
}

/** A storage backend: blobs plus persistence. */
export interface Backend {
  blobs: BlobStore
  persist: Persistence
  /** Loads records (disk) and deletes blobs no record references (left by a crash). */
  load(): Promise<LoadedState>
}

/** An object's bytes, readable once; `release()` unpins its blobs. */
export interface ObjectReader extends AsyncIterable<Uint8Array> {
  release(): Promise<void>
}

interface BucketState {
  rec: BucketRecord
  objects: Map<string, ObjectRecord>
  sorted: string[] | undefined
}

/**
 * The in-memory index over a backend. Mutations update the index synchronously, then persist, so concurrent
 * requests always see a consistent view.
 */
export class Store {
  private readonly buckets = new Map<string, BucketState>()
  readonly uploads = new Map<string, UploadRecord>()
  /** Blobs being read, with the number of readers; removal waits for them. */
  private readonly pins = new Map<string, number>()
  private readonly doomed = new Set<string>()

  constructor(readonly backend: Backend) {}

  /** Loads what the backend holds. */
  async load(): Promise<void> {
    const state = await this.backend.load()
    for (const b of state.buckets) this.buckets.set(b.name, { rec: b, objects: new Map(), sorted: undefined })
    for (const { bucket, rec } of state.objects) this.buckets.get(bucket)?.objects.set(rec.key, rec)
    for (const u of state.uploads) this.uploads.set(u.uploadId, u)
  }

  get blobs(): BlobStore {
    return this.backend.blobs
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.rec
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].map((b) => b.rec).sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async saveBucket(rec: BucketRecord): Promise<void> {
    const state = this.buckets.get(rec.name)
    if (state) state.rec = rec
    else this.buckets.set(rec.name, { rec, objects: new Map(), sorted: undefined })
    await this.backend.persist.saveBucket(rec)
  }

  /** True when the bucket holds objects or pending uploads (both block deletion, docs/protocol.md#buckets). */
  bucketInUse(name: string): boolean {
    const state = this.buckets.get(name)
    if (state && state.objects.size > 0) return true
    for (const u of this.uploads.values()) if (u.bucket === name) return true
    return false
  }

  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name)
    await this.backend.persist.removeBucket(name)
  }

  object(bucket: string, key: string): ObjectRecord | undefined {
    return this.buckets.get(bucket)?.objects.get(key)
  }

  /** Keys of a bucket in UTF-8 byte order (cached until the key set changes). */
  sortedKeys(bucket: string): string[] {
    const state = this.buckets.get(bucket)
    if (!state) return []
    state.sorted ??= [...state.objects.keys()].sort(compareKeys)
    return state.sorted
  }

  /** Stores (or replaces) an object; the replaced object's blobs are freed. */
  async putObject(bucket: string, rec: ObjectRecord): Promise<void> {
    const state = this.buckets.get(bucket)
    if (!state) {
      await this.freeSegments(rec.segments)
      throw new NosError('NoSuchBucket')
    }
    const old = state.objects.get(rec.key)
    if (!old) state.sorted = undefined
    state.objects.set(rec.key, rec)
    await this.backend.persist.saveObject(bucket, rec)
    // Blobs the new record still uses (PUT ?meta keeps the bytes) must survive.
    if (old) await this.freeSegments(old.segments.filter((s) => !rec.segments.some((n) => n.blob === s.blob)))
  }

  /** Removes an object from the index; `keepBlobs` when its segments moved to another record. */
  async deleteObject(bucket: string, key: string, keepBlobs = false): Promise<ObjectRecord | undefined> {
    const state = this.buckets.get(bucket)
    const old = state?.objects.get(key)
    if (!state || !old) return undefined
    state.objects.delete(key)
    state.sorted = undefined
    await this.backend.persist.removeObject(bucket, key)
    if (!keepBlobs) await this.freeSegments(old.segments)
    return old
  }

  async saveUpload(rec: UploadRecord): Promise<void> {
    this.uploads.set(rec.uploadId, rec)
    await this.backend.persist.saveUpload(rec)
  }

  /** Forgets an upload and frees its parts. */
  async removeUpload(rec: UploadRecord): Promise<void> {
    this.uploads.delete(rec.uploadId)
    await this.backend.persist.removeUpload(rec.uploadId)
    for (const p of Object.values(rec.parts)) await this.freeBlob(p.blob)
  }

  /**
   * Bytes `[start, end)` of an object across its segments. Its blobs are pinned from this call until
   * `release()`, so a concurrent overwrite or delete cannot pull them away mid-read (the caller must release,
   * whether or not it iterated).
   */
  readObject(rec: ObjectRecord, start: number, end: number): ObjectReader {
    const ids = rec.segments.map((s) => s.blob)
    for (const id of ids) this.pins.set(id, (this.pins.get(id) ?? 0) + 1)
    let released = false
    const blobs = this.blobs
    async function* iterate(): AsyncGenerator<Uint8Array> {
      let offset = 0
      for (const seg of rec.segments) {
        const segStart = offset
        offset += seg.size
        if (offset <= start || segStart >= end || seg.size === 0) continue
        yield* blobs.read(seg.blob, Math.max(start, segStart) - segStart, Math.min(end, offset) - segStart)
      }
    }
    return {
      [Symbol.asyncIterator]: () => iterate(),
      release: async () => {
        if (released) return
        released = true
        for (const id of ids) {
          const n = (this.pins.get(id) ?? 1) - 1
          if (n > 0) this.pins.set(id, n)
          else {
            this.pins.delete(id)
            if (this.doomed.delete(id)) await this.blobs.remove(id).catch(() => undefined)
          }
        }
      },
    }
  }

  async freeSegments(segments: Segment[]): Promise<void> {
    for (const s of segments) await this.freeBlob(s.blob)
  }

  /** Removes a blob now, or when its last reader finishes. */
  async freeBlob(id: string): Promise<void> {
    if (this.pins.has(id)) this.doomed.add(id)
    else await this.blobs.remove(id).catch(() => undefined)
  }
}

/**
 * Compares keys by UTF-8 byte order (NOS and S3 list in binary order); UTF-16 order differs only for
 * astral characters versus U+E000-U+FFFF, handled by comparing code points.
 *
 * @example
 * ['b', 'a'].sort(compareKeys) // ['a', 'b']
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x < y ? -1 : 1
    if (x > 0xffff) i++
  }
  return a.length < b.length ? -1 : 1
}
