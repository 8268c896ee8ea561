/**
 * Writes the results of the last `npm run bench` (bench/results.json) into README.md's Performance section, between
 * `<!-- bench:start -->` and `<!-- bench:end -->`: the run's conditions, the table (ours, reference, ratio with its
 * spread over the rounds, target, result, load average), the scale curve, and every miss with why and what would
 * close it (each figure's `details.why`).
 *
 *   npm run bench && node --import tsx bench/render-readme.ts      # or: npm run bench:readme
 *   node --import tsx bench/render-readme.ts --check               # exits 1 when README.md differs from results.json
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { table } from './lib/table.js'
import type { Row } from './lib/types.js'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url))
const START = '<!-- bench:start -->'
const END = '<!-- bench:end -->'

interface Results { date: string; quick: boolean; node: string; cpus: number; cpuModel?: string; loadAverage: { start: number[]; end: number[] }; seconds: number; rows: Row[] }

function scaleTable(rows: Row[]): string {
  const lines = ['| scale | size | time | rate | memory |', '|---|---|---|---|---|']
  for (const r of rows) {
    const runs = (r.details?.['runs'] ?? []) as { count?: number; size?: number; ms: number; mbps?: number; growth: number; rssGrowth?: number }[]
    for (const x of runs) {
      const size = x.count !== undefined ? `${x.count.toLocaleString('en')} keys` : x.size! >= 2 ** 30 ? `${x.size! / 2 ** 30} GiB` : `${x.size! / 2 ** 20} MiB`
      const rate = x.count !== undefined ? `${((x.ms / x.count) * 1000).toFixed(0)} us/key` : `${x.mbps!.toFixed(0)} MB/s`
      const mem = x.count !== undefined
        ? `heap kept ${(x.growth / 2 ** 20).toFixed(1)} MiB (peak RSS +${((x.rssGrowth ?? 0) / 2 ** 20).toFixed(0)} MiB)`
        : `peak RSS +${(x.growth / 2 ** 20).toFixed(0)} MiB`
      lines.push(`| ${x.count !== undefined ? 'listing (iterateObjects)' : 'upload() of a stream'} | ${size} | ${(x.ms / 1000).toFixed(2)} s | ${rate} | ${mem} |`)
    }
  }
  return lines.join('\n')
}

export function render(res: Results): string {
  const misses = res.rows.filter((r) => r.pass === false)
  const scale = res.rows.filter((r) => r.figure.startsWith('scale:'))
  const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ')
  return [
    START,
    `Last run: ${res.date.slice(0, 10)}${res.quick ? ' (BENCH_QUICK=1: small sizes, the ratios mean little)' : ''}, Node ${res.node}, ${res.cpus} CPUs` +
      `${res.cpuModel ? ` (${res.cpuModel.trim()})` : ''}, ${res.seconds} s; load average (1/5/15 min) ${la(res.loadAverage.start)} at the start, ` +
      `${la(res.loadAverage.end)} at the end. \`ratio\` is the median of the per-round ratios (ours against the reference measured ` +
      'in the same round, back to back), `spread` their lowest and highest; `load` the 1-minute load average while the figure ran.',
    '',
    table(res.rows),
    '',
    ...(scale.length ? ['Scale curve (`npm run bench -- scale`):', '', scaleTable(scale), ''] : []),
    misses.length ? 'Misses in this run, why, and what would close them:' : 'No target missed in this run.',
    ...misses.map((r) => `- **${r.figure}** (${r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : r.ours}, target ${r.target}): ${String(r.details?.['why'] ?? 'see bench/results.json')}`),
    END,
  ].join('\n')
}

const res = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results
const readme = readFileSync(README, 'utf8')
const a = readme.indexOf(START)
const b = readme.indexOf(END)
if (a < 0 || b < a) throw new Error(`README.md has no ${START} ... ${END} block`)
const next = readme.slice(0, a) + render(res) + readme.slice(b + END.length)
if (process.argv.includes('--check')) {
  if (next !== readme) {
    process.stderr.write('README.md Performance differs from bench/results.json: run node --import tsx bench/render-readme.ts\n')
    process.exit(1)
  }
} else {
  writeFileSync(README, next)
  process.stdout.write(`README.md Performance section written from bench/results.json (${res.rows.length} rows)\n`)
}
