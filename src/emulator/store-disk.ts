/**
 * On-disk backend. Layout under `dataDir`:
 * `blobs/<id>` (immutable bytes), `buckets/<name>.json`, `objects/<bucket>/<sha256(key)>.json`,
 * `uploads/<uploadId>.json`, `tmp/` (in-flight writes).
 * Bytes are streamed into `tmp/` and renamed into `blobs/` when complete; a record (the thing that makes an
 * object visible) is written to `tmp/` and renamed over the old one, so a crash never shows a half object.
 * Blobs no record references (a crash between the two renames) are deleted at the next start.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { link, mkdir, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Backend, BlobStore, BlobWriter, BucketRecord, LoadedState, ObjectRecord, Persistence, UploadRecord } from './store.js'

const newId = (): string => randomBytes(12).toString('hex')

class DiskBlobs implements BlobStore {
  constructor(private readonly dir: string) {}

  private path(id: string): string {
    if (!/^[0-9a-f]{24}$/.test(id)) throw new Error(`bad blob id ${id}`)
    return join(this.dir, 'blobs', id)
  }

  async create(): Promise<BlobWriter> {
    const id = newId()
    const tmp = join(this.dir, 'tmp', `${id}.part`)
    const out: WriteStream = createWriteStream(tmp)
    let failure: Error | undefined
    out.on('error', (e) => (failure = e))
    let done = false
    return {
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure)
          if (out.write(chunk)) resolve()
          else {
            const onDrain = (): void => {
              out.off('error', onError)
              resolve()
            }
            const onError = (e: Error): void => {
              out.off('drain', onDrain)
              reject(e)
            }
            out.once('drain', onDrain)
            out.once('error', onError)
          }
        }),
      commit: async () => {
        await new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure)
          out.end((e?: Error | null) => (e ? reject(e) : resolve()))
        })
        done = true
        await rename(tmp, this.path(id))
        return id
      },
      abort: async () => {
        if (done) return
        done = true
        // A stream destroyed while its file is still being opened creates the file after an immediate unlink
        // (seen on a loaded machine): unlink once the stream has closed.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy())
        await unlink(tmp).catch(() => undefined)
      },
    }
  }

  async *read(id: string, start: number, end: number): AsyncGenerator<Uint8Array> {
    if (end <= start) return
    yield* createReadStream(this.path(id), { start, end: end - 1 }) as AsyncIterable<Buffer>
  }

  async clone(id: string): Promise<string> {
    const copy = newId()
    // Blobs are immutable, so a hard link is a correct and instant copy.
    await link(this.path(id), this.path(copy))
    return copy
  }

  async remove(id: string): Promise<void> {
    await unlink(this.path(id)).catch(() => undefined)
  }
}

/** Serialises writes per file so that the last requested content always lands last. */
class AtomicJson {
  private readonly chains = new Map<string, Promise<void>>()
  constructor(private readonly tmpDir: string) {}

  write(path: string, data: unknown): Promise<void> {
    return this.enqueue(path, async () => {
      const tmp = join(this.tmpDir, `${newId()}.json`)
      await writeFile(tmp, JSON.stringify(data))
      await rename(tmp, path)
    })
  }

  remove(path: string): Promise<void> {
    return this.enqueue(path, () => rm(path, { force: true }))
  }

  private enqueue(path: string, job: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(path) ?? Promise.resolve()
    const next = prev.then(job, job)
    this.chains.set(path, next)
    void next.finally(() => {
      if (this.chains.get(path) === next) this.chains.delete(path)
    }).catch(() => undefined)
    return next
  }
}

const keyFile = (key: string): string => `${createHash('sha256').update(key).digest('hex')}.json`

class DiskPersistence implements Persistence {
  private readonly json: AtomicJson
  constructor(private readonly dir: string) {
    this.json = new AtomicJson(join(dir, 'tmp'))
  }

  async saveBucket(rec: BucketRecord): Promise<void> {
    await mkdir(join(this.dir, 'objects', rec.name), { recursive: true })
    await this.json.write(join(this.dir, 'buckets', `${rec.name}.json`), rec)
  }

  async removeBucket(name: string): Promise<void> {
    await this.json.remove(join(this.dir, 'buckets', `${name}.json`))
    await rm(join(this.dir, 'objects', name), { recursive: true, force: true })
  }

  saveObject(bucket: string, rec: ObjectRecord): Promise<void> {
    return this.json.write(join(this.dir, 'objects', bucket, keyFile(rec.key)), rec)
  }

  removeObject(bucket: string, key: string): Promise<void> {
    return this.json.remove(join(this.dir, 'objects', bucket, keyFile(key)))
  }

  saveUpload(rec: UploadRecord): Promise<void> {
    return this.json.write(join(this.dir, 'uploads', `${rec.uploadId}.json`), rec)
  }

  removeUpload(uploadId: string): Promise<void> {
    return this.json.remove(join(this.dir, 'uploads', `${uploadId}.json`))
  }
}

async function readJsonDir<T>(dir: string): Promise<T[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const out: T[] = []
  for (const n of names) {
    if (!n.endsWith('.json')) continue
    try {
      out.push(JSON.parse(await readFile(join(dir, n), 'utf8')) as T)
    } catch {
      // A record is renamed into place whole, so an unreadable one was never valid: skip it.
    }
  }
  return out
}

/**
 * A backend persisting to `dataDir`; buckets, objects and pending multipart uploads survive a restart.
 *
 * @example
 * const store = new Store(diskBackend('/tmp/nos-data'))
 * await store.load()
 */
export function diskBackend(dataDir: string): Backend {
  return {
    blobs: new DiskBlobs(dataDir),
    persist: new DiskPersistence(dataDir),
    async load(): Promise<LoadedState> {
      for (const d of ['blobs', 'buckets', 'objects', 'uploads']) await mkdir(join(dataDir, d), { recursive: true })
      // Whatever is in tmp/ was being written when the previous process stopped: never visible, discard.
      await rm(join(dataDir, 'tmp'), { recursive: true, force: true })
      await mkdir(join(dataDir, 'tmp'), { recursive: true })
      const buckets = await readJsonDir<BucketRecord>(join(dataDir, 'buckets'))
      const objects: LoadedState['objects'] = []
      for (const b of buckets) {
        for (const rec of await readJsonDir<ObjectRecord>(join(dataDir, 'objects', b.name))) objects.push({ bucket: b.name, rec })
      }
      const uploads = await readJsonDir<UploadRecord>(join(dataDir, 'uploads'))
      const used = new Set<string>()
      for (const { rec } of objects) for (const s of rec.segments) used.add(s.blob)
      for (const u of uploads) for (const p of Object.values(u.parts)) used.add(p.blob)
      for (const id of await readdir(join(dataDir, 'blobs'))) {
        if (!used.has(id)) await unlink(join(dataDir, 'blobs', id)).catch(() => undefined)
      }
      return { buckets, objects, uploads }
    },
  }
}
