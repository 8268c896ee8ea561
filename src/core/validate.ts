/**
 * Argument checks, run before any request (docs/architecture.md#typed-errors-first). Each message names the argument, says what is wrong
 * with the value and what is allowed. Limits: docs/protocol.md#limits-and-names.
 * @module
 */
import { InvalidArgument, InvalidBucketName, InvalidObjectName } from './errors.js'
import { utf8Length } from './encoding.js'
import { MAX_BUCKET_NAME_LENGTH, MAX_KEY_BYTES, MIN_BUCKET_NAME_LENGTH } from './limits.js'


/** Letters and digits, single hyphens between them. */
const BUCKET_RE = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/

/** NOS's bucket-name rule in words, for messages. */
export const BUCKET_NAME_RULE = `${MIN_BUCKET_NAME_LENGTH}-${MAX_BUCKET_NAME_LENGTH} characters a-z, 0-9 and '-', starting and ending with a letter or digit, without '--'`

/**
 * NOS's bucket-name rule: 3-63 characters of `a-z 0-9 -`, a letter or digit at both ends, no `--`. The one rule of
 * the SDK and the `nos` command line; the emulator keeps its own (docs/emulator-oracle.md).
 * @example
 * isValidBucketName('my-bucket') // true
 * isValidBucketName('b') // false: too short
 */
export function isValidBucketName(name: string): boolean {
  return name.length >= MIN_BUCKET_NAME_LENGTH && name.length <= MAX_BUCKET_NAME_LENGTH && BUCKET_RE.test(name)
}

/** A value for an error message: strings quoted and cut at 80 characters, other values by type. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? value.slice(0, 80) + '...' : value)
  return value === null ? 'null' : typeof value
}

/** Checks a bucket name (3-63 of `a-z 0-9 -`, alphanumeric at both ends, no `--`). */
export function checkBucket(bucket: unknown, arg = 'bucket'): string {
  if (typeof bucket !== 'string' || bucket === '') {
    throw new InvalidBucketName(`${arg} is required: a bucket name of ${MIN_BUCKET_NAME_LENGTH}-${MAX_BUCKET_NAME_LENGTH} characters a-z, 0-9 and '-', got ${show(bucket)}`)
  }
  if (!isValidBucketName(bucket)) throw new InvalidBucketName(`${arg} ${show(bucket)} is not a valid NOS bucket name: use ${BUCKET_NAME_RULE}`)
  return bucket
}

/**
 * Checks an object key (1-1000 UTF-8 bytes, well-formed Unicode, not `.` or `..`). URL parsers (WHATWG, so every
 * fetch) drop the dot segments `.` and `..` even percent-encoded as `%2e`: such a key would address the bucket or
 * the service instead (docs/protocol.md#key-encoding-and-canonical-resource).
 */
export function checkKey(key: unknown, arg = 'key'): string {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidObjectName(`${arg} is required: a non-empty string of at most ${MAX_KEY_BYTES} UTF-8 bytes, got ${show(key)}`)
  }
  if (key === '.' || key === '..') {
    throw new InvalidObjectName(`${arg} ${show(key)} cannot be addressed: URLs drop the path segments '.' and '..' (even written %2e), so the request would reach another resource`)
  }
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key)) {
    throw new InvalidObjectName(`${arg} ${show(key)} contains a lone surrogate and cannot be encoded as UTF-8`)
  }
  const bytes = utf8Length(key)
  if (bytes > MAX_KEY_BYTES) {
    throw new InvalidObjectName(`${arg} is ${bytes} UTF-8 bytes long; NOS allows at most ${MAX_KEY_BYTES}`)
  }
  return key
}

/** Checks an integer within bounds. */
export function checkInt(value: unknown, arg: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgument(`${arg} must be an integer from ${min} to ${max}, got ${typeof value === 'number' ? value : show(value)}`)
  }
  return value
}

/** Checks an optional integer within bounds. */
export function optInt(value: unknown, arg: string, min: number, max: number): number | undefined {
  return value === undefined ? undefined : checkInt(value, arg, min, max)
}

/** Checks a required non-empty string. */
export function checkString(value: unknown, arg: string, what = 'a non-empty string'): string {
  if (typeof value !== 'string' || value === '') throw new InvalidArgument(`${arg} is required: ${what}, got ${show(value)}`)
  return value
}

/** Checks an optional byte length or size: a non-negative safe integer. */
export function checkLength(value: unknown, arg: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgument(`${arg} must be a non-negative integer number of bytes, got ${typeof value === 'number' ? value : show(value)}`)
  }
  return value
}

/** Checks an optional boolean (no truthy strings: `'false'` would read as true). */
export function checkBoolean(value: unknown, arg: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidArgument(`${arg} must be true or false, got ${show(value)}`)
  return value
}

/** Checks an optional callback. */
export function checkCallback<T extends (...args: never[]) => unknown>(value: unknown, arg: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new InvalidArgument(`${arg} must be a function, got ${show(value)}`)
  return value as T | undefined
}

/**
 * Checks an optional `signal`: an AbortSignal (by shape, so that one from another realm or a polyfill passes).
 */
export function checkSignal(value: unknown, arg = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined
  const s = value as Partial<AbortSignal> | null
  if (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw new InvalidArgument(`${arg} must be an AbortSignal (e.g. AbortSignal.timeout(5000) or an AbortController's signal), got ${show(value)}`)
  }
  return value as AbortSignal
}

/** Checks an optional string. */
export function optString(value: unknown, arg: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new InvalidArgument(`${arg} must be a string, got ${show(value)}`)
  return value
}

/** Checks a value that will travel in a header: visible ASCII and spaces, no CR/LF. */
export function checkHeaderValue(value: unknown, arg: string): string {
  if (typeof value !== 'string') throw new InvalidArgument(`${arg} must be a string, got ${show(value)}`)
  if (!/^[\x20-\x7e\t]*$/.test(value)) {
    throw new InvalidArgument(
      `${arg} ${show(value)} cannot travel in an HTTP header: only printable ASCII is allowed (encode other text, e.g. with encodeURIComponent)`,
    )
  }
  return value
}

/** Checks an options object, and the `signal` every call takes. */
export function checkParams<T>(params: T, op: string): T {
  if (typeof params !== 'object' || params === null) {
    throw new InvalidArgument(`${op} takes one object argument, e.g. ${op}({ bucket, key }), got ${show(params)}`)
  }
  checkSignal((params as { signal?: unknown }).signal)
  return params
}

/** Checks a canned ACL. */
export function checkAcl(acl: unknown, arg = 'acl'): 'private' | 'public-read' {
  if (acl !== 'private' && acl !== 'public-read') {
    throw new InvalidArgument(`${arg} must be 'private' or 'public-read' (the NOS canned ACLs), got ${show(acl)}`)
  }
  return acl
}
