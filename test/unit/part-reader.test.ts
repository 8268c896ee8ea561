import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isNosErrorKind } from '../../src/index.js'
import { PartReader } from '../../src/transfers/part-reader.js'

function streamOf(data: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const chunks: Uint8Array[] = []
  let prev = 0
  for (const c of [...cuts.map((x) => x % (data.length + 1)).sort((a, b) => a - b), data.length]) {
    chunks.push(data.slice(prev, c)) // empty chunks included: streams may yield them
    prev = Math.max(prev, c)
  }
  return new ReadableStream({ pull: (ctl) => { const c = chunks.shift(); if (c) ctl.enqueue(c); else ctl.close() } })
}

describe('PartReader', () => {
  it('property: parts of exactly partSize (the last shorter) that concatenate to the stream; with expectedSize, InvalidArgument exactly when the length differs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(300), fc.integer({ min: 1, max: 64 }), fc.array(fc.nat(400), { maxLength: 12 }), fc.option(fc.nat(320), { nil: undefined }), async (size, partSize, cuts, expected) => {
        const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff)
        const reader = new PartReader(streamOf(data, cuts), partSize, expected)
        const parts: Uint8Array[] = []
        let error: unknown
        try {
          for (let p = await reader.next(); p; p = await reader.next()) parts.push(p.slice())
        } catch (e) {
          error = e
        }
        const mismatch = expected !== undefined && expected !== size
        if (mismatch) {
          expect(isNosErrorKind(error, 'InvalidArgument')).toBe(true)
          expect((error as Error).message).toMatch(/^contentLength/)
          // Never a part beyond the declared length: what was returned fits within it.
          expect(parts.reduce((n, p) => n + p.length, 0)).toBeLessThanOrEqual(expected)
          return
        }
        expect(error).toBeUndefined()
        expect(parts.slice(0, -1).every((p) => p.length === partSize)).toBe(true)
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
        let off = 0
        for (const p of parts) all.set(p, (off += p.length) - p.length)
        expect(all).toEqual(data)
      }),
      { numRuns: 300 },
    )
  })
})
