/**
 * NOS dates, read and written in one place: the request dates NOS checks a signature's freshness against
 * (docs/protocol.md#dates-and-skew), the dates NOS answers with (`Last-Modified` in the `Asia/Shanghai` form, XML
 * timestamps with a numeric offset), and the RFC 1123 form the SDK sends. The signing policy reads request dates
 * the strict way the server does; responses are read tolerantly, so that a listing never throws over a date.
 *
 * The emulator keeps its own copy (docs/emulator-oracle.md).
 * @module
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const REQUEST_DATE =
  /^(?:[A-Za-z]{3},\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+(GMT|UTC|Asia\/Shanghai|[+-]\d{2}:?\d{2})$/i
/** The XML timestamp form, `2016-07-23T11:45:42 +0800` (a space before the offset) or with `Z`/no space. */
const XML_DATE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*([+-]\d{2}):?(\d{2})$/
/** Asia/Shanghai has been UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000

function offsetMs(zone: string): number {
  const z = zone.toUpperCase()
  if (z === 'GMT' || z === 'UTC') return 0
  if (z === 'ASIA/SHANGHAI') return SHANGHAI_OFFSET_MS
  const ms = (Number(z.slice(1, 3)) * 60 + Number(z.slice(-2))) * 60_000
  return z[0] === '-' ? -ms : ms
}

/**
 * Parses a request date the way the server does: RFC 1123 with `GMT`/`UTC`, a numeric offset, or the
 * `Asia/Shanghai` zone id the Python and Java SDKs send (UTC+8). Nothing zone-less: such a date means one instant to
 * a backend in UTC+8 and another to a server reading GMT. Returns ms since the epoch; undefined for any other shape
 * (and for impossible dates).
 *
 * @example
 * parseRequestDate('Wed, 15 Nov 2023 06:13:20 Asia/Shanghai') === Date.UTC(2023, 10, 14, 22, 13, 20) // true
 * parseRequestDate('Wed, 15 Nov 2023 06:13:20') // undefined: no zone
 */
export function parseRequestDate(value: string): number | undefined {
  const m = REQUEST_DATE.exec(value.trim())
  if (!m) return undefined
  const [day, year, hour, minute, second] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number]
  const month = MONTHS.indexOf(m[2]!.toLowerCase())
  if (month < 0 || hour > 23 || minute > 59 || second > 59) return undefined
  const t = Date.UTC(year, month, day, hour, minute, second)
  if (new Date(t).getUTCDate() !== day) return undefined
  return t - offsetMs(m[7]!)
}

/**
 * Parses a date NOS answers with: RFC 1123 (`GMT`, an offset, or `Asia/Shanghai` as `Last-Modified` carries it),
 * the XML form `2016-07-23T11:45:42 +0800`, or ISO `...000Z`. Returns an invalid Date when unparsable, so a bad date
 * never throws from a listing.
 * @example
 * parseNosDate('2016-07-23T11:45:42 +0800').toISOString() // '2016-07-23T03:45:42.000Z'
 * parseNosDate('Tue, 05 Jul 2016 17:32:21 Asia/Shanghai').toISOString() // '2016-07-05T09:32:21.000Z'
 */
export function parseNosDate(value: string | null | undefined): Date {
  if (!value) return new Date(NaN)
  // Not parseRequestDate: the RFC 1123 forms with a GMT or numeric zone are what `Date` itself reads, in every runtime;
  // leaving the strict reader out keeps it out of the page bundles, which have no signing policy.
  let v = value.trim()
  if (v.endsWith('Asia/Shanghai')) v = v.slice(0, -'Asia/Shanghai'.length).trim() + ' +0800'
  const m = XML_DATE.exec(v)
  if (m) return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4]}`)
  return new Date(v)
}

/**
 * Formats a date as RFC 1123 GMT, the `Date` form the SDK sends (docs/protocol.md#dates-and-skew).
 * @example formatHttpDate(new Date(0)) // 'Thu, 01 Jan 1970 00:00:00 GMT'
 */
export function formatHttpDate(date: Date): string {
  return date.toUTCString()
}
