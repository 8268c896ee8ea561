/**
 * `nos sync --checksum`: same size and same content, judged by MD5 without downloading anything. The rule:
 *
 * - NOS's ETag of an object stored by one PUT is the hex MD5 of its bytes; of a multipart object it is the MD5
 *   of the parts' hex MD5s, each followed by `-` (docs/protocol.md#multipart-upload; a `-<parts>` suffix, if NOS adds
 * one,   is ignored). A file's MD5 alone cannot be compared with a multipart ETag without knowing the part size.
 * - So a local file is hashed once (node:crypto) into its MD5 and, when it is larger than one part, the
 *   multipart ETag it would get with the part size `nos` itself uploads it with (`choosePartSize` of nos-sdk for
 *   its size and `--part-size`). The object is the same when its ETag equals either.
 * - Otherwise it is treated as changed and transferred: a multipart object uploaded by another tool with
 *   another part size is transferred once, after which its ETag is the one `nos` computes.
 * - NOS -> NOS: the ETags are compared (a server-side copy keeps the ETag).
 * @module
 */
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { choosePartSize } from '../../transfers/part-size.js'

/** The MD5 of a file and, when larger than one part, its multipart ETag at `partSize`. */
export interface Digests {
  md5: string
  multipartEtag: string | undefined
}

/** Hashes a file in one read: the whole MD5, and the MD5 of each `partSize` slice. */
export async function fileDigests(path: string, size: number, partSizeFlag: number | undefined): Promise<Digests> {
  const partSize = choosePartSize(size, partSizeFlag)
  const whole = createHash('md5')
  const parts: string[] = []
  let part: Hash = createHash('md5')
  let inPart = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    whole.update(chunk)
    let at = 0
    while (at < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - at)
      part.update(chunk.subarray(at, at + take))
      at += take
      inPart += take
      if (inPart === partSize) {
        parts.push(part.digest('hex'))
        part = createHash('md5')
        inPart = 0
      }
    }
  }
  if (inPart > 0) parts.push(part.digest('hex'))
  const multipartEtag = size > partSize ? createHash('md5').update(parts.map((p) => `${p}-`).join('')).digest('hex') : undefined
  return { md5: whole.digest('hex'), multipartEtag }
}

/** An ETag as compared: lower case, without quotes or a `-<parts>` suffix. */
export function normalEtag(etag: string): string {
  return etag.replace(/"/g, '').replace(/-\d+$/, '').toLowerCase()
}

/**
 * True when an object with `etag` holds the bytes the digests describe.
 * @example etagMatches('5d41402abc4b2a76b9719d911017c592', { md5: '5d41402abc4b2a76b9719d911017c592', multipartEtag: undefined }) // true
 */
export function etagMatches(etag: string, d: Digests): boolean {
  const e = normalEtag(etag)
  return e === d.md5 || (d.multipartEtag !== undefined && e === d.multipartEtag)
}
