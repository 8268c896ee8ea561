/**
 * Upload sources for managed transfers: random-access (bytes, Blob/File, files through `nos-sdk/node`), which allow
 * parallel parts and resume, and sequential (streams, async iterables) of known or unknown length.
 * @module
 */
import { iterableToStream, type BodyInput } from '../body.js'
import { utf8 } from '../encoding.js'
import { FileOpenModeError } from '../errors.js'

/** A source whose bytes can be read at any offset. */
export interface RandomAccessSource {
  readonly kind: 'random'
  readonly size: number
  /** For fingerprints: a file name and modification time, when known. */
  readonly name?: string | undefined
  readonly lastModified?: number | undefined
  /** Bytes `[start, end)`; a Blob slice is returned as a Blob (sent without being read into memory). */
  read(start: number, end: number): Promise<Uint8Array | Blob>
  /** Releases resources (an open file). */
  close?(): Promise<void>
}

/** A source read front to back once. */
export interface SequentialSource {
  readonly kind: 'sequential'
  /** Total bytes when known (a stream with `contentLength`). */
  readonly size: number | undefined
  readonly stream: ReadableStream<Uint8Array>
}

export type UploadSource = RandomAccessSource | SequentialSource

/** Random access over bytes in memory. */
export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return { kind: 'random', size: bytes.length, read: async (s, e) => bytes.subarray(s, e) }
}

/** Random access over a Blob or File (slices are sent as Blobs: nothing is read into memory). */
export function blobSource(blob: Blob): RandomAccessSource {
  const file = blob as Blob & { name?: string; lastModified?: number }
  return { kind: 'random', size: blob.size, name: file.name, lastModified: file.lastModified, read: async (s, e) => blob.slice(s, e) }
}

function isSource(x: unknown): x is UploadSource {
  return typeof x === 'object' && x !== null && ((x as UploadSource).kind === 'random' || (x as UploadSource).kind === 'sequential') && !(x instanceof Uint8Array)
}

/**
 * Turns an upload body into a source. Plain objects are sent as JSON; `contentLength` gives a stream's size.
 * @example
 * toSource(new Uint8Array(10)).size // 10
 */
export function toSource(body: BodyInput | UploadSource, contentLength?: number): UploadSource {
  if (isSource(body)) return body
  if (typeof body === 'string') return bytesSource(utf8(body))
  if (body instanceof Uint8Array) return bytesSource(body)
  if (body instanceof ArrayBuffer) return bytesSource(new Uint8Array(body))
  if (ArrayBuffer.isView(body)) return bytesSource(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
  if (typeof Blob !== 'undefined' && body instanceof Blob) return blobSource(body)
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return { kind: 'sequential', size: contentLength, stream: body }
  if (body && typeof body === 'object' && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return { kind: 'sequential', size: contentLength, stream: iterableToStream(body as AsyncIterable<Uint8Array>) }
  }
  if (body && typeof body === 'object') {
    try {
      return bytesSource(utf8(JSON.stringify(body)))
    } catch (e) {
      throw new FileOpenModeError(`body could not be serialised to JSON: ${String(e)}`, { cause: e })
    }
  }
  throw new FileOpenModeError(`upload body of type ${typeof body} is not supported: use bytes, a string, a Blob/File, a stream or an async iterable`)
}

/**
 * Reads a stream in parts of exactly `partSize` bytes (the last may be shorter), one buffer per part:
 * the caller bounds memory by how many parts it holds at once.
 */
export class PartReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  #leftover: Uint8Array | undefined
  #done = false
  readonly #free: Uint8Array[] = []

  constructor(stream: ReadableStream<Uint8Array>, readonly partSize: number) {
    this.#reader = stream.getReader()
  }

  /** The next part, or undefined at the end of the stream. */
  async next(): Promise<Uint8Array | undefined> {
    if (this.#done && !this.#leftover) return undefined
    const buf = this.#free.pop() ?? new Uint8Array(this.partSize)
    let filled = 0
    while (filled < this.partSize) {
      let chunk = this.#leftover
      this.#leftover = undefined
      if (!chunk) {
        if (this.#done) break
        const { done, value } = await this.#reader.read()
        if (done) {
          this.#done = true
          break
        }
        chunk = value
      }
      const take = Math.min(chunk.length, this.partSize - filled)
      buf.set(chunk.subarray(0, take), filled)
      filled += take
      if (take < chunk.length) this.#leftover = chunk.subarray(take)
    }
    if (filled === 0) return undefined
    return filled === this.partSize ? buf : buf.subarray(0, filled)
  }

  /**
   * Gives back a part returned by `next()` once nothing reads it any more (its request is finished), so the next
   * part reuses its memory instead of allocating: without it, finished parts become garbage faster than V8 collects
   * external memory, and RSS grows by several parts beyond `concurrency x partSize` (bench/fig-stream-rss.ts).
   */
  recycle(part: Uint8Array): void {
    if (part.byteOffset === 0 && part.buffer.byteLength === this.partSize) this.#free.push(new Uint8Array(part.buffer, 0, this.partSize))
  }

  /** True when the stream has no more bytes (reads at most one chunk ahead to find out). */
  async atEnd(): Promise<boolean> {
    if (this.#leftover) return false
    if (this.#done) return true
    const { done, value } = await this.#reader.read()
    if (done) {
      this.#done = true
      return true
    }
    this.#leftover = value
    return value.length === 0 ? this.atEnd() : false
  }

  /** Stops reading and cancels the stream. */
  async cancel(reason?: unknown): Promise<void> {
    this.#done = true
    this.#leftover = undefined
    await this.#reader.cancel(reason).catch(() => {})
  }
}
