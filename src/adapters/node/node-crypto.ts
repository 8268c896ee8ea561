/**
 * `node:crypto`, loaded on first use: importing it costs Node several milliseconds of start-up, which `import
 * 'nos-sdk'` need not pay before the first signature or digest (bench/fig-import.ts).
 * @module
 */
type NodeCrypto = typeof import('node:crypto')

/** The module once loaded (synchronous access on the hot path), else undefined. */
export let nodeCrypto: NodeCrypto | undefined

/** Loads `node:crypto` (once). @example const { createHash } = nodeCrypto ?? (await loadNodeCrypto()) */
export async function loadNodeCrypto(): Promise<NodeCrypto> {
  return (nodeCrypto ??= await import('node:crypto'))
}
