/**
 * Figure: MD5 throughput. Node: node:crypto (what `nos-sdk/node` uses) against the SDK's WebAssembly MD5 and
 * spark-md5. Headless Chromium (playwright-core, Debian chromium): spark-md5 against the SDK's WebAssembly and JavaScript MD5s
 * (src/core/md5-wasm.ts) and hash-wasm (a reference WebAssembly MD5, a benchmark-only devDependency), digests checked
 * against node:crypto, and the fallback checked where WebAssembly compilation is forbidden (a page whose CSP lacks
 * 'wasm-unsafe-eval', and Cloudflare's workerd through miniflare).
 * Target: >= 400 MB/s in Chromium where WebAssembly is allowed.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createSparkMd5, type Md5Factory } from '../src/core/md5.js'
import { createWasmMd5 } from '../src/core/md5-wasm.js'
import { createJsMd5 } from '../src/core/md5-js.js'
import { createNodeMd5 } from '../src/adapters/node/md5.js'
import { CHROMIUM, bundle, launchChromium } from './lib/browser.js'
import { MiB, QUICK, log, mbps, median, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'
import { generate } from './md5-wasm/gen.js'
import { data } from './lib/data.js'

const ENTRY = fileURLToPath(new URL('./browser/md5-entry.ts', import.meta.url))
const SRC_MD5_WASM = fileURLToPath(new URL('../src/core/md5-wasm.ts', import.meta.url))

/** Sizes around the 64-byte block, the 56-byte padding edge and the module's 64 KiB chunk, fed in odd slices. */
export const DIGEST_CASES = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65471, 65472, 65473, 65536, 200_003, 1_048_576 + 13].flatMap((size, i) => [
  { size, seed: i + 1, slice: 1_048_576 },
  { size, seed: i + 101, slice: [1, 7, 63, 64, 65, 4096, 65535][i % 7]! },
])

function nodeMd5(bytes: Uint8Array, slice: number): string {
  const h = createHash('md5')
  for (let o = 0; o < bytes.length; o += slice) h.update(bytes.subarray(o, o + slice))
  return h.digest('hex')
}

async function nodeThroughput(factory: Md5Factory, bytes: Uint8Array, rounds: number): Promise<number> {
  const h0 = await factory()
  h0.update(bytes.subarray(0, 4 * MiB))
  h0.digestHex()
  const out: number[] = []
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now()
    const h = await factory()
    for (let o = 0; o < bytes.length; o += MiB) h.update(bytes.subarray(o, o + MiB))
    h.digestHex()
    out.push(mbps(bytes.length, performance.now() - t0))
  }
  return median(out)
}

function serve(js: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/md5.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      return res.end(js)
    }
    // /strict: a CSP without 'wasm-unsafe-eval', so WebAssembly compilation throws and the JavaScript MD5 must take over.
    const csp: Record<string, string> = req.url === '/strict' ? { 'content-security-policy': "script-src 'self'" } : {}
    res.writeHead(200, { 'content-type': 'text/html', ...csp })
    res.end('<!doctype html><meta charset="utf-8"><script src="/md5.js"></script>')
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  )
}

/** Runs the SDK's MD5 in workerd (miniflare): WebAssembly compilation is disallowed there. */
async function inWorkerd(): Promise<{ available: boolean; digest: string } | { error: string }> {
  try {
    const { Miniflare } = await import('miniflare')
    const entry = `import { createWasmMd5, isWasmMd5Available } from ${JSON.stringify(SRC_MD5_WASM)}
export default { async fetch() { const h = await createWasmMd5(); h.update(new TextEncoder().encode('hello')); return Response.json({ available: await isWasmMd5Available(), digest: h.digestHex() }) } }`
    const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], write: false, logLevel: 'error' })
    const mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: '2025-09-01' })
    try {
      return (await (await mf.dispatchFetch('http://localhost/')).json()) as { available: boolean; digest: string }
    } finally {
      await mf.dispose()
    }
  } catch (e) {
    return { error: String(e) }
  }
}

