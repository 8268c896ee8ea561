/**
 * nos-sdk in Node, Bun and Deno (package.json conditions `node`, `bun`, `deno`): the same names as src/index.ts,
 * with `node:crypto` under the client's MD5 and HMAC, `createHmacSigner` and `md5Hex`. `nos-sdk/node` adds file
 * helpers; browsers, workers and edge runtimes get src/index.ts.
 * @module
 */
import { createNodeHmacSigner } from './adapters/node/hmac.js'
import { createNodeMd5 } from './adapters/node/md5.js'
import { md5Hex as coreMd5Hex, type Md5Factory } from './core/md5.js'

export * from './index.js'
export { NosClient } from './adapters/node/node-client.js'

/** `'node'` in this build (src/core/build.ts). @example NOS_SDK_BUILD // 'node' */
export const NOS_SDK_BUILD: 'web' | 'node' = 'node'

/**
 * An HMAC-SHA256 signer for one secret on `node:crypto` (the web build's uses Web Crypto).
 * @example await createHmacSigner('secret')('GET\n\n\n1893456900\n/b/k') // Base64, 44 characters
 */
export const createHmacSigner = createNodeHmacSigner

/**
 * Hex MD5 of bytes, a Blob, or a ReadableStream (consumed), on `node:crypto` unless a factory is given.
 * @example await md5Hex(new TextEncoder().encode('hello')) // '5d41402abc4b2a76b9719d911017c592'
 */
export function md5Hex(input: Parameters<typeof coreMd5Hex>[0], factory: Md5Factory = createNodeMd5): Promise<string> {
  return coreMd5Hex(input, factory)
}
