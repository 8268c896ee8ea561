/**
 * Figure: download of a 256 MiB object with `getObject` (body stream read to the end) against a raw `node:http`
 * GET of a presigned URL, same emulator (separate process, disk-backed). Target (issue 7): >= 0.85x.
 */
import { NosClient } from '../src/node.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { newAgent, rawGet } from './lib/raw.js'
import { MiB, QUICK, log, mbps, median, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

export const downloadFigure: Figure = {
  id: 'download',
  title: 'download 256 MiB: getObject stream vs raw node:http GET',
  async run(): Promise<Row[]> {
    const size = QUICK ? 32 * MiB : 256 * MiB
    // A 256 MiB GET takes 0.3-0.7 s here, short enough for a neighbour's burst to swing one round: 9 rounds.
    const rounds = QUICK ? 2 : 9
    const emu = await spawnEmulator({ disk: true })
    try {
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      const key = 'download.bin'
      await client.upload({ bucket: BUCKET, key, body: pseudoRandom(size, 3), objectMd5: false })
      const agent = newAgent(1)
      const variants: Record<string, () => Promise<number>> = {
        raw: async () => {
          const url = await client.presignUrl({ bucket: BUCKET, key })
          const r = await rawGet(url, {}, agent)
          if (r.status !== 200) throw new Error(`raw GET ${r.status}`)
          return r.bytes
        },
        sdk: async () => {
          const obj = await client.getObject({ bucket: BUCKET, key })
          const reader = obj.body.getReader()
          let n = 0
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return n
            n += value.length
          }
        },
      }
      for (const v of Object.values(variants)) await v() // warm-up
      const ms: Record<string, number[]> = { raw: [], sdk: [] }
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 ? ['sdk', 'raw'] : ['raw', 'sdk']) {
          const t0 = performance.now()
          const n = await variants[name]!()
          ms[name]!.push(performance.now() - t0)
          if (n !== size) throw new Error(`${name} read ${n} bytes, expected ${size}`)
        }
        log(`download round ${r + 1}/${rounds}: raw ${mbps(size, ms.raw!.at(-1)!).toFixed(0)}, sdk ${mbps(size, ms.sdk!.at(-1)!).toFixed(0)} MB/s`)
      }
      agent.destroy()
      const ours = mbps(size, median(ms.sdk!))
      const ref = mbps(size, median(ms.raw!))
      // Also the median of per-round ratios (each pair measured back to back), less sensitive to drift.
      const paired = median(ms.raw!.map((raw, i) => raw / ms.sdk![i]!))
      return [
        {
          figure: `download ${size / MiB} MiB: getObject stream`,
          ours: `${ours.toFixed(0)} MB/s`,
          reference: `${ref.toFixed(0)} MB/s`,
          ratio: ours / ref,
          target: '>= 0.85x',
          pass: ours / ref >= 0.85,
          details: { roundsMs: ms, bytes: size, pairedRatioMedian: paired },
        },
      ]
    } finally {
      await emu.close()
    }
  },
}
