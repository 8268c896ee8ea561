/**
 * HMAC-SHA256 request signing on `node:crypto` (loaded on first use): synchronous once loaded, so an awaited
 * signature no longer waits for a thread-pool round trip as Web Crypto's `crypto.subtle.sign` does in Node
 * (bench/fig-sign.ts).
 * @module
 */
import type { SignFunction } from '../../signer.js'
import { loadNodeCrypto, nodeCrypto } from './node-crypto.js'

/**
 * @example
 * await createNodeHmacSigner('secret')('GET\n\n\n1893456900\n/b/k') // Base64, 44 characters
 */
export function createNodeHmacSigner(secret: string): SignFunction {
  return async (message) => (nodeCrypto ?? (await loadNodeCrypto())).createHmac('sha256', secret).update(message, 'utf8').digest('base64')
}
