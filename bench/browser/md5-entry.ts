/**
 * Bundled by esbuild and injected into headless Chromium by `fig-md5.ts`: MD5 throughput of spark-md5, the
 * SDK's WebAssembly and JavaScript MD5s and hash-wasm (a reference WebAssembly MD5), plus correctness against
 * digests computed in Node.
 */
import { createMD5 } from 'hash-wasm'
import { createSparkMd5 } from '../../src/core/md5.js'
import { createWasmMd5, isWasmMd5Available } from '../../src/core/md5-wasm.js'
import { createJsMd5 } from '../../src/core/md5-js.js'
import { data } from '../lib/data.js'

type Impl = 'spark' | 'wasm' | 'js' | 'hash-wasm'
const SLICE = 1024 * 1024

async function hashWith(impl: Impl, bytes: Uint8Array, slice = SLICE): Promise<string> {
  if (impl === 'hash-wasm') {
    const h = await createMD5()
    h.init()
    for (let o = 0; o < bytes.length; o += slice) h.update(bytes.subarray(o, o + slice))
    return h.digest('hex')
  }
  const h = impl === 'spark' ? await createSparkMd5() : impl === 'js' ? createJsMd5() : await createWasmMd5()
  for (let o = 0; o < bytes.length; o += slice) h.update(bytes.subarray(o, o + slice))
  return h.digestHex()
}

const api = {
  available: () => isWasmMd5Available(),
  /** MB/s of each round. */
  async throughput(impl: Impl, mib: number, rounds: number): Promise<number[]> {
    const bytes = data(mib * SLICE, 42)
    await hashWith(impl, bytes.subarray(0, 4 * SLICE)) // warm-up (compile, tier-up)
    const out: number[] = []
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now()
      await hashWith(impl, bytes)
      out.push(bytes.length / 1e6 / ((performance.now() - t0) / 1000))
    }
    return out
  },
  /** Digests of `data(size, seed)` fed in pieces of `slice` bytes. */
  async digests(cases: { size: number; seed: number; slice: number }[]): Promise<Record<Impl, string[]>> {
    const out: Record<Impl, string[]> = { spark: [], wasm: [], js: [], 'hash-wasm': [] }
    for (const c of cases) {
      const bytes = data(c.size, c.seed)
      out.wasm.push(await hashWith('wasm', bytes, c.slice))
      out.spark.push(await hashWith('spark', bytes, c.slice))
      out.js.push(await hashWith('js', bytes, c.slice))
    }
    return out
  },
}

;(globalThis as unknown as { md5bench: typeof api }).md5bench = api
export { data }
