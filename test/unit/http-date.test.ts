/** NOS dates (core/http-date.ts): what the SDK writes it reads back; malformed dates are refused; the emulator agrees. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatHttpDate, parseNosDate, parseRequestDate } from '../../src/core/http-date.js'
import { formatGmt, formatShanghai, formatXmlDate, parseRequestDate as emulatorParseRequestDate } from '../../src/emulator/time.js'

/** Whole seconds from 1970 to 2200 (RFC 1123 carries no milliseconds). */
const instant = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) / 1000 }).map((s) => s * 1000)
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number) => String(n).padStart(2, '0')

/** A date string of the request-date shape with any field values, valid or not, and any of the zones. */
const requestLike = fc
  .record({
    day: fc.integer({ min: 0, max: 39 }),
    month: fc.constantFrom(...MONTHS, 'Foo', 'jan'),
    year: fc.integer({ min: 1900, max: 2300 }),
    h: fc.integer({ min: 0, max: 25 }),
    m: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    zone: fc.constantFrom('GMT', 'UTC', 'utc', 'Asia/Shanghai', '+0800', '-05:30', '+08', 'CST', 'Z', ''),
    weekday: fc.constantFrom('Tue, ', 'Xyz, ', ''),
  })
  .map((d) => `${d.weekday}${two(d.day)} ${d.month} ${d.year} ${two(d.h)}:${two(d.m)}:${two(d.s)} ${d.zone}`.trim())

describe('parseRequestDate', () => {
  it('reads exact instants, in every zone form NOS accepts', () => {
    const t = Date.UTC(2023, 10, 14, 22, 13, 20)
    expect(parseRequestDate('Tue, 14 Nov 2023 22:13:20 GMT')).toBe(t)
    expect(parseRequestDate('14 Nov 2023 22:13:20 UTC')).toBe(t)
    expect(parseRequestDate('Wed, 15 Nov 2023 06:13:20 Asia/Shanghai')).toBe(t)
    expect(parseRequestDate('Wed, 15 Nov 2023 06:13:20 +0800')).toBe(t)
    expect(parseRequestDate('Tue, 14 Nov 2023 16:43:20 -05:30')).toBe(t)
  })

  it('refuses zone-less, impossible and other shapes', () => {
    for (const bad of ['Tue, 14 Nov 2023 22:13:20', 'Fri, 31 Feb 2023 00:00:00 GMT', 'Tue, 14 Nov 2023 24:00:00 GMT', '2023-11-14T22:13:20Z', 'yesterday', '', '1700000000']) {
      expect([bad, parseRequestDate(bad)]).toEqual([bad, undefined])
    }
  })

  it('property: reads back exactly what formatHttpDate writes', () => {
    fc.assert(fc.property(instant, (ms) => parseRequestDate(formatHttpDate(new Date(ms))) === ms))
  })

  it('property: the signing policy and the emulator read every request date alike', () => {
    fc.assert(fc.property(fc.oneof(requestLike, fc.string()), (s) => parseRequestDate(s) === emulatorParseRequestDate(s)), { numRuns: 3000 })
  })

  it('property: a well-formed date in any zone is the instant its fields say', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -12, max: 14 }), (ms, hours) => {
        const d = new Date(ms + hours * 3600_000)
        const zone = `${hours < 0 ? '-' : '+'}${two(Math.abs(hours))}00`
        const text = `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${zone}`
        expect(parseRequestDate(text)).toBe(ms)
      }),
    )
  })
})

describe('parseNosDate', () => {
  it('reads the three forms NOS answers with', () => {
    expect(parseNosDate('2016-07-23T11:45:42 +0800').toISOString()).toBe('2016-07-23T03:45:42.000Z')
    expect(parseNosDate('2016-07-23T03:45:42.000Z').toISOString()).toBe('2016-07-23T03:45:42.000Z')
    expect(parseNosDate('Tue, 05 Jul 2016 17:32:21 Asia/Shanghai').toISOString()).toBe('2016-07-05T09:32:21.000Z')
    expect(parseNosDate('Tue, 05 Jul 2016 09:32:21 GMT').toISOString()).toBe('2016-07-05T09:32:21.000Z')
  })

  it('returns an invalid Date, never throws, for absent or unreadable dates', () => {
    for (const bad of [undefined, null, '', 'not a date', '2016-13-45T99:99:99 +0800']) expect(Number.isNaN(parseNosDate(bad).getTime())).toBe(true)
  })

  it('property: reads back every date form the emulator answers with', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect([formatGmt(ms), formatShanghai(ms), formatXmlDate(ms), formatHttpDate(new Date(ms))].map((s) => parseNosDate(s).getTime())).toEqual([ms, ms, ms, ms])
      }),
    )
  })
})
