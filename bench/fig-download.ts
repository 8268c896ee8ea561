/**
 * Figure: download of a 256 MiB object, `getObject` body stream read to the end (the Node build of `nos-sdk`),
 * against the fastest raw clients Node has, each GETting a presigned URL of the same emulator (separate process,
 * disk-backed) in the same rounds: `node:http`, undici's `request()` (undici 7 from npm, a bench devDependency:
 * Node 20's own fetch runs on an older bundled undici) and raw `fetch`. Target: >= 0.9x the fastest of
 * the three (the best median), the ratio taken round by round.
 */
import { fetch as undiciFetch, request } from 'undici'
import { NosClient } from '../src/index-node.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { interleaved, pairRow } from './lib/pairs.js'
import { newAgent, rawGet } from './lib/raw.js'
import { MiB, QUICK, log, mbps, median, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

/** Reads a web stream to the end; returns the byte count. */
async function drain(body: ReadableStream<Uint8Array>): Promise<number> {
  const reader = body.getReader()
  let n = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return n
    n += value.length
  }
}

export const downloadFigure: Figure = {
  id: 'download',
  title: 'download 256 MiB: getObject stream vs node:http, undici request() and fetch',
  async run(): Promise<Row[]> {
    const size = QUICK ? 32 * MiB : 256 * MiB
    // A 256 MiB GET takes 0.3-0.7 s here, short enough for a neighbour's burst to swing one round: 9 rounds.
    const rounds = QUICK ? 2 : 9
    const emu = await spawnEmulator({ disk: true })
    const agent = newAgent(1)
    try {
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      const key = 'download.bin'
      await client.upload({ bucket: BUCKET, key, body: pseudoRandom(size, 3) })
      // The same client on undici 7's fetch (what `new NosClient({ fetch })` can inject): info, to tell the SDK's cost
      // from that of the fetch it runs on.
      const onUndici7 = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, fetch: undiciFetch as unknown as typeof fetch })
      const url = () => client.presignUrl({ bucket: BUCKET, key })
      const check = (name: string, n: number) => {
        if (n !== size) throw new Error(`${name} read ${n} bytes, expected ${size}`)
      }
      const variants: Record<string, () => Promise<unknown>> = {
        sdk: async () => check('sdk', await drain((await client.getObject({ bucket: BUCKET, key })).body)),
        'sdk on undici 7 fetch': async () => check('sdk/undici', await drain((await onUndici7.getObject({ bucket: BUCKET, key })).body)),
        'node:http': async () => {
          const r = await rawGet(await url(), {}, agent)
          check('node:http', r.status === 200 ? r.bytes : -r.status)
        },
        'undici request()': async () => {
          const r = await request(await url())
          let n = 0
          for await (const c of r.body) n += (c as Buffer).length
          check('undici', r.statusCode === 200 ? n : -r.statusCode)
        },
        fetch: async () => {
          const r = await fetch(await url())
          check('fetch', r.status === 200 ? await drain(r.body!) : -r.status)
        },
      }
      for (const v of Object.values(variants)) await v() // warm-up
      const ms = await interleaved(variants, rounds, (r, got) =>
        log(`download round ${r + 1}/${rounds}: ` + Object.entries(got).map(([n, t]) => `${n} ${mbps(size, t.at(-1)!).toFixed(0)}`).join(', ') + ' MB/s'),
      )
      const show = (t: number) => `${mbps(size, t).toFixed(0)} MB/s`
      const refs = ['node:http', 'undici request()', 'fetch']
      // The fastest reference: the one with the best median. (The fastest of each round would be the minimum of three
      // noisy samples, biased low on a busy machine even when all three clients are equally fast.)
      const best = refs.reduce((a, b) => (median(ms[b]!) < median(ms[a]!) ? b : a))
      const main = pairRow({ figure: `download ${size / MiB} MiB: getObject stream vs the fastest raw client (${best})`, oursMs: ms.sdk!, refMs: ms[best]!, show, refLabel: best, min: 0.9, details: { fastest: best, bytes: size },
        why: 'getObject hands over the body of Node\'s fetch, a web stream; node:http and undici request() hand over Node streams, cheaper per 64 KiB chunk. ' +
          'A node:http (or undici request()) transport in the Node build would close it; on this shared machine single rounds swing both ways (see the spread).' })
      const each = refs.map((n) => pairRow({ figure: `download ${size / MiB} MiB: getObject stream vs ${n}`, oursMs: ms.sdk!, refMs: ms[n]!, show, refLabel: n, details: { bytes: size } }))
      log(`download medians: ${Object.entries(ms).map(([n, t]) => `${n} ${median(t).toFixed(0)} ms`).join(', ')}`)
      const injected = pairRow({ figure: `download ${size / MiB} MiB: getObject on undici 7's fetch (fetch option) vs ${best}`, oursMs: ms['sdk on undici 7 fetch']!, refMs: ms[best]!, show, refLabel: best, details: { bytes: size } })
      return [main, ...each, injected]
    } finally {
      agent.destroy()
      await emu.close()
    }
  },
}
