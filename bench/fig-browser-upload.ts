/**
 * Figure: `upload()` of a 64 MiB File in headless Chromium (the web build, bundled for the browser: Content-MD5 per
 * part with the WebAssembly MD5) against raw `fetch` PUTs of the same Blob parts to presigned part URLs, 8 MiB parts,
 * 4 at a time, same emulator (separate process, disk-backed, permissive CORS), timed in the page, alternating.
 * The raw side times its part PUTs only (initiate and complete are done from Node). Target (issue 16): >= 0.9x.
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'
import { NosClient } from '../src/index-node.js'
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
      const node = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      const parts = Math.ceil(size / partSize)
      const sdk = () => page.evaluate((o) => (globalThis as any).uploadBench.sdk(o), { endpoint: emu.endpoint, accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, key: 'browser-sdk.bin', partSize, concurrency }) as Promise<number>
      const raw = async () => {
        const key = 'browser-raw.bin'
        const { uploadId } = await node.createMultipartUpload({ bucket: BUCKET, key })
        const urls = await Promise.all(Array.from({ length: parts }, (_, i) => node.presignUrl({ method: 'PUT', bucket: BUCKET, key, subResources: { partNumber: String(i + 1), uploadId } })))
        const r = (await page.evaluate((o) => (globalThis as any).uploadBench.raw(o), { urls, partSize, concurrency })) as { ms: number; etags: string[] }
        await node.completeMultipartUpload({ bucket: BUCKET, key, uploadId, parts: r.etags.map((etag, i) => ({ partNum: i + 1, etag })) })
        return r.ms
      }
      await sdk() // warm-up: the page's modules, WebAssembly, connections
      await raw()
      const ms: { sdk: number[]; raw: number[] } = { sdk: [], raw: [] }
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 ? (['sdk', 'raw'] as const) : (['raw', 'sdk'] as const)) ms[side].push(side === 'sdk' ? await sdk() : await raw())
        log(`browser upload round ${r + 1}/${rounds}: raw ${mbps(size, ms.raw.at(-1)!).toFixed(0)}, sdk ${mbps(size, ms.sdk.at(-1)!).toFixed(0)} MB/s`)
      }
      const show = (t: number) => `${mbps(size, t).toFixed(0)} MB/s`
      return [pairRow({ figure: `browser: upload() of a ${mib} MiB File in Chromium vs raw fetch PUTs of its Blob parts`, oursMs: ms.sdk, refMs: ms.raw, show, refLabel: 'raw fetch', min: 0.9, details: { partSize, concurrency, bytes: size },
        why: 'the page reads every part into memory and hashes it (WebAssembly MD5, one part ahead) on the main thread, which the raw side never does; ' +
          'hashing in a Web Worker would take it off the page\'s thread where a core is free.' })]
    } finally {
      await browser.close()
      server.close()
      await emu.close()
    }
  },
}
