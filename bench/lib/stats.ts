/** Small statistics and formatting helpers shared by the figures. */

export const QUICK = process.env.BENCH_QUICK === '1'
export const MiB = 1024 * 1024
export const GiB = 1024 * MiB

export function median(xs: number[]): number {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Runs `fn` and returns its wall time in ms. */
export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** MB/s (10^6 bytes per second) from bytes and ms. */
export const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000)

export const fmtMB = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`

/** Deterministic pseudo-random bytes (xorshift32), fast enough for GiBs when used as a repeated block. */
export function pseudoRandom(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n)
  const words = new Uint32Array(out.buffer, 0, n >> 2)
  let x = seed >>> 0 || 1
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = x >>> 0
  }
  for (let i = words.length * 4; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24
  return out
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`)
}
