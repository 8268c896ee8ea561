/**
 * MD5 on `node:crypto` (about 4x spark-md5 in Node; also available in Bun and Deno), loaded on first use.
 * @module
 */
import type { Md5Factory } from '../../core/md5.js'
import { loadNodeCrypto, nodeCrypto } from './node-crypto.js'

/**
 * Asynchronous (0.x change, like every MD5 factory of the SDK): `node:crypto` is loaded on first use.
 * @example
 * new NosClient({ md5: createNodeMd5 })
 * const h = await createNodeMd5(); h.update(bytes); h.digestHex()
 */
export const createNodeMd5: Md5Factory = async () => {
  const h = (nodeCrypto ?? (await loadNodeCrypto())).createHash('md5')
  return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') }
}
