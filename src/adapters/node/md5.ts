/**
 * MD5 on `node:crypto` (about 4x spark-md5 in Node; also available in Bun and Deno).
 * @module
 */
import { createHash } from 'node:crypto'
import type { Md5Factory } from '../../md5.js'

/**
 * @example
 * new NosClient({ md5: createNodeMd5, ... })
 */
export const createNodeMd5: Md5Factory = () => {
  const h = createHash('md5')
  return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') }
}
