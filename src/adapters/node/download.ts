/**
 * Resumable parallel downloads to a file: ranged GETs (run by the managed-transfer scheduler, src/transfers/
 * scheduler.ts, as upload parts are) written at their offsets into `<path>.nosdl`, with the
 * progress kept in `<path>.nosdl.json`. The object's ETag and size are pinned, so an object that changes between
 * (or during) sessions is detected instead of mixed.
 * @module
 */
import { open, readFile, rename, rm, writeFile, stat, type FileHandle } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { createHash } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import type { NosClient } from '../../client/nos-client.js'
import { ClientException, InvalidArgument } from '../../core/errors.js'
import { Scheduler } from '../../transfers/scheduler.js'

/** The object changed while it was being downloaded. */
export class ObjectChangedError extends ClientException {}
Object.defineProperty(ObjectChangedError.prototype, 'name', { value: 'ObjectChangedError', writable: true, configurable: true })
/** The server answered a ranged GET with other bytes than the range (it ignored `Range`, or sent more). */
export class RangeIgnoredError extends ClientException {}
Object.defineProperty(RangeIgnoredError.prototype, 'name', { value: 'RangeIgnoredError', writable: true, configurable: true })

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
 * await downloadFile(client, { bucket: 'my-bucket', key: 'big.iso', path: '/tmp/big.iso', concurrency: 8 }) // type-check only: writes a file
 */
export async function downloadFile(client: NosClient, p: DownloadFileParams): Promise<DownloadFileResult> {
  const concurrency = p.concurrency ?? 4
  const partSize = p.partSize ?? 8 * 1024 * 1024
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new InvalidArgument('concurrency must be an integer from 1 to 64')
  if (!Number.isInteger(partSize) || partSize < 1) throw new InvalidArgument('partSize must be a positive integer')
  if (typeof p.path !== 'string' || !p.path) throw new InvalidArgument('path is required')
  await checkDestination(p.path, p.key)
  const head = await client.headObject({ bucket: p.bucket, key: p.key, signal: p.signal })
  const { contentLength: size, etag } = head
  const tmp = `${p.path}.nosdl`
  const state = await resumableState(p, tmp, { bucket: p.bucket, key: p.key, etag, size, partSize, done: [] })
  const fetched = await fetchRanges(client, p, state, tmp, concurrency)
  const md5 = await fileMd5(tmp)
  if (p.verifyMd5 && md5 !== etag) {
    throw new ObjectChangedError(`${p.key}: downloaded MD5 ${md5} differs from the ETag ${etag}`)
  }
  await rename(tmp, p.path)
  await rm(`${tmp}.json`, { force: true })
  return { path: p.path, size, etag, md5, md5MatchesEtag: md5 === etag, bytesFetched: fetched }
}

/** The destination must be a file path in an existing directory: checked before any request or partial file. */
async function checkDestination(path: string, key: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  if (st?.isDirectory()) {
    throw new InvalidArgument(`path ${JSON.stringify(path)} is a directory: give the path of the file to write, e.g. ${JSON.stringify(join(path, basename(key) || 'download'))}`)
  }
  const parent = await stat(dirname(path)).catch(() => undefined)
  if (!parent?.isDirectory()) throw new InvalidArgument(`path ${JSON.stringify(path)} is not in an existing directory: create ${JSON.stringify(dirname(path))} first`)
}

/** The saved state when it is for the same object version and settings, else `fresh` (and no partial file). */
async function resumableState(p: DownloadFileParams, tmp: string, fresh: State): Promise<State> {
  try {
    const state = JSON.parse(await readFile(`${tmp}.json`, 'utf8')) as State
    const tmpSize = (await stat(tmp)).size
    const same = (['bucket', 'key', 'etag', 'size', 'partSize'] as const).every((k) => state[k] === fresh[k])
    if (same && tmpSize === fresh.size && Array.isArray(state.done)) return state
  } catch {
    // nothing to resume
  }
  // Nothing to resume (or the object changed): start over.
  await rm(tmp, { force: true })
  return fresh
}

