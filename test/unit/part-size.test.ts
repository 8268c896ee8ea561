/**
 * src/transfers/part-size.ts: part sizes within NOS's limits (16 KiB-100 MiB a part, at most 10,000 parts), the
 * smallest whole number of MiB from 8 MiB up that holds a body, and a requested size checked with exact errors.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { choosePartSize } from '../../src/transfers/part-size.js'
import { InvalidArgument } from '../../src/core/errors.js'
import { caught } from '../helpers/caught.js'
import { DEFAULT_PART_SIZE } from '../../src/core/limits.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const MAX_BODY = 10_000 * 100 * MiB

describe('choosePartSize without a requested size', () => {
  it('8 MiB for unknown, empty and sizes that 10,000 parts of 8 MiB hold', () => {
    expect(DEFAULT_PART_SIZE).toBe(8 * MiB)
    for (const size of [undefined, 0, 1, 10 * GiB, 10_000 * 8 * MiB]) expect(choosePartSize(size)).toBe(8 * MiB)
  })

  it('one byte more needs 9 MiB; 200 GiB 21 MiB; the largest body 100 MiB', () => {
    expect(choosePartSize(10_000 * 8 * MiB + 1)).toBe(9 * MiB)
    expect(choosePartSize(200 * GiB)).toBe(21 * MiB)
    expect(choosePartSize(MAX_BODY)).toBe(100 * MiB)
  })

  it('a body beyond 10,000 parts of 100 MiB is an InvalidArgument', () => {
    const e = caught(() => choosePartSize(MAX_BODY + 1))
    expect(e).toBeInstanceOf(InvalidArgument)
    expect(e.message).toBe('body of 1048576000001 bytes exceeds the NOS maximum of 10000 parts of 100 MiB')
  })

  it('property: the smallest whole MiB from 8 MiB up whose 10,000 parts hold the body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_BODY }), (size) => {
        const p = choosePartSize(size)
        expect(p % MiB).toBe(0)
        expect(p).toBeGreaterThanOrEqual(8 * MiB)
        expect(p).toBeLessThanOrEqual(100 * MiB)
        expect(Math.ceil(size / p)).toBeLessThanOrEqual(10_000)
        if (p > 8 * MiB) expect(Math.ceil(size / (p - MiB))).toBeGreaterThan(10_000)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('choosePartSize with a requested size', () => {
  it('16 KiB and 100 MiB are accepted, as are sizes between', () => {
    for (const p of [16 * KiB, 100 * MiB, 5 * MiB + 1]) expect(choosePartSize(undefined, p)).toBe(p)
    expect(choosePartSize(10_000 * 16 * KiB, 16 * KiB)).toBe(16 * KiB)
  })

  it('out of range or not an integer: InvalidArgument quoting the value', () => {
    for (const [p, shown] of [[16 * KiB - 1, '16383'], [100 * MiB + 1, '104857601'], [1572864.5, '1572864.5'], [0, '0'], [-1, '-1'], [NaN, 'NaN'], ['8MiB', '8MiB']] as const) {
      const e = caught(() => choosePartSize(undefined, p as number))
      expect(e).toBeInstanceOf(InvalidArgument)
      expect(e.message).toBe(`partSize must be an integer from 16384 (16 KiB) to 104857600 (100 MiB), got ${shown}`)
    }
  })

  it('a size that would need more than 10,000 parts is refused with the count', () => {
    const e = caught(() => choosePartSize(10_000 * 16 * KiB + 1, 16 * KiB))
    expect(e).toBeInstanceOf(InvalidArgument)
    expect(e.message).toBe('partSize 16384 would need 10001 parts for 163840001 bytes; NOS allows 10000')
  })
})
