/**
 * Figure: the other Node SDK for NOS, `@xgheaven/nos-node-sdk` 0.2.5 (a bench devDependency), side by side with the
 * Node build of `nos-sdk` against the same emulator (separate process, disk-backed): 1,000 x 1 KiB PUTs at
 * concurrency 16; a 256 MiB multipart upload from a Node stream (its `putBigObject`, 8 MiB parts, 4 in parallel;
 * ours `upload()` with the same part size and concurrency); a 256 MiB download read as a stream; listing 1,000 keys.
 * Both send Content-MD5 on every PUT by default (it hashes Buffers with node:crypto). Each run is a fresh process
 * (bench/peer-child.ts), so the peak RSS is the client's own; a small operation of the same kind warms it up first
 * (its time is kept in details as `WarmUpMs`); the sides alternate. Target: ahead on every
 * row (ratio >= 1.0).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { NosClient } from '../src/index-node.js'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { pairRow } from './lib/pairs.js'
import { pool } from './lib/raw.js'
import { MiB, QUICK, log, mbps, median, pseudoRandom } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const CHILD = fileURLToPath(new URL('./peer-child.ts', import.meta.url))

const TRANSPORT = 'the peer runs on node:http (node-fetch 2), ours on Node\'s fetch (undici with web streams), which costs more per request and per chunk ' +
  '(the small-PUT figure measures raw fetch against raw node:http); both hash and sign alike. A node:http transport in the Node build would close it. ' +
  'Peak RSS: fetch and web streams are loaded, ~30 MiB over the peer\'s node:http.'
const WHY: Record<string, string> = {
  'small-puts': TRANSPORT,
  multipart: TRANSPORT,
  download: TRANSPORT,
  list: 'one request and one XML parse each; fetch against node:http, and fast-xml-parser 4 (loaded on first use) against the peer\'s 3.',
}

function runChild(script: string, args: object): Promise<{ ms: number; coldMs: number; maxRssMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`peer child exited with ${code}`))))
  })
}

export const peerFigure: Figure = {
  id: 'peer',
  title: '@xgheaven/nos-node-sdk 0.2.5 side by side: small PUTs, multipart upload, download, listing (time and peak RSS)',
  async run(): Promise<Row[]> {
    const rounds = QUICK ? 2 : 5
    const size = QUICK ? 32 * MiB : 256 * MiB
    const count = QUICK ? 200 : 1000
    const dir = mkdtempSync(join(tmpdir(), 'nos-bench-peer-'))
    const script = join(dir, 'peer-child.cjs')
    await build({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'error' })
    const emu = await spawnEmulator({ disk: true })
    try {
      const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint })
      await client.upload({ bucket: BUCKET, key: 'peer-download.bin', body: pseudoRandom(size, 5) })
      await client.putObject({ bucket: BUCKET, key: 'peer-warm-download.bin', body: pseudoRandom(8 * MiB, 6) })
      await pool(Array.from({ length: count }, (_, i) => `peer-list/${String(i).padStart(5, '0')}`), 16, async (key) => void (await client.putObject({ bucket: BUCKET, key, body: key })))
      const base = { endpoint: emu.endpoint, ak: AK, sk: SK, bucket: BUCKET, size, count }
      const ops = ['small-puts', 'multipart', 'download', 'list'] as const
      const got: Record<string, { ms: number[]; rss: number[]; cold: number[] }> = {}
      for (const op of ops) {
        for (const side of ['ours', 'peer']) got[`${side} ${op}`] = { ms: [], rss: [], cold: [] }
        for (let r = 0; r < rounds; r++) {
          for (const side of r % 2 ? ['peer', 'ours'] : ['ours', 'peer']) {
            const res = await runChild(script, { ...base, side, op })
            got[`${side} ${op}`]!.ms.push(res.ms)
            got[`${side} ${op}`]!.rss.push(res.maxRssMiB)
            got[`${side} ${op}`]!.cold.push(res.coldMs)
          }
        }
        log(`peer ${op}: ours ${median(got[`ours ${op}`]!.ms).toFixed(0)} ms, peer ${median(got[`peer ${op}`]!.ms).toFixed(0)} ms`)
      }
      const show: Record<(typeof ops)[number], (t: number) => string> = {
        'small-puts': (t) => `${(count / (t / 1000)).toFixed(0)} req/s`,
        multipart: (t) => `${mbps(size, t).toFixed(0)} MB/s`,
        download: (t) => `${mbps(size, t).toFixed(0)} MB/s`,
        list: (t) => `${t.toFixed(1)} ms`,
      }
      const label = { 'small-puts': `${count} PUTs of 1 KiB, concurrency 16`, multipart: `${size / MiB} MiB multipart upload from a stream, 8 MiB x 4`, download: `${size / MiB} MiB download as a stream`, list: `listing ${count} keys` }
      return ops.map((op) => {
        const ours = got[`ours ${op}`]!
        const peer = got[`peer ${op}`]!
        const rss = `peak RSS ${median(ours.rss).toFixed(0)} vs ${median(peer.rss).toFixed(0)} MiB`
        const row = pairRow({ figure: `peer: ${label[op]}`, oursMs: ours.ms, refMs: peer.ms, show: show[op], refLabel: '@xgheaven/nos-node-sdk', min: 1.0, details: { oursRssMiB: ours.rss, peerRssMiB: peer.rss, oursWarmUpMs: ours.cold, peerWarmUpMs: peer.cold }, why: WHY[op] })
        return { ...row, ours: `${row.ours}, ${rss.split(' vs ')[0]!.replace('peak RSS ', 'RSS ')} MiB`, reference: `${row.reference}, RSS ${median(peer.rss).toFixed(0)} MiB` }
      })
    } finally {
      await emu.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
