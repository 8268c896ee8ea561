/**
 * Chunks of a direct upload's source, read at the offset NOS asks for: any offset of a random-access source
 * (bytes, Blob/File, file), and within the current chunk of a stream (which holds one chunk read ahead so that the
 * last chunk is known when it is sent).
 * @module
 */
import { ClientException, InvalidArgument } from '../core/errors.js'
import { PartReader } from '../transfers/part-reader.js'
import type { RandomAccessSource, SequentialSource, UploadSource } from '../transfers/sources.js'

/** Bytes `[offset, offset + length)` of the source. */
export interface Chunk {
  /** The bytes, for hashing. */
  bytes: Uint8Array
  /** What to send: the bytes, or a Blob slice (browsers send those natively). */
  body: Uint8Array | Blob
  /** The source ends with this chunk. */
  last: boolean
}

/** A source read chunk by chunk. */
export interface ChunkSource {
  readonly size: number | undefined
  read(offset: number): Promise<Chunk>
  close(): Promise<void>
}

async function bytesOf(part: Uint8Array | Blob): Promise<Uint8Array> {
  return part instanceof Uint8Array ? part : new Uint8Array(await part.arrayBuffer())
}

function randomChunks(src: RandomAccessSource, chunkSize: number): ChunkSource {
  return {
    size: src.size,
    async read(offset) {
      const end = Math.min(src.size, offset + chunkSize)
      const part = await src.read(offset, end)
      return { bytes: await bytesOf(part), body: part, last: end === src.size }
    },
    close: async () => src.close?.(),
  }
}

function sequentialChunks(src: SequentialSource, chunkSize: number): ChunkSource {
  const reader = new PartReader(src.stream, chunkSize)
  let start = 0
  let cur: Uint8Array | undefined
  let next: Uint8Array | undefined
  let last = false
  const advance = async () => {
    start += cur?.length ?? 0
    cur = (cur === undefined ? await reader.next() : next) ?? new Uint8Array(0)
    next = await reader.next()
    last = next === undefined
    const total = start + cur.length
    if (src.size !== undefined && (last ? total !== src.size : total > src.size)) {
      throw new InvalidArgument(`the stream is ${last ? total : 'more than ' + src.size} bytes long, but contentLength says ${src.size}`)
    }
  }
  return {
    size: src.size,
    async read(offset) {
      if (cur === undefined || (offset === start + cur.length && !last)) await advance()
      const at = offset - start
      if (at < 0 || at > cur!.length || (at === cur!.length && cur!.length > 0)) {
        throw new ClientException(`NOS asked for byte ${offset} of a stream already read past it; streams cannot be re-read (upload a Blob or a file to resume)`)
      }
      const bytes = cur!.subarray(at)
      return { bytes, body: bytes, last }
    },
    close: () => reader.cancel(),
  }
}

/**
 * Chunks of `chunkSize` bytes (the last may be shorter; an empty source is one empty chunk).
 * @example
 * const { bytes, last } = await chunkSource(toSource(file), 1 << 20).read(0)
 */
export function chunkSource(src: UploadSource, chunkSize: number): ChunkSource {
  return src.kind === 'random' ? randomChunks(src, chunkSize) : sequentialChunks(src, chunkSize)
}
