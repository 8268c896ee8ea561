/** Reference digests for tests, from node:crypto (independent of the SDK's own MD5 code). */
import { createHash } from 'node:crypto'

/** Hex MD5 of bytes or a UTF-8 string. */
export const md5 = (b: Uint8Array | string): string => createHash('md5').update(b).digest('hex')

/** NOS's multipart ETag: the MD5 of the concatenated hex MD5s of the parts, each followed by `-` (docs/protocol.md#etags). */
export function multipartEtag(data: Uint8Array, partSize: number): string {
  let s = ''
  for (let i = 0; i < data.length; i += partSize) s += md5(data.subarray(i, i + partSize)) + '-'
  return md5(s)
}
