/**
 * MD5 on WebAssembly for browsers and other runtimes without `node:crypto`: several times spark-md5's speed
 * (measured in Chromium by `npm run bench -- md5`), with the JavaScript MD5 (src/core/md5-js.ts) as the fallback
 * wherever WebAssembly cannot be compiled at run time (Cloudflare Workers, pages whose CSP lacks
 * `'wasm-unsafe-eval'`, `node --jitless`). The module's bytes live in src/core/md5-wasm-kernel.ts, loaded on first use:
 * nothing runs, and nothing of it is even parsed, at import time (Workers forbid work there; it costs start-up time).
 * @module
 */
import { createJsMd5 } from './md5-js.js'
import type { Md5Hasher } from './md5.js'

/**
 * True when the WebAssembly MD5 can run here (loads and compiles the module on first call).
 * @example
 * await isWasmMd5Available() // false in Cloudflare Workers, true in browsers, Node, Deno and Bun
 */
export async function isWasmMd5Available(): Promise<boolean> {
  return (await import('./md5-wasm-kernel.js')).loadKernel() !== null
}

/**
 * MD5 on WebAssembly, or the JavaScript MD5 where WebAssembly cannot be compiled at run time. Asynchronous since
 * 0.2 (the module is loaded on first use).
 * @example
 * const h = await createWasmMd5(); h.update(new TextEncoder().encode('hello')); h.digestHex() // '5d41402abc4b2a76b9719d911017c592'
 */
export async function createWasmMd5(): Promise<Md5Hasher> {
  const { loadKernel, wasmHasher } = await import('./md5-wasm-kernel.js')
  const k = loadKernel()
  return k ? wasmHasher(k) : createJsMd5()
}