export const md5Figure: Figure = {
  id: 'md5',
  title: 'MD5 in Node and in headless Chromium',
  async run(): Promise<Row[]> {
    const rounds = QUICK ? 2 : 5
    const mib = QUICK ? 16 : 64
    const rows: Row[] = []
    const bytes = pseudoRandom(mib * MiB, 5)
    const node = {
      'node:crypto': await nodeThroughput(createNodeMd5, bytes, rounds),
      wasm: await nodeThroughput(createWasmMd5, bytes, rounds),
      js: await nodeThroughput(createJsMd5, bytes, rounds),
      spark: await nodeThroughput(createSparkMd5, bytes, rounds),
    }
    rows.push({
      figure: 'MD5 in Node: node:crypto (the Node build\'s default)',
      ours: `${node['node:crypto'].toFixed(0)} MB/s`,
      reference: `wasm ${node.wasm.toFixed(0)}, js ${node.js.toFixed(0)}, spark ${node.spark.toFixed(0)} MB/s`,
      target: 'info',
      details: node,
    })

    const wasmSize = generate().bytes.length
    if (!existsSync(CHROMIUM)) {
      rows.push({ figure: 'MD5 in Chromium', ours: `skipped: no ${CHROMIUM}`, reference: '', target: '>= 400 MB/s', pass: undefined })
      return rows
    }
    const expected = DIGEST_CASES.map((c) => nodeMd5(data(c.size, c.seed), c.slice))
    const { server, origin } = await serve(await bundle(ENTRY))
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(`${origin}/`)
      const api = <T>(fn: string, ...args: unknown[]) =>
        page.evaluate(([f, a]) => (globalThis as any).md5bench[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>
      const available = await api<boolean>('available')
      const tp: Record<string, number[]> = {}
      for (const impl of ['wasm', 'hash-wasm', 'js', 'spark']) tp[impl] = await api<number[]>('throughput', impl, mib, rounds)
      const m = Object.fromEntries(Object.entries(tp).map(([k, v]) => [k, median(v)])) as Record<string, number>
      log(`md5 chromium: wasm ${m.wasm!.toFixed(0)}, hash-wasm ${m['hash-wasm']!.toFixed(0)}, js ${m.js!.toFixed(0)}, spark ${m.spark!.toFixed(0)} MB/s`)
      const got = await api<{ wasm: string[]; js: string[]; spark: string[] }>('digests', DIGEST_CASES)
      const wrong = DIGEST_CASES.filter((_, i) => got.wasm[i] !== expected[i] || got.js[i] !== expected[i] || got.spark[i] !== expected[i])
      const strict = await browser.newPage()
      await strict.goto(`${origin}/strict`)
      const strictAvailable = await strict.evaluate(() => (globalThis as any).md5bench.available() as Promise<boolean>)
      const strictDigests = await strict.evaluate((c) => (globalThis as any).md5bench.digests(c), DIGEST_CASES.slice(0, 8))
      const strictOk = (strictDigests as { wasm: string[] }).wasm.every((d, i) => d === expected[i])
      const workerd = await inWorkerd()
      const workerdOk = 'available' in workerd && !workerd.available && workerd.digest === '5d41402abc4b2a76b9719d911017c592'
      rows.push(
        {
          figure: `MD5 in Chromium: WebAssembly (src/core/md5-wasm.ts, ${wasmSize} B)`,
          ours: `${m.wasm!.toFixed(0)} MB/s`,
          reference: `spark ${m.spark!.toFixed(0)}, hash-wasm ${m['hash-wasm']!.toFixed(0)} MB/s`,
          ratio: m.wasm! / m.spark!,
          target: '>= 400 MB/s',
          pass: available && m.wasm! >= 400,
          details: { roundsMBps: tp, available, mib, wasmBytes: wasmSize },
        },
        {
          figure: 'MD5 in Chromium: JavaScript (src/core/md5-js.ts, the <script> bundles\' MD5)',
          ours: `${m.js!.toFixed(0)} MB/s`,
          reference: `spark-md5 ${m.spark!.toFixed(0)} MB/s`,
          ratio: m.js! / m.spark!,
          target: '>= 0.9x spark-md5',
          pass: m.js! / m.spark! >= 0.9,
          details: { roundsMBps: { js: tp.js, spark: tp.spark } },
        },
        {
          figure: 'MD5 digests (Chromium: wasm + js + spark) = node:crypto',
          ours: `${DIGEST_CASES.length - wrong.length}/${DIGEST_CASES.length} equal`,
          reference: 'sizes 0..1 MiB+13, slices 1..1 MiB',
          target: 'all equal',
          pass: wrong.length === 0,
          details: { wrong },
        },
        {
          figure: 'MD5 fallback where WebAssembly is forbidden',
          ours: `CSP page: ${strictAvailable ? 'wasm ran (!)' : 'js'} ${strictOk ? 'ok' : 'WRONG'}; workerd: ${'error' in workerd ? 'not run' : workerd.available ? 'wasm ran (!)' : 'js'} ${workerdOk ? 'ok' : ''}`,
          reference: '',
          target: 'falls back, correct',
          pass: !strictAvailable && strictOk && ('error' in workerd || workerdOk),
          details: { strictAvailable, strictOk, workerd },
        },
      )
    } finally {
      await browser.close()
      server.close()
    }
    return rows
  },
}
