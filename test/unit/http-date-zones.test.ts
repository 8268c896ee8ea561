/**
 * src/core/http-date.ts: the request dates the server checks a signature's freshness against. RFC 1123 with GMT,
 * UTC, a numeric offset or Asia/Shanghai (UTC+8); nothing zone-less, nothing impossible.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRequestDate } from '../../src/core/http-date.js'

const T = Date.UTC(2023, 10, 14, 22, 13, 20)

describe('parseRequestDate', () => {
  it('reads every zone form as the same instant', () => {
    expect([
      'Tue, 14 Nov 2023 22:13:20 GMT',
      'Tue, 14 Nov 2023 22:13:20 UTC',
      'Tue, 14 Nov 2023 22:13:20 utc',
      'Wed, 15 Nov 2023 06:13:20 Asia/Shanghai',
      'Wed, 15 Nov 2023 06:13:20 +0800',
      'Wed, 15 Nov 2023 06:13:20 +08:00',
      'Tue, 14 Nov 2023 16:43:20 -0530',
      '14 Nov 2023 22:13:20 GMT',
      '  Tue,  14 nov 2023 22:13:20 GMT  ',
      'Tue, 14 NOV 2023 22:13:20 GMT',
    ].map(parseRequestDate)).toEqual(Array(10).fill(T))
  })

  it('the weekday is not checked; single-digit days are read', () => {
    expect(parseRequestDate('Mon, 14 Nov 2023 22:13:20 GMT')).toBe(T)
    expect(parseRequestDate('Wed, 1 Nov 2023 00:00:00 GMT')).toBe(Date.UTC(2023, 10, 1))
  })

  it('undefined for zone-less, other shapes and impossible dates', () => {
    for (const bad of [
      'Tue, 14 Nov 2023 22:13:20',
      '2023-11-14T22:13:20Z',
      'Tue, 14 Nov 2023 22:13:20 CET',
      'Tue, 14 Foo 2023 22:13:20 GMT',
      'Thu, 30 Feb 2023 10:00:00 GMT',
      'Tue, 31 Apr 2023 10:00:00 GMT',
      'Tue, 14 Nov 2023 24:00:00 GMT',
      'Tue, 14 Nov 2023 23:60:00 GMT',
      'Tue, 14 Nov 2023 23:59:60 GMT',
      'Tue, 0 Nov 2023 10:00:00 GMT',
      'Tue, 14 Nov 23 22:13:20 GMT',
      '',
      '1700000000',
    ]) expect(parseRequestDate(bad), bad).toBeUndefined()
    expect(parseRequestDate('Wed, 29 Feb 2024 12:00:00 GMT')).toBe(Date.UTC(2024, 1, 29, 12))
  })

  it('property: a date as toUTCString writes it, or as Shanghai wall clock, reads back to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 2) / 1000, max: Date.UTC(9999, 0, 1) / 1000 }), (seconds) => {
        const t = seconds * 1000
        expect(parseRequestDate(new Date(t).toUTCString())).toBe(t)
        expect(parseRequestDate(new Date(t + 8 * 3600_000).toUTCString().replace('GMT', 'Asia/Shanghai'))).toBe(t)
        expect(parseRequestDate(new Date(t - 90 * 60_000).toUTCString().replace('GMT', '-01:30'))).toBe(t)
      }),
      { numRuns: 2000 },
    )
  })
})
