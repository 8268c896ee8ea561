/**
 * Reading a stream in parts for managed uploads, checking its length against the caller's `contentLength`.
 * @module
 */
import { InvalidArgument } from '../core/errors.js'

/**
 * Reads a stream in parts of exactly `partSize` bytes (the last may be shorter), one buffer per part:
 * the caller bounds memory by how many parts it holds at once. With `expectedSize` (the caller's
 * `contentLength`), a stream that ends early or runs past it throws `InvalidArgument` naming `contentLength` as
 * soon as that is known, before the part that proves it is returned: an upload then stores nothing instead of
 * a truncated or padded object.
 * @example
 * const reader = new PartReader(stream, 8 * 1024 * 1024, contentLength)
 * for (let part; (part = await reader.next()); ) send(part)
 */
export class PartReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  #leftover: Uint8Array | undefined
  #done = false
  #total = 0
  readonly #free: Uint8Array[] = []

  constructor(stream: ReadableStream<Uint8Array>, readonly partSize: number, readonly expectedSize?: number) {
    this.#reader = stream.getReader()
  }

  /** The next part, or undefined at the end of the stream. */
  async next(): Promise<Uint8Array | undefined> {
    const part = await this.#fill()
    this.#total += part?.length ?? 0
    if (this.expectedSize !== undefined) await this.#checkLength(this.expectedSize)
    return part
  }

  async #fill(): Promise<Uint8Array | undefined> {
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

  async #checkLength(expected: number): Promise<void> {
    const total = this.#total
    let longer = total > expected
    // Exactly the declared length so far: one more read tells whether the stream really ends there.
    if (total === expected) longer = !(await this.atEnd())
    else if (!longer && this.#done && !this.#leftover) {
      throw new InvalidArgument(`contentLength is ${expected} but the stream ended after ${total} bytes`)
    }
    if (longer) throw new InvalidArgument(`contentLength is ${expected} but the stream has more bytes than that`)
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
    if (value.length === 0) return this.atEnd()
    this.#leftover = value
    return false
  }

  /** Stops reading and cancels the stream. */
  async cancel(reason?: unknown): Promise<void> {
    this.#done = true
    this.#leftover = undefined
    await this.#reader.cancel(reason).catch(() => {})
  }
}
