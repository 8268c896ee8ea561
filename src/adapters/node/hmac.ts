/**
 * HMAC-SHA256 request signing on `node:crypto` (loaded on first use): synchronous once loaded, so an awaited
 * signature no longer waits for a thread-pool round trip as Web Crypto's `crypto.subtle.sign` does in Node
 * (bench/fig-sign.ts).
 * @module
 */
import type { SignFunction } from '../../signing/signer.js'
import { loadNodeCrypto, nodeCrypto } from './node-crypto.js'

/**
 * @example
 * await createNodeHmacSigner('secret')('GET\n\n\n1893456900\n/b/k') // Base64, 44 characters
 */
export function createNodeHmacSigner(secret: string): SignFunction {
  // The key object is made once: createHmac with a string key prepares the key on every signature.
  let key: import('node:crypto').KeyObject | undefined
  return async (message) => {
    const crypto = nodeCrypto ?? (await loadNodeCrypto())
    key ??= crypto.createSecretKey(secret, 'utf8')
    return crypto.createHmac('sha256', key).update(message, 'utf8').digest('base64')
  }
}
