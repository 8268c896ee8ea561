/**
 * The request dates NOS checks a signature's freshness against (docs/protocol.md#dates-and-skew): RFC 1123 with
 * `GMT`/`UTC`, a numeric offset, or the `Asia/Shanghai` zone id the Python and Java SDKs send (UTC+8). Nothing
 * zone-less: such a date means one instant to a backend in UTC+8 and another to a server reading GMT.
 * @module
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const REQUEST_DATE =
  /^(?:[A-Za-z]{3},\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+(GMT|UTC|Asia\/Shanghai|[+-]\d{2}:?\d{2})$/i
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
 * Parses a request date the way the server does; undefined for any other shape (and for impossible dates).
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
