/**
 * Checkpoints are checked like the caller's own arguments: whatever a store hands back (a file edited by hand,
 * another version's format, a `localStorage` entry of another page) or a caller passes as `resume` is untrusted
 * input. A bad one is an `InvalidArgument` naming the field, before any request; a part size of -1 once made an
 * upload "succeed" without its last byte.
 * @module
 */
import { InvalidArgument } from '../core/errors.js'
import { checkInt as int } from '../core/validate.js'
import type { UploadCheckpoint } from './checkpoint.js'
import { MAX_PART_NUMBER, MAX_PART_SIZE, MIN_PART_SIZE } from '../core/limits.js'

/**
 * Upload ids as NOS returns them: decimal digits (docs/protocol.md#multipart-upload), or an opaque token of URL-safe
 * characters (the documented example): nothing that a query string or a log line would mangle.
 */
const UPLOAD_ID = /^[A-Za-z0-9._~+/=-]{1,1024}$/
const HEX_ETAG = /^[0-9a-f]{32}$/i

type Part = UploadCheckpoint['parts'][number]

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)
  return v === null ? 'null' : typeof v === 'number' ? String(v) : typeof v
}

function str(v: unknown, field: string, re?: RegExp, what = 'a string'): string {
  if (typeof v !== 'string' || (re && !re.test(v))) throw new InvalidArgument(`${field} must be ${what}, got ${show(v)}`)
  return v
}

/** Size of part `n` of an object of `size` bytes (undefined: a stream of unknown length, any size up to partSize). */
function partSizeRange(n: number, partSize: number, size: number | undefined): [number, number] {
  if (size === undefined) return [1, partSize]
  const expected = Math.min(partSize, size - (n - 1) * partSize)
  return [expected, expected]
}

function checkParts(v: unknown, name: string, partSize: number, size: number | undefined): Part[] {
  if (!Array.isArray(v)) throw new InvalidArgument(`${name}.parts must be an array of { partNum, etag, size }, got ${show(v)}`)
  const total = size === undefined ? MAX_PART_NUMBER : Math.max(1, Math.ceil(size / partSize))
  const seen = new Set<number>()
  return v.map((raw: unknown, i) => {
    const field = `${name}.parts[${i}]`
    if (typeof raw !== 'object' || raw === null) throw new InvalidArgument(`${field} must be { partNum, etag, size }, got ${show(raw)}`)
    const p = raw as Record<string, unknown>
    const partNum = int(p['partNum'], `${field}.partNum`, 1, total)
    if (seen.has(partNum)) throw new InvalidArgument(`${field}.partNum ${partNum} appears twice`)
    seen.add(partNum)
    const etag = str(p['etag'], `${field}.etag`, HEX_ETAG, 'a part MD5 of 32 hex characters').toLowerCase()
    const [min, max] = partSizeRange(partNum, partSize, size)
    const partBytes = int(p['size'], `${field}.size`, min, max)
    return { partNum, etag, size: partBytes }
  })
}

/**
 * Checks a checkpoint's shape and internal consistency; returns a clean copy. `name` prefixes every field in
 * messages: `resume`, or `checkpoint "<id>"` for one loaded from a store.
 * @example
 * checkCheckpoint(JSON.parse(saved), 'resume') // throws InvalidArgument('resume.partSize must be ...')
 */
export function checkCheckpoint(value: unknown, name: string): UploadCheckpoint {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgument(`${name} must be a checkpoint returned by pause() or a checkpoint store, got ${show(value)}`)
  }
  const c = value as Record<string, unknown>
  if (c['version'] !== 1) throw new InvalidArgument(`${name}.version must be 1, got ${show(c['version'])}`)
  const bucket = str(c['bucket'], `${name}.bucket`)
  const key = str(c['key'], `${name}.key`)
  const uploadId = str(c['uploadId'], `${name}.uploadId`, UPLOAD_ID, 'an upload id (1-1024 URL-safe characters)')
  const partSize = int(c['partSize'], `${name}.partSize`, MIN_PART_SIZE, MAX_PART_SIZE)
  // JSON drops `size: undefined`; null is accepted for the same "unknown length".
  const size = c['size'] === undefined || c['size'] === null ? undefined : int(c['size'], `${name}.size`, 0, partSize * MAX_PART_NUMBER)
  const fingerprint = str(c['fingerprint'], `${name}.fingerprint`)
  const createdAt = str(c['createdAt'], `${name}.createdAt`)
  const parts = checkParts(c['parts'], name, partSize, size)
  return { version: 1, bucket, key, uploadId, partSize, size, fingerprint, parts, createdAt }
}
