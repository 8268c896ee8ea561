/**
 * Upload tokens for NOS direct upload (docs/protocol.md#upload-tokens): a put policy naming one bucket, one object
 * and an expiry, signed with HMAC-SHA256 through Web Crypto. Made by a backend (any runtime); the page that
 * receives one can upload that one object until it expires, and nothing else.
 * @module
 */
import { utf8, toBase64 } from '../core/encoding.js'
import { InvalidArgument } from '../core/errors.js'
import { createHmacSigner } from './signer.js'
import { checkBucket, checkKey, checkParams, checkString } from '../core/validate.js'

import { DEFAULT_UPLOAD_TOKEN_EXPIRES, MAX_UPLOAD_TOKEN_EXPIRES } from '../core/limits.js'

/** Parameters of `createUploadToken`. */
export interface UploadTokenParams {
  accessKeyId: string
  accessKeySecret: string
  bucket: string
  key: string
  /** Lifetime in seconds from now (written as the policy's Unix `Expires`); default 3600, at most one year. */
  expires?: number
  /** Clock in ms; default `Date.now`. */
  now?: () => number
}

/** The put policy exactly as it is signed: field order and spacing matter, since the Base64 text is signed. */
export function putPolicy(bucket: string, key: string, expiresUnix: number): string {
  return JSON.stringify({ Bucket: bucket, Object: key, Expires: expiresUnix })
}

/** Checks a token lifetime in seconds (default 3600). @example checkExpires(undefined) // 3600 */
export function checkExpires(expires: unknown, name = 'expires'): number {
  if (expires === undefined) return DEFAULT_UPLOAD_TOKEN_EXPIRES
  if (typeof expires !== 'number' || !Number.isInteger(expires) || expires < 1 || expires > MAX_UPLOAD_TOKEN_EXPIRES) {
    throw new InvalidArgument(`${name} must be an integer number of seconds from 1 to ${MAX_UPLOAD_TOKEN_EXPIRES}, got ${String(expires)}`)
  }
  return expires
}

/**
 * The `x-nos-token` value `UPLOAD <accessKeyId>:<Base64 HMAC-SHA256(secret, policy)>:<Base64 policy>` for one object.
 * Backend only: it needs the secret.
 * @example
 * const token = await createUploadToken({ accessKeyId, accessKeySecret, bucket: 'videos', key: 'user-42/movie.mp4', expires: 900 })
 */
export async function createUploadToken(p: UploadTokenParams): Promise<string> {
  checkParams(p, 'createUploadToken')
  const accessKeyId = checkString(p.accessKeyId, 'accessKeyId', 'an access key id')
  if (/[:\s]/.test(accessKeyId)) throw new InvalidArgument('accessKeyId must not contain ":" or white space')
  const secret = checkString(p.accessKeySecret, 'accessKeySecret', 'the access key secret')
  const bucket = checkBucket(p.bucket)
  const key = checkKey(p.key)
  const expires = checkExpires(p.expires)
  if (p.now !== undefined && typeof p.now !== 'function') throw new InvalidArgument('now must be a function')
  const now = p.now ? p.now() : Date.now()
  const policy = toBase64(utf8(putPolicy(bucket, key, Math.floor(now / 1000) + expires)))
  return `UPLOAD ${accessKeyId}:${await createHmacSigner(secret)(policy)}:${policy}`
}
