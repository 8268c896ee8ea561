/**
 * Figure: peak RSS of the client while `upload()` sends a 1 GiB ReadableStream of unknown length, measured in a
 * child process (RSS sampled every 20 ms). Target: peak <= (concurrency + 1) x partSize + 100 MiB (one part is
 * read and hashed ahead).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { AK, BUCKET, SK, spawnEmulator } from './lib/emulator.js'
import { GiB, MiB, QUICK, fmtMB, log, mbps } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const CHILD = fileURLToPath(new URL('./stream-rss-child.ts', import.meta.url))

export interface StreamRun {
  baseline: number; peak: number; finalRss: number; ms: number; size: number; parts: number; maxRssKernel: number; samples: number
}

/**
 * Runs the child once and returns its report. The child is bundled with esbuild first and run by plain `node`,
 * as an application using the package would be: under tsx the baseline RSS would carry the TypeScript loader too.
 */
export async function runStreamChild(endpoint: string, size: number, partSize: number, concurrency: number, env: Record<string, string> = {}): Promise<StreamRun> {
  const args = JSON.stringify({ endpoint, ak: AK, sk: SK, bucket: BUCKET, size, partSize, concurrency, chunk: 64 * 1024 })
  const dir = mkdtempSync(join(tmpdir(), 'nos-bench-rss-'))
  const script = join(dir, 'stream-rss-child.mjs')
  await build({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: script, logLevel: 'error' })
  try {
    return await runScript(script, args, env)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function runScript(script: string, args: string, env: Record<string, string>): Promise<StreamRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`stream child exited with ${code}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as StreamRun)
      } catch (e) {
        reject(e)
      }
    })
  })
}

export const streamRssFigure: Figure = {
  id: 'stream-rss',
  title: 'peak RSS uploading a 1 GiB stream of unknown length',
  async run(): Promise<Row[]> {
    const size = QUICK ? 128 * MiB : 1 * GiB
    const partSize = 8 * MiB
    const concurrency = 4
    const emu = await spawnEmulator({ disk: true })
    try {
      const bound = (concurrency + 1) * partSize + 100 * MiB
      const rows: Row[] = []
      // Second run: glibc told to mmap every allocation of 64 KiB or more, so freed chunks go back to the kernel at
      // once. It shows how much of the peak is the allocator keeping the high-water mark of the source stream's
      // garbage (64 KiB chunks) rather than memory the SDK holds.
      const runs: [string, Record<string, string>][] = [['', {}], [' (MALLOC_MMAP_THRESHOLD_=65536)', { MALLOC_MMAP_THRESHOLD_: '65536' }]]
      for (const [label, env] of runs) {
        const r = await runStreamChild(emu.endpoint, size, partSize, concurrency, env)
        if (r.size !== size) throw new Error(`uploaded ${r.size} bytes, expected ${size}`)
        log(`stream rss${label}: baseline ${fmtMB(r.baseline)}, peak ${fmtMB(r.peak)}, bound ${fmtMB(bound)}, ${mbps(size, r.ms).toFixed(0)} MB/s`)
        rows.push({
          figure: `peak RSS, ${size / MiB} MiB stream of unknown length, 4 x 8 MiB${label}`,
          ours: `${fmtMB(r.peak)} (baseline ${fmtMB(r.baseline)}, +${fmtMB(r.peak - r.baseline)})`,
          reference: `bound ${fmtMB(bound)}`,
          target: label ? 'info' : '<= (conc + 1) x part + 100 MiB',
          pass: label ? undefined : r.peak <= bound,
          details: {
            ...r, bound, partSize, concurrency, env, mbps: mbps(size, r.ms),
            why: 'the SDK holds at most concurrency + 1 parts (buffers reused); the rest of the peak is the source stream\'s 64 KiB chunks ' +
              'awaiting garbage collection (with BENCH_GC_EACH_SAMPLE=1 and node --expose-gc, a GC before each sample, the peak drops by tens of MiB). ' +
              'Copying fewer chunks (handing the stream\'s chunks to the part instead of copying them into part buffers) would lower it.',
          },
        })
      }
      return rows
    } finally {
      await emu.close()
    }
  },
}
