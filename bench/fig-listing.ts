/**
 * Figure: parsing a 1000-key ListBucketResult (`parseListObjects`, fast-xml-parser underneath). The document is
 * written by the emulator's own XML helpers, keys with spaces, entities and non-ASCII included. Measured in a
 * child process so the first ("cold") parse includes creating the parser and unoptimised code.
 * Target: <= 30 ms.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { QUICK } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const CHILD = fileURLToPath(new URL('./listing-child.ts', import.meta.url))

export const listingFigure: Figure = {
  id: 'listing',
  title: 'parse a 1000-key listing',
  async run(): Promise<Row[]> {
    const runs = QUICK ? 20 : 100
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(runs)], { stdio: ['ignore', 'pipe', 'inherit'] })
      let s = ''
      child.stdout.on('data', (c: Buffer) => (s += c))
      child.on('error', reject)
      child.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`listing child exited with ${code}`))))
    })
    const r = JSON.parse(out.trim()) as { coldMs: number; medianMs: number; p95Ms: number; bytes: number; keys: number }
    return [
      {
        figure: `parseListObjects, ${r.keys} keys (${Math.round(r.bytes / 1024)} KiB XML), warm median`,
        ours: `${r.medianMs.toFixed(2)} ms`,
        reference: '',
        target: '<= 30 ms',
        pass: r.medianMs <= 30,
        details: { ...r, why: 'the time is fast-xml-parser\'s own parse of 292 KiB (src/core/xml.ts adds a completeness check and a DOCTYPE scan, well under 1 ms); ' +
          'it was 18.5 ms on a quiet run of this machine and moves 25-40 % with a neighbour\'s load: run it again on a quiet machine. ' +
          'A parser made for NOS\'s few flat documents would be several times faster, at the cost of leaving fast-xml-parser.' },
      },
      {
        figure: 'parseListObjects, first parse in a fresh process',
        ours: `${r.coldMs.toFixed(2)} ms`,
        reference: '',
        target: 'info (<= 30 ms)',
        details: r,
      },
    ]
  },
}
