/**
 * Correctness of the WebAssembly MD5 (src/core/md5-wasm.ts) and of the JavaScript MD5 (src/core/md5-js.ts) against node:crypto
 * (random inputs, boundary sizes, arbitrary update splits, lengths past 2^32 bits), the generator being in sync with
 * the embedded bytes, and the JavaScript fallback where WebAssembly is unavailable (node --jitless, Cloudflare
 * workerd through miniflare).
 *
 *   npx vitest run test/unit/md5-wasm.test.ts
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createWasmMd5, isWasmMd5Available } from '../../src/core/md5-wasm.js'
import { createJsMd5 } from '../../src/core/md5-js.js'
import { createSparkMd5, type Md5Hasher } from '../../src/core/md5.js'
import { generate } from '../../bench/md5-wasm/gen.js'
import { md5 } from '../helpers/md5.js'

const SRC = fileURLToPath(new URL('../../src/core/md5-wasm.ts', import.meta.url))

const kernel = await import('../../src/core/md5-wasm-kernel.js')
const IMPLEMENTATIONS: [string, () => Md5Hasher][] = [
  ['WebAssembly MD5', () => kernel.wasmHasher(kernel.loadKernel()!)],
  ['JavaScript MD5', createJsMd5],
]

for (const [name, make] of IMPLEMENTATIONS) {
  const digest = (b: Uint8Array, splits: number[] = []): string => {
    const h = make()
    let off = 0
    for (const s of [...splits, b.length]) {
      h.update(b.subarray(off, Math.max(off, Math.min(s, b.length))))
      off = Math.max(off, Math.min(s, b.length))
    }
    return h.digestHex()
  }

  describe(name, () => {
    it('RFC 1321 test suite', () => {
      const suite: Record<string, string> = {
        '': 'd41d8cd98f00b204e9800998ecf8427e',
        a: '0cc175b9c0f1b6a831c399e269772661',
        abc: '900150983cd24fb0d6963f7d28e17f72',
        'message digest': 'f96b697d7cb7938d525a2f31aaf161d0',
        abcdefghijklmnopqrstuvwxyz: 'c3fcd3d76192e4007dfb496cca67e13b',
        ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789: 'd174ab98d277d9f5a5611c2c9f419d9f',
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890': '57edf4a22be3c955ac49da2e2107b67a',
      }
      for (const [text, want] of Object.entries(suite)) assert.equal(digest(new TextEncoder().encode(text)), want, JSON.stringify(text))
    })

    it('every size from 0 to 300 bytes, and sizes around the 64 KiB chunk', () => {
      for (let n = 0; n <= 300; n++) {
        const b = randomBytes(n)
        assert.equal(digest(b), md5(b), `size ${n}`)
      }
      for (const n of [65471, 65472, 65473, 65535, 65536, 65537, 130943, 130944, 130945, 1 << 20]) {
        const b = randomBytes(n)
        assert.equal(digest(b), md5(b), `size ${n}`)
      }
    })

    it('random inputs fed in random pieces', () => {
      for (let i = 0; i < 200; i++) {
        const n = Math.floor(Math.random() ** 2 * 300_000)
        const b = randomBytes(n)
        const splits = Array.from({ length: Math.floor(Math.random() * 6) }, () => Math.floor(Math.random() * (n + 1))).sort((x, y) => x - y)
        assert.equal(digest(b, splits), md5(b), `size ${n}, splits ${splits.join(',')}`)
      }
    })

    it('hashers are independent when interleaved (one module, state swapped per call)', () => {
      const a = randomBytes(200_000)
      const b = randomBytes(150_001)
      const ha = make()
      const hb = make()
      for (let off = 0; off < 200_000; off += 10_007) {
        ha.update(a.subarray(off, off + 10_007))
        hb.update(b.subarray(off, off + 10_007))
      }
      assert.equal(ha.digestHex(), md5(a))
      assert.equal(hb.digestHex(), md5(b))
    })

    it('reads words in place from aligned input and byte by byte from unaligned input, with the same result', () => {
      const b = randomBytes(4096 + 3)
      for (const start of [0, 1, 2, 3]) assert.equal(digest(b.subarray(start, start + 4096)), md5(b.subarray(start, start + 4096)), `offset ${start}`)
    })
  })
}

describe('WebAssembly MD5 (the module and its fallback)', () => {
  it('createWasmMd5 runs on WebAssembly here (not the fallback), and the module stays under the 4 KB sync-compile limit', async () => {
    assert.equal(await isWasmMd5Available(), true)
    assert.ok(generate().bytes.length < 4096, `module is ${generate().bytes.length} bytes`)
    const h = await createWasmMd5()
    h.update(new TextEncoder().encode('hello'))
    assert.equal(h.digestHex(), '5d41402abc4b2a76b9719d911017c592')
  })

  it('src/core/md5-wasm-kernel.ts embeds exactly what bench/md5-wasm/gen.ts generates', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../bench/md5-wasm/gen.ts', import.meta.url)), '--check'], { encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
  })

  it('createSparkMd5 (loaded on first use) agrees', async () => {
    const b = randomBytes(100_003)
    const h = await createSparkMd5()
    h.update(b)
    assert.equal(h.digestHex(), md5(b))
  })

  it('lengths of 512 MiB and more (the high word of the bit length, kept by the block driver both MD5s share)', () => {
    const block = randomBytes(64 << 20)
    const h = IMPLEMENTATIONS[0]![1]()
    const ref = createHash('md5')
    for (let i = 0; i < 9; i++) {
      h.update(block)
      ref.update(block)
    }
    h.update(block.subarray(0, 13))
    ref.update(block.subarray(0, 13))
    assert.equal(h.digestHex(), ref.digest('hex'))
  })

  it('falls back to the JavaScript MD5 without WebAssembly (node --jitless)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md5-wasm-test-'))
    try {
      const out = join(dir, 'probe.mjs')
      const entry = `import { createWasmMd5, isWasmMd5Available } from ${JSON.stringify(SRC)}
const h = await createWasmMd5(); h.update(new TextEncoder().encode('hello'))
console.log(JSON.stringify({ wasm: typeof WebAssembly, available: await isWasmMd5Available(), digest: h.digestHex() }))`
      await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' })
      const r = spawnSync(process.execPath, ['--jitless', out], { encoding: 'utf8' })
      assert.equal(r.status, 0, r.stderr)
      assert.deepEqual(JSON.parse(r.stdout), { wasm: 'undefined', available: false, digest: '5d41402abc4b2a76b9719d911017c592' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('falls back to the JavaScript MD5 in Cloudflare workerd (miniflare), where compiling WebAssembly is disallowed', async () => {
    const { Miniflare } = await import('miniflare')
    const entry = `import { createWasmMd5, isWasmMd5Available } from ${JSON.stringify(SRC)}
export default { async fetch() { const h = await createWasmMd5(); h.update(new TextEncoder().encode('hello')); return Response.json({ available: await isWasmMd5Available(), digest: h.digestHex() }) } }`
    const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], write: false, logLevel: 'error' })
    const mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: '2025-09-01' })
    try {
      const res = (await (await mf.dispatchFetch('http://localhost/')).json()) as { available: boolean; digest: string }
      assert.deepEqual(res, { available: false, digest: '5d41402abc4b2a76b9719d911017c592' })
    } finally {
      await mf.dispose()
    }
  })
})
