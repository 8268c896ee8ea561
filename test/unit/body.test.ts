/**
 * src/core/body.ts: every accepted body type normalised to a sendable, measured body; streamed slices and their
 * byte counts; a stream sent once only; bodies buffered under a limit; unsupported input as a typed error.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { STREAM_SLICE, bufferBody, bytesBody, describe as describeValue, iterableToStream, prepareBody } from '../../src/core/body.js'
import { FileOpenModeError, SerializationError } from '../../src/core/errors.js'
import { createSparkMd5 } from '../../src/core/md5.js'
import { caught, rejected } from '../helpers/caught.js'
import { md5 } from '../helpers/md5.js'
import { chunksOf } from '../helpers/streams.js'

const bytesOf = async (body: BodyInit | null): Promise<number[]> => [...new Uint8Array(await new Response(body).arrayBuffer())]
const utf8 = (s: string) => new TextEncoder().encode(s)

describe('prepareBody', () => {
  it('null and undefined are an empty, replayable body', async () => {
    for (const input of [null, undefined]) {
      const b = prepareBody(input)
      expect([b.size, b.contentType, b.replayable]).toEqual([0, undefined, true])
      expect(await bytesOf(b.open(false))).toEqual([])
    }
  })

  it('a string is its UTF-8 bytes, with no implied Content-Type', async () => {
    const b = prepareBody('héllo €')
    expect([b.size, b.contentType, b.replayable]).toEqual([10, undefined, true])
    expect(await bytesOf(b.open(false))).toEqual([...utf8('héllo €')])
  })

  it('a Uint8Array is sent as it is (the same object), an ArrayBuffer and a view by their bytes', async () => {
    const u8 = new Uint8Array([1, 2, 3])
    expect(prepareBody(u8).open(false)).toBe(u8)
    expect(await bytesOf(prepareBody(new Uint8Array([4, 5]).buffer).open(false))).toEqual([4, 5])
    const view = new DataView(new Uint8Array([9, 8, 7, 6, 5]).buffer, 1, 3)
    const b = prepareBody(view)
    expect(b.size).toBe(3)
    expect(await bytesOf(b.open(false))).toEqual([8, 7, 6])
    expect(await bytesOf(prepareBody(new Uint16Array([0x0201])).open(false))).toEqual([1, 2])
  })

  it('a Blob is sent as the Blob, its type implied; an untyped Blob implies none', () => {
    const typed = new Blob(['<svg/>'], { type: 'image/svg+xml' })
    const b = prepareBody(typed)
    expect([b.size, b.contentType, b.replayable]).toEqual([6, 'image/svg+xml', true])
    expect(b.open(false)).toBe(typed)
    expect(prepareBody(new Blob(['x'])).contentType).toBeUndefined()
  })

  it('plain objects, arrays and null-prototype objects are JSON', async () => {
    const cases: [unknown, string][] = [
      [{ a: 1, b: ['x'] }, '{"a":1,"b":["x"]}'],
      [[1, 'two'], '[1,"two"]'],
      [Object.assign(Object.create(null), { k: 'v' }), '{"k":"v"}'],
      [{}, '{}'],
    ]
    for (const [input, json] of cases) {
      const b = prepareBody(input as Record<string, unknown>)
      expect([b.size, b.contentType, b.replayable]).toEqual([utf8(json).length, 'application/json', true])
      expect(new TextDecoder().decode(new Uint8Array(await bytesOf(b.open(false))))).toBe(json)
    }
  })

  it('an object JSON cannot hold is a SerializationError naming the cause', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const e = caught(() => prepareBody(cyclic))
    expect(e).toBeInstanceOf(SerializationError)
    expect(e.message).toMatch(/^body could not be serialised to JSON: Converting circular structure to JSON/)
    const big = caught(() => prepareBody({ n: 1n }))
    expect(big).toBeInstanceOf(SerializationError)
    expect(big.message).toBe('body could not be serialised to JSON: Do not know how to serialize a BigInt')
  })

  it('any other type is a FileOpenModeError naming the type, never the value', () => {
    const tail = 'is not supported: use a string, Uint8Array, ArrayBuffer, Blob/File, ReadableStream, an async iterable of bytes, or a plain object/array (sent as JSON)'
    for (const [input, type] of [[42, 'number'], [true, 'boolean'], [new Map([['secret', 1]]), 'Map'], [new Date(0), 'Date'], [Symbol('s'), 'symbol']] as const) {
      const e = caught(() => prepareBody(input as never))
      expect(e).toBeInstanceOf(FileOpenModeError)
      expect(e.message).toBe(`body of type ${type} ${tail}`)
    }
  })

  it('a stream is sent once, with the declared size; a second open is a FileOpenModeError', async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1, 2])), c.close()) })
    const b = prepareBody(stream, 2)
    expect([b.size, b.contentType, b.replayable, b.md5]).toEqual([2, undefined, false, undefined])
    expect(b.open(false)).toBe(stream)
    const e = caught(() => b.open(false))
    expect(e).toBeInstanceOf(FileOpenModeError)
    expect(e.message).toBe('a stream body can be sent only once (it was already consumed)')
    expect(prepareBody(new ReadableStream()).size).toBeUndefined()
  })

  it('an async iterable becomes a stream of its chunks (strings as UTF-8, views by their own bytes)', async () => {
    async function* gen() {
      yield new Uint8Array([1, 2])
      yield 'é' as unknown as Uint8Array
      yield new Uint8Array([0, 3, 4, 0]).subarray(1, 3)
    }
    const b = prepareBody(gen(), 6)
    expect([b.size, b.replayable]).toEqual([6, false])
    expect((await chunksOf(b.open(false) as ReadableStream<Uint8Array>)).map((c) => [...c])).toEqual([[1, 2], [0xc3, 0xa9], [3, 4]])
  })

  it('md5 of a replayable body is the MD5 of its bytes', async () => {
    expect(await prepareBody('abc').md5!(createSparkMd5)).toBe('900150983cd24fb0d6963f7d28e17f72')
    expect(await prepareBody(new Blob(['hello'])).md5!(createSparkMd5)).toBe('5d41402abc4b2a76b9719d911017c592')
    expect(await bytesBody([utf8('ab'), utf8('c')]).md5!(createSparkMd5)).toBe(md5('abc'))
  })
})

describe('bytesBody', () => {
  it('several chunks open as one array; none as an empty one', async () => {
    expect(await bytesOf(bytesBody([new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])]).open(false))).toEqual([1, 2, 3])
    const empty = bytesBody([])
    expect(empty.size).toBe(0)
    expect(await bytesOf(empty.open(true))).toEqual([])
  })

  it('at most 1 MiB is sent whole even when streaming is allowed; one byte more is streamed in 1 MiB slices', async () => {
    expect(bytesBody([new Uint8Array(STREAM_SLICE)]).open(true)).toBeInstanceOf(Uint8Array)
    const body = bytesBody([new Uint8Array(STREAM_SLICE + 1)]).open(true)
    expect(body).toBeInstanceOf(ReadableStream)
    expect((await chunksOf(body as ReadableStream<Uint8Array>)).map((c) => c.length)).toEqual([STREAM_SLICE, 1])
  })

  it('with onSent, any non-empty body streams and reports 0, then each slice once the next is asked for', async () => {
    const sent: number[] = []
    const b = bytesBody([new Uint8Array(3), new Uint8Array(STREAM_SLICE + 2)], undefined, (n) => sent.push(n))
    const chunks = await chunksOf(b.open(true) as ReadableStream<Uint8Array>)
    expect(chunks.map((c) => c.length)).toEqual([3, STREAM_SLICE, 2])
    expect(sent).toEqual([0, 3, 3 + STREAM_SLICE, 5 + STREAM_SLICE])
    // A retry opens the body again: the count restarts at 0.
    sent.length = 0
    await chunksOf(b.open(true) as ReadableStream<Uint8Array>)
    expect(sent[0]).toBe(0)
    expect(sent.at(-1)).toBe(5 + STREAM_SLICE)
  })

  it('property: whatever the chunks, every opening yields their concatenation and size is its length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }), fc.boolean(), async (chunks, progress) => {
        const all = chunks.flatMap((c) => [...c])
        const sent: number[] = []
        const b = bytesBody(chunks, undefined, progress ? (n) => sent.push(n) : undefined)
        expect(b.size).toBe(all.length)
        expect(await bytesOf(b.open(true))).toEqual(all)
        expect(await bytesOf(b.open(false))).toEqual(all)
        if (progress && all.length > 0) expect(sent.at(-1)).toBe(all.length)
      }),
      { numRuns: 200 },
    )
  })
})

describe('bufferBody', () => {
  const tooLarge = () => new RangeError('too large')
  const streamOf = (...chunks: number[][]) => {
    let cancelled: unknown = 'not cancelled'
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const x of chunks) c.enqueue(new Uint8Array(x))
      },
      cancel(reason) {
        cancelled = reason
      },
    })
    return { body: prepareBody(stream), cancelled: () => cancelled }
  }

  it('a replayable body is returned as it is', async () => {
    const b = prepareBody('x')
    expect(await bufferBody(b, 0, tooLarge)).toBe(b)
  })

  it('a stream of exactly `limit` bytes is read into a replayable body', async () => {
    const s = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1, 2])), c.enqueue(new Uint8Array([3])), c.close()) })
    const b = await bufferBody(prepareBody(s), 3, tooLarge)
    expect([b.size, b.replayable]).toEqual([3, true])
    expect(await bytesOf(b.open(false))).toEqual([1, 2, 3])
  })

  it('one byte over the limit throws tooLarge() and cancels the stream', async () => {
    const { body, cancelled } = streamOf([1, 2], [3, 4])
    const e = await rejected(bufferBody(body, 3, tooLarge))
    expect(e).toEqual(new RangeError('too large'))
    expect(cancelled()).toBeUndefined()
  })
})

describe('iterableToStream', () => {
  it('cancel destroys a Node-style source and asks the iterator to return', async () => {
    const calls: string[] = []
    const source = {
      destroy: () => calls.push('destroy'),
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
        return: async () => (calls.push('return'), { done: true as const, value: undefined }),
      }),
    }
    await iterableToStream(source as unknown as AsyncIterable<Uint8Array>).cancel('stop')
    expect(calls).toEqual(['destroy', 'return'])
  })
})

describe('describe', () => {
  it('names a value by its type or constructor, never its content', () => {
    expect([null, undefined, 'secret', 1, new Map(), Object.create(null), [], new (class Custom {})()].map(describeValue)).toEqual([
      'null', 'undefined', 'string', 'number', 'Map', 'object', 'Array', 'Custom',
    ])
  })
})
