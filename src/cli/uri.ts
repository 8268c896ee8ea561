/**
 * `nos://bucket/key` URIs. Anything else on the command line is a local path (`-` is stdin/stdout for cp).
 * @module
 */
import { MAX_KEY_BYTES } from '../node.js'
import { UsageError } from './errors.js'

/** A parsed `nos://bucket/key`; `key` is '' for the bucket itself (a prefix may end with '/'). */
export interface NosUri {
  bucket: string
  key: string
}

const SCHEME = 'nos://'

/** NOS bucket names (docs/protocol.md#limits-and-names): 3-63 of a-z 0-9 -, alphanumeric at both ends, no `--`. */
const BUCKET = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why a bucket or key typed on the command line cannot be sent, checked here so that a batch fails at once. */
function nameProblem(bucket: string, key: string): string | undefined {
  if (!BUCKET.test(bucket)) return `${JSON.stringify(bucket)} is not a NOS bucket name (3-63 characters a-z, 0-9 and -, starting and ending with a letter or digit, no --)`
  if (LONE_SURROGATE.test(key)) return 'the key holds a lone surrogate (not UTF-8)'
  const bytes = new TextEncoder().encode(key).length
  if (bytes > MAX_KEY_BYTES) return `the key is ${bytes} UTF-8 bytes long; NOS allows at most ${MAX_KEY_BYTES}`
  return undefined
}

/** True when `arg` names NOS (starts with `nos://`, any case). */
export function isNosUri(arg: string): boolean {
  return arg.slice(0, SCHEME.length).toLowerCase() === SCHEME
}

/**
 * Parses `nos://bucket[/key]`; a bad bucket name or key is a `UsageError` (exit code 2).
 * The key is taken verbatim (no percent-decoding): `nos://b/a b.txt` is the key `a b.txt`.
 * @example parseNosUri('nos://photos/2024/a.jpg') // { bucket: 'photos', key: '2024/a.jpg' }
 */
export function parseNosUri(arg: string): NosUri {
  if (!isNosUri(arg)) throw new UsageError(`not a nos:// URI: ${JSON.stringify(arg)} (expected nos://bucket/key)`)
  const rest = arg.slice(SCHEME.length)
  const slash = rest.indexOf('/')
  const bucket = slash < 0 ? rest : rest.slice(0, slash)
  const key = slash < 0 ? '' : rest.slice(slash + 1)
  if (!bucket) throw new UsageError(`${JSON.stringify(arg)} names no bucket (expected nos://bucket/key)`)
  const problem = nameProblem(bucket, key)
  if (problem) throw new UsageError(`bad URI ${JSON.stringify(arg)}: ${problem}`)
  return { bucket, key }
}

/** The `nos://` form of a bucket and key. */
export function formatUri(bucket: string, key = ''): string {
  return key ? `${SCHEME}${bucket}/${key}` : `${SCHEME}${bucket}`
}

/** A URI that must name an object (a non-empty key that is not a "directory"). */
export function parseObjectUri(arg: string): NosUri {
  const u = parseNosUri(arg)
  if (!u.key) throw new UsageError(`${JSON.stringify(arg)} names a bucket, not an object (expected nos://bucket/key)`)
  return u
}

/** A URI that must name a bucket only. */
export function parseBucketUri(arg: string): string {
  const u = parseNosUri(arg.endsWith('/') ? arg.slice(0, -1) : arg)
  if (u.key) throw new UsageError(`${JSON.stringify(arg)} names an object; expected a bucket (nos://bucket)`)
  return u.bucket
}

/**
 * A prefix treated as a directory: '' stays '', otherwise it ends with '/'. `nos rm -r nos://b/logs` removes
 * `logs/...`, never `logs-old/...`.
 */
export function dirPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`
}

/** The last segment of a key (`a/b/c.txt` -> `c.txt`). */
export function keyBasename(key: string): string {
  const k = key.endsWith('/') ? key.slice(0, -1) : key
  return k.slice(k.lastIndexOf('/') + 1)
}
