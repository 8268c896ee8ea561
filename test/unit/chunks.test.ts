/**
 * src/direct-upload/chunks.ts: a direct upload's source read at the offsets NOS asks for. Random-access sources at
 * any offset; streams within the chunk held (one read ahead, so the last chunk is known), never re-read; a stream's
 * length checked against contentLength.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chunkSource, type ChunkSource } from '../../src/direct-upload/chunks.js'
import { bytesSource, toSource } from '../../src/transfers/sources.js'
import { ClientException, InvalidArgument } from '../../src/core/errors.js'
import { rejected } from '../helpers/caught.js'
import { randomBytes } from '../helpers/random-bytes.js'
import { streamOf } from '../helpers/streams.js'

const data = Uint8Array.from({ length: 10 }, (_, i) => i)
/** The chunk at `offset` as [bytes, last]. */
const readAt = async (c: ChunkSource, offset: number) => {
  const { bytes, last } = await c.read(offset)
  return [[...bytes], last]
}

describe('chunkSource over random-access sources', () => {
  it('reads chunkSize bytes from any offset, the last one shorter and marked', async () => {
    const c = chunkSource(bytesSource(data), 4)
    expect(c.size).toBe(10)
    const at = (o: number) => readAt(c, o)
    expect(await at(0)).toEqual([[0, 1, 2, 3], false])
    expect(await at(8)).toEqual([[8, 9], true])
    expect(await at(3)).toEqual([[3, 4, 5, 6], false])
    expect(await at(6)).toEqual([[6, 7, 8, 9], true])
  })

  it('a Blob is sent as a Blob slice and hashed from its bytes; an empty source is one empty last chunk', async () => {
    const chunk = await chunkSource(toSource(new Blob([data])), 4).read(2)
    expect(chunk.body).toBeInstanceOf(Blob)
    expect([[...chunk.bytes], chunk.last]).toEqual([[2, 3, 4, 5], false])
    const empty = await chunkSource(bytesSource(new Uint8Array(0)), 4).read(0)
    expect([empty.bytes.length, empty.last]).toEqual([0, true])
  })
})

describe('chunkSource over streams', () => {
  it('reads forward chunk by chunk, and within the chunk held (a retry after a partial write)', async () => {
    const c = chunkSource(toSource(streamOf(data, 3), 10), 4)
    const at = (o: number) => readAt(c, o)
    expect(await at(0)).toEqual([[0, 1, 2, 3], false])
    expect(await at(2)).toEqual([[2, 3], false])
    expect(await at(4)).toEqual([[4, 5, 6, 7], false])
    expect(await at(8)).toEqual([[8, 9], true])
    expect(await at(9)).toEqual([[9], true])
  })

  it('an offset already passed is a ClientException: a stream cannot be re-read', async () => {
    const c = chunkSource(toSource(streamOf(data, 3)), 4)
    await c.read(0)
    await c.read(4)
    const e = await rejected(c.read(3))
    expect(e).toBeInstanceOf(ClientException)
    expect(e.message).toBe('NOS asked for byte 3 of a stream already read past it; streams cannot be re-read (upload a Blob or a file to resume)')
    expect((await rejected(c.read(9))).message).toBe('NOS asked for byte 9 of a stream already read past it; streams cannot be re-read (upload a Blob or a file to resume)')
  })

  it('a stream longer or shorter than contentLength is an InvalidArgument, as soon as a chunk shows it', async () => {
    const longer = chunkSource(toSource(streamOf(data, 3), 6), 4)
    expect([...(await longer.read(0)).bytes]).toEqual([0, 1, 2, 3])
    const tooLong = await rejected(longer.read(4))
    expect(tooLong).toBeInstanceOf(InvalidArgument)
    expect(tooLong.message).toBe('the stream is more than 6 bytes long, but contentLength says 6')
    const shorter = chunkSource(toSource(streamOf(data, 3), 12), 4)
    await shorter.read(0)
    await shorter.read(4)
    const tooShort = await rejected(shorter.read(8))
    expect(tooShort).toBeInstanceOf(InvalidArgument)
    expect(tooShort.message).toBe('the stream is 10 bytes long, but contentLength says 12')
  })

  it('property: read front to back, the chunks are the stream, each chunkSize long but the last', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(3000), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 500 }), async (size, chunkSize, piece) => {
        const bytes = randomBytes(size, size + 7)
        const c = chunkSource(toSource(streamOf(bytes, piece), size), chunkSize)
        const got: number[] = []
        const lengths: number[] = []
        for (let off = 0, last = false; !last; ) {
          const chunk = await c.read(off)
          got.push(...chunk.bytes)
          lengths.push(chunk.bytes.length)
          off += chunk.bytes.length
          last = chunk.last
        }
        expect(got).toEqual([...bytes])
        expect(lengths.slice(0, -1).every((n) => n === chunkSize)).toBe(true)
        expect(lengths.at(-1)).toBe(size === 0 ? 0 : size - chunkSize * (lengths.length - 1))
      }),
      { numRuns: 200 },
    )
  })
})
