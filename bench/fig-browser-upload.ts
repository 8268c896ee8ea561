/**
 * Figure: `upload()` of a 64 MiB File in headless Chromium (the web build, bundled for the browser: Content-MD5 per
 * part with the WebAssembly MD5) against raw `fetch` PUTs of the same Blob parts to presigned part URLs, 8 MiB parts,
 * 4 at a time, same emulator (separate process, disk-backed, permissive CORS), timed in the page, alternating.
 * The raw side is the same multipart upload by hand (initiate and complete through the client, the parts raw fetch PUTs
 * of Blob slices to presigned URLs, no hashing), as the Node upload figure's reference. Target: >= 0.9x.
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { CHROMIUM, bundle, launchChromium } from './lib/browser.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { pairRow } from './lib/pairs.js'
import { MiB, QUICK, log, mbps } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const ENTRY = fileURLToPath(new URL('./browser/upload-entry.ts', import.meta.url))

function serve(js: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      return res.end(js)
    }
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><meta charset="utf-8"><script src="/bench.js"></script>')
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })))
}

export const browserUploadFigure: Figure = {
  id: 'browser-upload',
  title: 'upload() of a 64 MiB File in Chromium vs raw fetch PUTs of the same Blob parts',
  async run(): Promise<Row[]> {
    if (!existsSync(CHROMIUM)) return [{ figure: 'browser upload', ours: `skipped: no ${CHROMIUM}`, reference: '', target: '>= 0.9x', pass: undefined }]
    const mib = QUICK ? 16 : 64
    const partSize = 8 * MiB
    const concurrency = 4
    const rounds = QUICK ? 2 : 5
    const emu = await spawnEmulator({ disk: true, cors: 'permissive' })
    const { server, origin } = await serve(await bundle(ENTRY))
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(`${origin}/`)
      const size = await page.evaluate((m) => (globalThis as any).uploadBench.makeFile(m), mib)
      const args = { endpoint: emu.endpoint, accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, partSize, concurrency }
      const sdk = () => page.evaluate((o) => (globalThis as any).uploadBench.sdk(o), { ...args, key: 'browser-sdk.bin' }) as Promise<number>
      const raw = () => page.evaluate((o) => (globalThis as any).uploadBench.raw(o), { ...args, key: 'browser-raw.bin' }) as Promise<number>
      const sdkNoMd5 = () => page.evaluate((o) => (globalThis as any).uploadBench.sdk(o), { ...args, key: 'browser-sdk.bin', contentMd5: false }) as Promise<number>
      await sdk() // warm-up: the page's modules, WebAssembly, connections
      await raw()
      const ms: { sdk: number[]; raw: number[]; sdkNoMd5: number[] } = { sdk: [], raw: [], sdkNoMd5: [] }
      const run = { sdk, raw, sdkNoMd5 }
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 ? (['sdkNoMd5', 'sdk', 'raw'] as const) : (['raw', 'sdk', 'sdkNoMd5'] as const)) ms[side].push(await run[side]())
        log(`browser upload round ${r + 1}/${rounds}: raw ${mbps(size, ms.raw.at(-1)!).toFixed(0)}, sdk ${mbps(size, ms.sdk.at(-1)!).toFixed(0)} MB/s`)
      }
      const show = (t: number) => `${mbps(size, t).toFixed(0)} MB/s`
      const noMd5 = pairRow({ figure: `browser: upload() contentMd5:false vs the same raw fetch upload (what reading and hashing the parts costs in the page)`, oursMs: ms.sdkNoMd5, refMs: ms.raw, show, refLabel: 'raw fetch', details: { partSize, concurrency, bytes: size } })
      return [noMd5, pairRow({ figure: `browser: upload() of a ${mib} MiB File in Chromium vs raw fetch PUTs of its Blob parts`, oursMs: ms.sdk, refMs: ms.raw, show, refLabel: 'raw fetch', min: 0.9, details: { partSize, concurrency, bytes: size },
        why: 'the page reads every part out of the Blob and hashes it (WebAssembly MD5, one part ahead) on its own thread, which the raw side never does ' +
          '(the contentMd5:false row leaves that out; what remains is the SDK\'s signing and bookkeeping and this machine\'s noise). ' +
          'The first parts cannot start before their MD5, so the pipeline fills one hash at a time; ' +
          'hashing in Web Workers (several parts at once, off the page\'s thread) would close it where cores are free, or contentMd5:false on trusted links.' })].reverse()
    } finally {
      await browser.close()
      server.close()
      await emu.close()
    }
  },
}
