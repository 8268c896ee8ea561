/**
 * Resumable parallel downloads to a file: ranged GETs written at their offsets into `<path>.nosdl`, with the
 * progress kept in `<path>.nosdl.json`. The object's ETag and size are pinned, so an object that changes between
 * (or during) sessions is detected instead of mixed.
 * @module
 */
import { open, readFile, rename, rm, writeFile, stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { createHash } from 'node:crypto'
import type { NosClient } from '../../client.js'
import { ClientException, InvalidArgument } from '../../errors.js'

/** The object changed while it was being downloaded. */
export class ObjectChangedError extends ClientException {}
Object.defineProperty(ObjectChangedError.prototype, 'name', { value: 'ObjectChangedError', writable: true, configurable: true })

/** Parameters of `downloadFile`. */
export interface DownloadFileParams {
  bucket: string
  key: string
  /** Destination file; written only once complete (renamed from `<path>.nosdl`). */
  path: string
  /** Ranged GETs in flight; default 4. */
  concurrency?: number
  /** Bytes per ranged GET; default 8 MiB. */
  partSize?: number
  onProgress?: (p: { loaded: number; total: number }) => void
  /** Aborting keeps the partial file and its state, so the next call resumes. */
  signal?: AbortSignal
  /**
   * Compare the file's MD5 with the object's ETag and throw `ObjectChangedError` on mismatch. NOS ETags are the
   * MD5 for single-PUT objects only (multipart ETags are an MD5 of part MD5s), so this is for objects known to be
   * single-part; default false (the MD5 is still reported).
   */
  verifyMd5?: boolean
}

/** Result of `downloadFile`. */
export interface DownloadFileResult {
  path: string
  size: number
  etag: string
  md5: string
  /** True when the MD5 equals the ETag (always the case for single-PUT objects). */
  md5MatchesEtag: boolean
  /** Bytes fetched in this call (less than `size` when it resumed). */
  bytesFetched: number
}

interface State {
  bucket: string
  key: string
  etag: string
  size: number
  partSize: number
  done: number[]
}

async function fileMd5(path: string): Promise<string> {
  const h = createHash('md5')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer)
  return h.digest('hex')
}

/**
 * Downloads an object to a file with parallel ranged GETs; a second call after an interruption resumes.
 * @example
 * await downloadFile(client, { bucket: 'b', key: 'big.iso', path: '/tmp/big.iso', concurrency: 8 })
 */
export async function downloadFile(client: NosClient, p: DownloadFileParams): Promise<DownloadFileResult> {
  const concurrency = p.concurrency ?? 4
  const partSize = p.partSize ?? 8 * 1024 * 1024
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new InvalidArgument('concurrency must be an integer from 1 to 64')
  if (!Number.isInteger(partSize) || partSize < 1) throw new InvalidArgument('partSize must be a positive integer')
  if (typeof p.path !== 'string' || !p.path) throw new InvalidArgument('path is required')
  const head = await client.headObject({ bucket: p.bucket, key: p.key, signal: p.signal })
  const { contentLength: size, etag } = head
  const tmp = `${p.path}.nosdl`
  const stateFile = `${tmp}.json`
  let state: State | undefined
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as State
    const tmpSize = (await stat(tmp)).size
    if (state.etag !== etag || state.size !== size || state.partSize !== partSize || state.bucket !== p.bucket || state.key !== p.key || tmpSize !== size) state = undefined
  } catch {
    state = undefined
  }
  if (!state) {
    // Nothing to resume (or the object changed): start over.
    state = { bucket: p.bucket, key: p.key, etag, size, partSize, done: [] }
    await rm(tmp, { force: true })
  }
  const fh = await open(tmp, state.done.length ? 'r+' : 'w+')
  let fetched = 0
  try {
    await fh.truncate(size)
    const chunks = Math.ceil(size / partSize)
    const done = new Set(state.done)
    let loaded = [...done].reduce((n, i) => n + Math.min(partSize, size - i * partSize), 0)
    p.onProgress?.({ loaded, total: size })
    let next = 0
    let saving = Promise.resolve()
    const save = () => {
      state!.done = [...done].sort((a, b) => a - b)
      const snapshot = JSON.stringify(state)
      saving = saving.then(() => writeFile(stateFile, snapshot))
      return saving
    }
    const worker = async () => {
      for (;;) {
        const i = next++
        if (i >= chunks) return
        if (done.has(i)) continue
        const start = i * partSize
        const end = Math.min(size, start + partSize) - 1
        const obj = await client.getObject({ bucket: p.bucket, key: p.key, range: { start, end }, signal: p.signal })
        if (obj.etag && obj.etag !== etag) {
          await obj.body.cancel()
          throw new ObjectChangedError(`${p.key} changed during the download (ETag ${etag} -> ${obj.etag}); run it again to start over`)
        }
        let pos = start
        for await (const c of obj.body as unknown as AsyncIterable<Uint8Array>) {
          await fh.write(c, 0, c.length, pos)
          pos += c.length
          loaded += c.length
          fetched += c.length
          p.onProgress?.({ loaded, total: size })
        }
        if (pos !== end + 1) throw new ClientException(`short read of ${p.key} bytes ${start}-${end}: got ${pos - start}`)
        done.add(i)
        await save()
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, chunks)) }, worker))
    await save()
  } finally {
    await fh.close()
  }
  const md5 = await fileMd5(tmp)
  if (p.verifyMd5 && md5 !== etag) {
    throw new ObjectChangedError(`${p.key}: downloaded MD5 ${md5} differs from the ETag ${etag}`)
  }
  await rename(tmp, p.path)
  await rm(stateFile, { force: true })
  return { path: p.path, size, etag, md5, md5MatchesEtag: md5 === etag, bytesFetched: fetched }
}
