/**
 * Response fields other than dates (those are in http-date.ts) and XML (xml.ts), tolerant of what NOS sends: quoted
 * or bare ETags, numbers and booleans as text, the request id header (docs/protocol.md#response-headers-and-xml).
 * @module
 */

/** Strips quotes around an ETag. @example cleanEtag('"abc"') // 'abc' */
export function cleanEtag(etag: string | null | undefined): string {
  return (etag ?? '').trim().replace(/^["']+|["']+$/g, '')
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
