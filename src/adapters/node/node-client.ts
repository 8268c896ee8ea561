/**
 * The client of the Node build: the core client with `node:crypto` MD5 and HMAC as its defaults. It is what
 * `import { NosClient } from 'nos-sdk'` gives in Node, Bun and Deno (src/index-node.ts); `nos-sdk/node` adds file
 * helpers on top of it (src/node.ts).
 * @module
 */
import { NosClient as CoreClient } from '../../client/nos-client.js'
import type { NosClientOptions } from '../../core/config.js'
import { createNodeHmacSigner } from './hmac.js'
import { createNodeMd5 } from './md5.js'

/**
 * The NOS client with `node:crypto` MD5 (about 4x spark-md5) and HMAC (synchronous: Web Crypto's `subtle.sign` is a
 * thread-pool round trip per signature in Node).
 * @example
 * import { NosClient } from 'nos-sdk' // in Node, Bun and Deno
 * const client = new NosClient({ accessKeyId: 'AK', accessKeySecret: 'SK' })
 */
export class NosClient extends CoreClient {
  constructor(options: NosClientOptions = {}) {
    // A secret is signed with node:crypto. Anything unusual (no secret, a blank one, or together with `sign`) goes to
    // the core's checks as given.
    const secret = typeof options.accessKeySecret === 'string' ? options.accessKeySecret.trim() : ''
    const useNode = secret !== '' && options.sign === undefined
    super({ md5: createNodeMd5, ...options, ...(useNode ? { accessKeySecret: undefined, sign: createNodeHmacSigner(secret) } : {}) })
  }
}
