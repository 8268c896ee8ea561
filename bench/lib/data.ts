/**
 * Deterministic test bytes (xorshift32 words), shared by the MD5 figure in Node and its page in Chromium so that
 * both hash the same inputs.
 */
export function data(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  const w = new Uint32Array(out.buffer, 0, n >> 2)
  let x = seed >>> 0 || 1
  for (let i = 0; i < w.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    w[i] = x >>> 0
  }
  for (let i = w.length * 4; i < n; i++) out[i] = i & 0xff
  return out
}
