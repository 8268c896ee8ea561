/**
 * Date parsing and the three date formats NOS answers with (docs/protocol.md#dates-and-skew,
 * docs/protocol.md#response-headers-and-xml).
 * @module
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const SHANGHAI_OFFSET_MS = 8 * 3600_000
const RFC1123ISH = /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})[\s-]+([A-Za-z]{3})[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2}):(\d{2})\s*(.*)$/

/**
 * Parses a request date: RFC 1123 with `GMT`/`UTC`, a numeric offset (`+0800`, `+08:00`), or the
 * `Asia/Shanghai` zone id the Python and Java SDKs send (wall clock in UTC+8, docs/protocol.md#dates-and-skew). Falls
 * back to `Date.parse`. Returns ms since the epoch, or undefined.
 *
 * @example
 * parseNosDate('Tue, 01 Jan 2030 08:00:00 Asia/Shanghai') === Date.UTC(2030, 0, 1) // true
 */
export function parseNosDate(value: string | undefined): number | undefined {
  if (!value) return undefined
  const m = RFC1123ISH.exec(value.trim())
  if (m) {
    const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase())
    let year = Number(m[3])
    if (year < 100) year += year < 70 ? 2000 : 1900
    const zone = m[7]!.trim()
    const offset = zoneOffsetMs(zone)
    if (month >= 0 && offset !== undefined) {
      return Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset
    }
  }
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : t
}

const STRICT_DATE =
  /^(?:[A-Za-z]{3},\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+(GMT|UTC|Asia\/Shanghai|[+-]\d{2}:?\d{2})$/i

/**
 * The date a signed request is checked against (docs/protocol.md#dates-and-skew): RFC 1123 with `GMT`/`UTC`, a
 * numeric offset, or the `Asia/Shanghai` zone id (UTC+8). Nothing zone-less and no other shapes: a signing policy
 * must be able to read the very same instant. The emulator's own copy, not the SDK's core/http-date.ts: it judges the
 * SDK's signing policy, and a property test holds the two to the same answers (docs/emulator-oracle.md). Returns ms
 * since the epoch, or undefined.
 *
 * @example
 * parseRequestDate('Tue, 01 Jan 2030 08:00:00 Asia/Shanghai') === Date.UTC(2030, 0, 1) // true
 * parseRequestDate('Tue, 01 Jan 2030 00:00:00') // undefined (no zone)
 */
export function parseRequestDate(value: string | undefined): number | undefined {
  const m = value === undefined ? null : STRICT_DATE.exec(value.trim())
  if (!m) return undefined
  const [day, year, hour, minute, second] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number]
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase())
  const offset = zoneOffsetMs(m[7]!)
  if (month < 0 || offset === undefined || hour > 23 || minute > 59 || second > 59) return undefined
  const t = Date.UTC(year, month, day, hour, minute, second)
  if (new Date(t).getUTCDate() !== day) return undefined // 31 Feb and friends
  return t - offset
}

function zoneOffsetMs(zone: string): number | undefined {
  const z = zone.toUpperCase()
  if (z === '' || z === 'GMT' || z === 'UTC' || z === 'UT' || z === 'Z') return 0
  if (z === 'ASIA/SHANGHAI' || z === 'CST' || z === 'PRC') return SHANGHAI_OFFSET_MS
  const m = /^(?:GMT|UTC)?([+-])(\d{2}):?(\d{2})$/.exec(z)
  if (!m) return undefined
  const ms = (Number(m[2]) * 60 + Number(m[3])) * 60_000
  return m[1] === '-' ? -ms : ms
}

/** RFC 1123 GMT, for the `Date` response header. @example formatGmt(0) // 'Thu, 01 Jan 1970 00:00:00 GMT' */
export function formatGmt(ms: number): string {
  return new Date(ms).toUTCString()
}

/**
 * `Last-Modified` as NOS sends it: Shanghai wall clock with the literal zone id
 * (docs/protocol.md#response-headers-and-xml; Java parses only this).
 *
 * @example
 * formatShanghai(Date.UTC(2016, 6, 5, 9, 32, 21)) // 'Tue, 05 Jul 2016 17:32:21 Asia/Shanghai'
 */
export function formatShanghai(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toUTCString().replace(/GMT$/, 'Asia/Shanghai')
}

/**
 * XML timestamp with a space before the offset, `2016-07-23T11:45:42 +0800` (docs/protocol.md#response-headers-and-xml;
 * Java needs the space).
 *
 * @example
 * formatXmlDate(Date.UTC(2016, 6, 23, 3, 45, 42)) // '2016-07-23T11:45:42 +0800'
 */
export function formatXmlDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, ' +0800')
}
