/**
 * src/transfers/sources.ts: upload bodies as random-access sources (bytes, Blobs, Files) or sequential ones
 * (streams, async iterables), the Content-Type a body implies, and unsupported bodies as typed errors.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { blobSource, bytesSource, impliedContentType, toSource, type RandomAccessSource } from '../../src/transfers/sources.js'
import { FileOpenModeError } from '../../src/core/errors.js'
import { caught } from '../helpers/caught.js'

const bytesOf = async (x: Uint8Array | Blob) => [...(x instanceof Blob ? new Uint8Array(await x.arrayBuffer()) : x)]

describe('toSource', () => {
  it('bytes, strings, ArrayBuffers and views are random access over their bytes', async () => {
    const cases: [unknown, number[]][] = [
      [new Uint8Array([1, 2, 3]), [1, 2, 3]],
      ['é!', [0xc3, 0xa9, 0x21]],
      [new Uint8Array([4, 5]).buffer, [4, 5]],
      [new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2), [8, 7]],
      [{ a: 1 }, [...new TextEncoder().encode('{"a":1}')]],
      [[1], [...new TextEncoder().encode('[1]')]],
    ]
    for (const [body, expected] of cases) {
      const s = toSource(body as never) as RandomAccessSource
      expect([s.kind, s.size]).toEqual(['random', expected.length])
      expect(await bytesOf(await s.read(0, s.size))).toEqual(expected)
    }
  })

  it('a File is random access by Blob slices, with its name and modification time for fingerprints', async () => {
    const file = new File(['abcdef'], 'a.txt', { type: 'text/plain', lastModified: 1_700_000_000_000 })
    const s = toSource(file) as RandomAccessSource
    expect(s).toMatchObject({ kind: 'random', size: 6, name: 'a.txt', lastModified: 1_700_000_000_000 })
    const slice = await s.read(1, 4)
    expect(slice).toBeInstanceOf(Blob)
    expect(await bytesOf(slice)).toEqual([...new TextEncoder().encode('bcd')])
    expect(blobSource(new Blob(['x']))).toMatchObject({ kind: 'random', size: 1, name: undefined, lastModified: undefined })
  })

  it('streams and async iterables are sequential, of the given length or unknown', async () => {
    const stream = new ReadableStream<Uint8Array>()
    expect(toSource(stream, 10)).toEqual({ kind: 'sequential', size: 10, stream })
    expect(toSource(stream)).toEqual({ kind: 'sequential', size: undefined, stream })
    async function* gen() {
      yield new Uint8Array([7])
    }
    const s = toSource(gen(), 1)
    expect(s.kind).toBe('sequential')
    const reader = (s as { stream: ReadableStream<Uint8Array> }).stream.getReader()
    expect([...(await reader.read()).value!]).toEqual([7])
    expect((await reader.read()).done).toBe(true)
  })

  it('a source is passed through as it is', () => {
    const src = bytesSource(new Uint8Array(2))
    expect(toSource(src)).toBe(src)
    const seq = { kind: 'sequential' as const, size: undefined, stream: new ReadableStream<Uint8Array>() }
    expect(toSource(seq)).toBe(seq)
  })

  it('an object JSON cannot hold, and any other type, are FileOpenModeErrors', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const e = caught(() => toSource(cyclic))
    expect(e).toBeInstanceOf(FileOpenModeError)
    expect(e.message).toMatch(/^body could not be serialised to JSON: TypeError: Converting circular structure to JSON/)
    for (const [body, type] of [[42, 'number'], [undefined, 'undefined'], [null, 'null'], [true, 'boolean']] as const) {
      const err = caught(() => toSource(body as never))
      expect(err).toBeInstanceOf(FileOpenModeError)
      expect(err.message).toBe(`upload body of type ${type} is not supported: use bytes, a string, a Blob/File, a stream or an async iterable`)
    }
  })

  it('property: read(start, end) of bytes is exactly that slice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat(), async (bytes, a, b) => {
        const [start, end] = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y) as [number, number]
        expect(await bytesOf(await bytesSource(bytes).read(start, end))).toEqual([...bytes.subarray(start, end)])
        expect(await bytesOf(await blobSource(new Blob([bytes])).read(start, end))).toEqual([...bytes.subarray(start, end)])
      }),
      { numRuns: 200 },
    )
  })
})

describe('impliedContentType', () => {
  it('a Blob or File its type, JSON bodies application/json, everything else none', () => {
    const cases: [unknown, string | undefined][] = [
      [new File(['<svg/>'], 'a.svg', { type: 'image/svg+xml' }), 'image/svg+xml'],
      [new Blob(['x']), undefined],
      [{ a: 1 }, 'application/json'],
      [[1, 2], 'application/json'],
      ['text', undefined],
      [new Uint8Array(1), undefined],
      [new ArrayBuffer(1), undefined],
      [new DataView(new ArrayBuffer(1)), undefined],
      [new ReadableStream(), undefined],
      [(async function* () {})(), undefined],
      [bytesSource(new Uint8Array(1)), undefined],
      [null, undefined],
      [undefined, undefined],
    ]
    expect(cases.map(([body]) => impliedContentType(body as never))).toEqual(cases.map(([, type]) => type))
  })
})
