/**
 * Figure: 1,000 PUTs of 1 KiB at concurrency 16 through `putObject` (the Node build of `nos-sdk`: it hashes every
 * body for Content-MD5 and signs every request) against the same requests sent with raw `fetch` and headers
 * precomputed before the clock starts (Date, Content-Type, Content-MD5, Authorization). Emulator in a separate
 * process, in memory. The two sides run back to back, alternating which goes first. Target: >= 0.8x.
 */
import { createHash } from 'node:crypto'
import { NosClient } from '../src/index-node.js'
import { signHeaders } from '../src/signing/signer.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { pairRow } from './lib/pairs.js'
import { newAgent, pool, rawPut } from './lib/raw.js'
import { QUICK, log, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

export const smallPutsFigure: Figure = {
  id: 'small-puts',
  title: '1,000 x 1 KiB PUTs at concurrency 16: putObject vs raw fetch',
  async run(): Promise<Row[]> {
    const count = QUICK ? 300 : 1000
    const rounds = QUICK ? 2 : 7
    const concurrency = 16
    const emu = await spawnEmulator()
    try {
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      const body = pseudoRandom(1024, 11)
      const md5 = createHash('md5').update(body).digest('hex')
      const keys = Array.from({ length: count }, (_, i) => `small/${String(i).padStart(5, '0')}.bin`)
      const sdk = () => pool(keys, concurrency, async (key) => void (await client.putObject({ bucket: BUCKET, key, body })))
      // The reference signs everything first: only the HTTP work is timed.
      const prepare = async () => {
        const date = new Date()
        return Promise.all(
          keys.map(async (key) => ({
            url: `${emu.endpoint}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`,
            headers: await signHeaders(
              { method: 'PUT', bucket: BUCKET, key, headers: { 'Content-Type': 'application/octet-stream', 'Content-MD5': md5 } },
              { accessKeyId: AK, sign: client.config.signer!, date },
            ),
          })),
        )
      }
      const raw = (reqs: { url: string; headers: Record<string, string> }[]) =>
        pool(reqs, concurrency, async (r) => {
          const res = await fetch(r.url, { method: 'PUT', headers: r.headers, body: body as Uint8Array<ArrayBuffer> })
          await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`raw PUT ${res.status}`)
        })
      // Also the same pre-signed requests on node:http (info): what the transport itself costs.
      const agent = newAgent(concurrency)
      const http = (reqs: { url: string; headers: Record<string, string> }[]) =>
        pool(reqs, concurrency, async (r) => {
          const res = await rawPut(r.url, body, r.headers, agent)
          if (res.status !== 200) throw new Error(`raw http PUT ${res.status}`)
        })
      await sdk() // warm-up (JIT, connection pool)
      await raw(await prepare())
      await http(await prepare())
      const ms: Record<'sdk' | 'raw' | 'http', number[]> = { sdk: [], raw: [], http: [] }
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 ? (['sdk', 'raw', 'http'] as const) : (['http', 'raw', 'sdk'] as const)) {
          const reqs = name === 'sdk' ? undefined : await prepare()
          const t0 = performance.now()
          await (name === 'raw' ? raw(reqs!) : name === 'http' ? http(reqs!) : sdk())
          ms[name].push(performance.now() - t0)
        }
        log(`small puts round ${r + 1}/${rounds}: raw fetch ${ms.raw.at(-1)!.toFixed(0)} ms, raw node:http ${ms.http.at(-1)!.toFixed(0)} ms, sdk ${ms.sdk.at(-1)!.toFixed(0)} ms`)
      }
      agent.destroy()
      const show = (t: number) => `${(count / (t / 1000)).toFixed(0)} req/s`
      return [
        pairRow({
          figure: `${count} PUTs of 1 KiB, concurrency ${concurrency}: putObject vs raw fetch, pre-signed`, oursMs: ms.sdk, refMs: ms.raw, show, refLabel: 'raw fetch', min: 0.8, details: { count, concurrency },
          why: 'per request the SDK hashes the body (Content-MD5), signs, validates and maps errors, which the pre-signed reference does before the clock starts.',
        }),
        pairRow({ figure: `${count} PUTs of 1 KiB: raw fetch vs raw node:http, both pre-signed (the transport's own cost)`, oursMs: ms.raw, refMs: ms.http, show, refLabel: 'raw node:http', details: { count, concurrency } }),
      ]
    } finally {
      await emu.close()
    }
  },
}