/** Fetches the ranges not yet done through the scheduler, saving the state after each; returns the bytes fetched. */
async function fetchRanges(client: NosClient, p: DownloadFileParams, state: State, tmp: string, concurrency: number): Promise<number> {
  const { size, partSize } = state
  const fh = await open(tmp, state.done.length ? 'r+' : 'w+')
  const done = new Set(state.done)
  const progress = { loaded: [...done].reduce((n, i) => n + Math.min(partSize, size - i * partSize), 0), fetched: 0 }
  const scheduler = new Scheduler(concurrency, p.signal)
  let saving = Promise.resolve()
  const save = () => {
    const snapshot = JSON.stringify({ ...state, done: [...done].sort((a, b) => a - b) })
    saving = saving.then(() => writeFile(`${tmp}.json`, snapshot))
    return saving
  }
  try {
    await fh.truncate(size)
    p.onProgress?.({ loaded: progress.loaded, total: size })
    const job = { client, p, fh, etag: state.etag, size, partSize, progress }
    for (let i = 0; i < Math.ceil(size / partSize); i++) {
      if (done.has(i)) continue
      await scheduler.run(async (signal) => {
        await fetchRange(job, i, signal)
        done.add(i)
        await save()
      })
    }
    await scheduler.drain()
    await save()
    return progress.fetched
  } finally {
    // Every range has settled (the first failure aborted the others) before the file is closed.
    await scheduler.close()
    await fh.close()
  }
}

interface RangeJob {
  client: NosClient
  p: DownloadFileParams
  fh: FileHandle
  etag: string
  size: number
  partSize: number
  progress: { loaded: number; fetched: number }
}

/**
 * A ranged answer must be that range: `Content-Range: bytes start-end/size`, or a whole-object 200 when the range is
 * the whole object. A server that ignores `Range` answers 200 with everything: caught here, before a byte is written.
 */
function checkRange(obj: { contentRange: string | undefined }, p: DownloadFileParams, start: number, end: number, size: number): void {
  const want = `bytes ${start}-${end}/${size}`
  if (obj.contentRange === undefined ? start === 0 && end === size - 1 : obj.contentRange.replace(/\s+/g, ' ').trim() === want) return
  const got = obj.contentRange === undefined ? 'the whole object (no Content-Range: the server ignored Range)' : `Content-Range ${obj.contentRange}`
  throw new RangeIgnoredError(`${p.key}: asked for ${want}, got ${got}; a download in ranges needs a server that honours Range (use concurrency 1 and a partSize of at least the object's size to read it in one GET)`)
}

/**
 * Reads a body chunk by chunk, every read raced against `signal`: an abort settles at once even when the stream
 * never does (Node 20's undici can leave a body pending when an abort lands just after its last chunk). The stream
 * is then cancelled without waiting for it.
 */
async function* abortableChunks(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  let onAbort!: () => void
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  aborted.catch(() => {})
  let finished = false
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), aborted])
      if (next.done) return void (finished = true)
      yield next.value
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    if (!finished) reader.cancel(signal.reason).catch(() => {})
  }
}

/** Fetches range `i` into the file at its offset. */
async function fetchRange(job: RangeJob, i: number, signal: AbortSignal): Promise<void> {
  const { p, etag, progress } = job
  const start = i * job.partSize
  const end = Math.min(job.size, start + job.partSize) - 1
  const obj = await job.client.getObject({ bucket: p.bucket, key: p.key, range: { start, end }, signal })
  try {
    if (obj.etag && obj.etag !== etag) throw new ObjectChangedError(`${p.key} changed during the download (ETag ${etag} -> ${obj.etag}); run it again to start over`)
    checkRange(obj, p, start, end, job.size)
  } catch (e) {
    obj.body.cancel().catch(() => {})
    throw e
  }
  let pos = start
  for await (const c of abortableChunks(obj.body, signal)) {
    if (pos + c.length > end + 1) throw new RangeIgnoredError(`${p.key}: the answer for bytes ${start}-${end} goes on past byte ${end}`)
    await job.fh.write(c, 0, c.length, pos)
    pos += c.length
    progress.loaded += c.length
    progress.fetched += c.length
    p.onProgress?.({ loaded: progress.loaded, total: job.size })
    // The range is complete once its bytes are in: its end is not waited for (a stream may never end, see above).
    if (pos === end + 1) break
  }
  if (pos !== end + 1) throw new ClientException(`short read of ${p.key} bytes ${start}-${end}: got ${pos - start}`)
}
