/**
 * Figure: how time and memory grow.
 *   - Listing 1k, 10k and 100k keys through `iterateObjects` (pages of 1,000): time per key, and the heap the listing
 *     leaves in use (after a full GC) must stay flat: time linear, memory bounded by one page. Peak RSS growth is
 *     shown too (it counts garbage not yet collected, so it depends on when V8 collects).
 *   - `upload()` of 1 MiB .. 1 GiB streams (unknown length, 8 MiB x 4; each in a fresh process, bench/stream-rss-child.ts):
 *     MB/s and peak RSS above the idle baseline; time linear, memory flat (bounded by (concurrency + 1) parts).
 * The emulator runs in its own process (in memory for listing, on disk for uploads). The keys are seeded with raw
 * node:http PUTs of empty bodies at concurrency 32.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { NosClient } from '../src/index-node.js'
import { signHeaders } from '../src/signing/signer.js'
import { runStreamChild } from './fig-stream-rss.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { newAgent, pool, rawPut } from './lib/raw.js'
import { GiB, MiB, QUICK, fmtMB, log, mbps } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

/** Creates `prefix + 000000 .. count-1` (empty objects) through raw signed PUTs. */
async function seed(client: NosClient, endpoint: string, prefix: string, count: number): Promise<void> {
  const agent = newAgent(32)
  const empty = new Uint8Array(0)
  try {
    await pool(Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`), 32, async (key) => {
      const headers = await signHeaders({ method: 'PUT', bucket: BUCKET, key, headers: { 'Content-Type': 'application/octet-stream' } }, { accessKeyId: AK, sign: client.config.signer!, date: new Date() })
      const r = await rawPut(`${endpoint}/${BUCKET}/${key}`, empty, headers, agent)
      if (r.status !== 200) throw new Error(`seed ${key}: ${r.status}`)
    })
  } finally {
    agent.destroy()
  }
}

/** A full garbage collection, obtained at run time (the bench runs without --expose-gc). */
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * Lists `prefix` to the end; returns ms, keys, the heap still in use afterwards over the start (both after a full GC:
 * what the listing kept), and the peak RSS growth while it ran (info: garbage awaiting collection counts there).
 */
async function listAll(client: NosClient, prefix: string): Promise<{ ms: number; keys: number; growth: number; rssGrowth: number }> {
  gc()
  const start = process.memoryUsage()
  let peak = start.rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  const t0 = performance.now()
  let keys = 0
  for await (const _ of client.iterateObjects({ bucket: BUCKET, prefix })) keys++
  const ms = performance.now() - t0
  clearInterval(timer)
  gc()
  return { ms, keys, growth: process.memoryUsage().heapUsed - start.heapUsed, rssGrowth: Math.max(peak, process.memoryUsage().rss) - start.rss }
}

async function listingRows(): Promise<Row[]> {
  const counts = QUICK ? [1000, 10_000] : [1000, 10_000, 100_000]
  const emu = await spawnEmulator()
  try {
    const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
    const runs: { count: number; ms: number; growth: number; rssGrowth: number }[] = []
    for (const count of counts) {
      const prefix = `scale-${count}/`
      const t0 = performance.now()
      await seed(client, emu.endpoint, prefix, count)
      log(`scale: seeded ${count} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
      await listAll(client, prefix) // warm-up
      const r = await listAll(client, prefix)
      if (r.keys !== count) throw new Error(`listed ${r.keys} keys, expected ${count}`)
      runs.push({ count, ms: r.ms, growth: r.growth, rssGrowth: r.rssGrowth })
      log(`scale: listed ${count} keys in ${r.ms.toFixed(0)} ms (${((r.ms / count) * 1000).toFixed(1)} us/key), heap kept ${fmtMB(r.growth)}, peak RSS +${fmtMB(r.rssGrowth)}`)
    }
    const first = runs[0]!
    const last = runs.at(-1)!
    const perKey = (r: (typeof runs)[number]) => r.ms / r.count
    const linear = perKey(last) <= 1.5 * perKey(runs[1] ?? first)
    const flat = runs.every((r) => r.growth <= 8 * MiB)
    return [{
      figure: `scale: listing ${counts.map((c) => `${c / 1000}k`).join(' / ')} keys (iterateObjects)`,
      ours: runs.map((r) => `${(r.ms / 1000).toFixed(2)} s`).join(' / '),
      reference: `${runs.map((r) => `${((r.ms / r.count) * 1000).toFixed(0)}`).join(' / ')} us/key; heap kept ${runs.map((r) => (r.growth / MiB).toFixed(1)).join(' / ')} MiB; peak RSS +${runs.map((r) => (r.rssGrowth / MiB).toFixed(0)).join(' / ')} MiB`,
      target: 'linear time, flat memory',
      pass: linear && flat,
      details: { runs, rule: 'us/key at the largest count <= 1.5x that at 10k; heap still in use after the listing (after a full GC) <= 8 MiB at every count', why: 'see details.runs: a time or memory growth out of line with the smaller counts.' },
    }]
  } finally {
    await emu.close()
  }
}

async function uploadRows(): Promise<Row[]> {
  const sizes = QUICK ? [1 * MiB, 16 * MiB, 128 * MiB] : [1 * MiB, 16 * MiB, 128 * MiB, 1 * GiB]
  const partSize = 8 * MiB
  const concurrency = 4
  const emu = await spawnEmulator({ disk: true })
  try {
    const runs: { size: number; ms: number; mbps: number; growth: number }[] = []
    for (const size of sizes) {
      const r = await runStreamChild(emu.endpoint, size, partSize, concurrency)
      if (r.size !== size) throw new Error(`uploaded ${r.size} bytes, expected ${size}`)
      runs.push({ size, ms: r.ms, mbps: mbps(size, r.ms), growth: r.peak - r.baseline })
      log(`scale: upload ${fmtMB(size)} in ${r.ms.toFixed(0)} ms (${mbps(size, r.ms).toFixed(0)} MB/s), RSS +${fmtMB(r.peak - r.baseline)}`)
    }
    const big = runs.filter((r) => r.size >= 128 * MiB)
    const linear = big.length < 2 || big.at(-1)!.mbps >= 0.67 * big[0]!.mbps
    const bound = (concurrency + 1) * partSize + 64 * MiB
    const flat = runs.every((r) => r.growth <= bound)
    const label = (n: number) => (n >= GiB ? `${n / GiB} GiB` : `${n / MiB} MiB`)
    return [{
      figure: `scale: upload() ${sizes.map(label).join(' / ')} (stream, 8 MiB x 4)`,
      ours: runs.map((r) => `${r.mbps.toFixed(0)}`).join(' / ') + ' MB/s',
      reference: `RSS +${runs.map((r) => (r.growth / MiB).toFixed(0)).join(' / ')} MiB (bound ${(bound / MiB).toFixed(0)})`,
      target: 'linear time, flat memory',
      pass: linear && flat,
      details: { runs, bound, rule: 'MB/s at the largest size >= 0.67x that at 128 MiB; every RSS growth <= (concurrency + 1) x part + 64 MiB', why: 'see details.runs: a rate or memory growth out of line with the smaller sizes.' },
    }]
  } finally {
    await emu.close()
  }
}

export const scaleFigure: Figure = {
  id: 'scale',
  title: 'scale curve: listing 1k-100k keys, upload() 1 MiB-1 GiB (time and memory growth)',
  async run(): Promise<Row[]> {
    return [...(await listingRows()), ...(await uploadRows())]
  },
}
