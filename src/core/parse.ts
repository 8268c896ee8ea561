/**
 * Response field parsing, tolerant of what NOS sends: quoted or bare ETags, both XML date shapes,
 * `Last-Modified` in the `Asia/Shanghai` form (docs/protocol.md#response-headers-and-xml).
 * @module
 */

/** Strips quotes around an ETag. @example cleanEtag('"abc"') // 'abc' */
export function cleanEtag(etag: string | null | undefined): string {
  return (etag ?? '').trim().replace(/^["']+|["']+$/g, '')
}

/**
 * Parses NOS dates: `2016-07-23T11:45:42 +0800`, ISO `...000Z`, RFC 1123, and `... Asia/Shanghai` (UTC+8).
 * Returns an invalid Date when unparsable, so a bad date never throws from a listing.
 * @example
 * parseNosDate('2016-07-23T11:45:42 +0800').toISOString() // '2016-07-23T03:45:42.000Z'
 */
export function parseNosDate(value: string | null | undefined): Date {
  if (!value) return new Date(NaN)
  let v = value.trim()
  if (v.endsWith('Asia/Shanghai')) v = v.slice(0, -'Asia/Shanghai'.length).trim() + ' +0800'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*([+-]\d{2}):?(\d{2})$/.exec(v)
  if (m) return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4]}`)
  return new Date(v)
}

/** A non-negative integer from a string (NaN-safe: returns 0 for absent). */
export function toInt(value: string | null | undefined): number {
  const n = Number.parseInt(value ?? '', 10)
  return Number.isFinite(n) ? n : 0
}

/** `true` for the text `true` (any case). */
export function toBool(value: string | null | undefined): boolean {
  return (value ?? '').trim().toLowerCase() === 'true'
}

/** The request id header. */
export function requestIdOf(res: Response): string {
  return res.headers.get('x-nos-request-id') ?? ''
}
