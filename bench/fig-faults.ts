/**
 * Figure (faults at full size): a 512 MiB upload of a stream of unknown length while the emulator fails 10% of
 * uploadPart requests (5% 503 ServiceUnavailable, 5% connection reset after the first body bytes; seeded, so the
 * run is reproducible), then a download compared byte for byte (MD5 of what was generated vs what came back).
 */
import { createHash } from 'node:crypto'
import { NosClient } from '../src/node.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { MiB, QUICK, log, mbps } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

/** `size` bytes in fresh 1 MiB chunks, every byte fed to `hash` as it is produced. */
function generated(size: number, hash: ReturnType<typeof createHash>): ReadableStream<Uint8Array> {
  let x = 0x9e3779b9
  let sent = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close()
      const c = new Uint8Array(Math.min(MiB, size - sent))
      const w = new Uint32Array(c.buffer, 0, c.length >> 2)
      for (let i = 0; i < w.length; i++) {
        x ^= x << 13
        x ^= x >>> 17
        x ^= x << 5
        w[i] = x >>> 0
      }
      hash.update(c)
      sent += c.length
      controller.enqueue(c)
    },
  })
}

export const faultsFigure: Figure = {
  id: 'faults',
  title: '512 MiB stream upload with 10% uploadPart faults, verified byte-exact',
  async run(): Promise<Row[]> {
    const size = QUICK ? 64 * MiB : 512 * MiB
    const emu = await spawnEmulator({ disk: true })
    try {
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      await emu.setFaults({
        seed: 7,
        rules: [
          { match: { op: 'uploadPart', probability: 0.05 }, action: 'error503' },
          { match: { op: 'uploadPart', probability: 0.05 }, action: 'reset', resetAfterBytes: 64 * 1024 },
        ],
      })
      const sent = createHash('md5')
      const t0 = performance.now()
      const result = await client.upload({ bucket: BUCKET, key: 'faulty.bin', body: generated(size, sent) })
      const uploadMs = performance.now() - t0
      const log1 = await emu.log()
      await emu.setFaults()
      const got = createHash('md5')
      let n = 0
      const obj = await client.getObject({ bucket: BUCKET, key: 'faulty.bin' })
      const reader = obj.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        got.update(value)
        n += value.length
      }
      const want = sent.digest('hex')
      const have = got.digest('hex')
      const exact = n === size && want === have && result.size === size
      const faults = Object.entries(log1.faults).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'
      log(`faults: ${faults}; ${result.partsTotal} parts; ${mbps(size, uploadMs).toFixed(0)} MB/s; byte-exact ${exact}`)
      return [
        {
          figure: `${size / MiB} MiB stream upload, 10% uploadPart faults`,
          ours: `${exact ? 'byte-exact' : 'MISMATCH'} in ${(uploadMs / 1000).toFixed(1)} s (${faults})`,
          reference: `${result.partsTotal} parts, md5 ${want.slice(0, 8)}`,
          target: 'completes byte-exact',
          pass: exact && (log1.faults.error503 ?? 0) + (log1.faults.reset ?? 0) > 0,
          details: { size, uploadMs, mbps: mbps(size, uploadMs), parts: result.partsTotal, requests: log1.count, faults: log1.faults, statuses: log1.statuses, md5Sent: want, md5Downloaded: have, bytesDownloaded: n },
        },
      ]
    } finally {
      await emu.close()
    }
  },
}
