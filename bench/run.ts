/**
 * `npm run bench` (= `tsx bench/run.ts`): every figure, a table on stdout, `bench/results.json`.
 *
 *   npm run bench                    full sizes (a few minutes)
 *   BENCH_QUICK=1 npm run bench      smoke run: small sizes, 1-2 rounds (< 60 s)
 *   npm run bench -- upload md5      only the named figures (ids: see FIGURES)
 *
 * Every emulator runs in its own process (bench/emulator-server.ts), so the client's CPU and RSS are its own.
 * The machine is shared: ratios compare variants measured interleaved in the same run, medians of the rounds.
 * Exit code: 2 when a figure crashed; otherwise, in a full run, 1 when a target row fails (a quick run is a smoke
 * test: it exits 0 whatever the ratios at its small sizes).
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { directUploadFigure } from './fig-direct-upload.js'
import { downloadFigure } from './fig-download.js'
import { faultsFigure } from './fig-faults.js'
import { importFigure } from './fig-import.js'
import { listingFigure } from './fig-listing.js'
import { md5Figure } from './fig-md5.js'
import { peerFigure } from './fig-peer.js'
import { browserUploadFigure } from './fig-browser-upload.js'
import { scaleFigure } from './fig-scale.js'
import { signFigure } from './fig-sign.js'
import { smallPutsFigure } from './fig-small-puts.js'
import { streamRssFigure } from './fig-stream-rss.js'
import { uploadFigure } from './fig-upload.js'
import { uploadPropsFigure } from './fig-upload-props.js'
import { retryAbortFigure } from './fig-retry-abort.js'
import { xmlFigure } from './fig-xml.js'
import { QUICK, log } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'
import { table } from './lib/table.js'

const FIGURES: Figure[] = [uploadFigure, directUploadFigure, downloadFigure, smallPutsFigure, peerFigure, scaleFigure, browserUploadFigure, streamRssFigure, faultsFigure, signFigure, md5Figure, listingFigure, importFigure, retryAbortFigure, uploadPropsFigure, xmlFigure]

async function main(): Promise<number> {
  const only = process.argv.slice(2)
  const unknown = only.filter((id) => !FIGURES.some((f) => f.id === id))
  if (unknown.length) {
    process.stderr.write(`unknown figure(s): ${unknown.join(', ')}; known: ${FIGURES.map((f) => f.id).join(', ')}\n`)
    return 2
  }
  const started = Date.now()
  const load0 = loadavg()
  const rows: Row[] = []
  const timings: Record<string, number> = {}
  let crashed = false
  for (const fig of FIGURES) {
    if (only.length && !only.includes(fig.id)) continue
    log(`${fig.id}: ${fig.title}`)
    const t0 = performance.now()
    const loadStart = loadavg()[0]!
    try {
      const got = await fig.run()
      for (const r of got) r.load ??= [loadStart, loadavg()[0]!]
      rows.push(...got)
    } catch (e) {
      crashed = true
      rows.push({ figure: `${fig.id} (crashed)`, ours: String((e as Error)?.message ?? e).slice(0, 120), reference: '', target: 'runs', pass: false })
      process.stderr.write(`${(e as Error)?.stack ?? e}\n`)
    }
    timings[fig.id] = Math.round(performance.now() - t0)
  }
  const out = table(rows)
  process.stdout.write(`\n${out}\n\n`)
  const failed = rows.filter((r) => r.pass === false).length
  const passed = rows.filter((r) => r.pass === true).length
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  process.stdout.write(`${passed} passed, ${failed} failed (${QUICK ? 'BENCH_QUICK=1, ' : ''}${seconds} s; load average ${load0[0]!.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs)\n`)
  const results = {
    date: new Date().toISOString(),
    quick: QUICK,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: load0, end: loadavg() },
    seconds: Number(seconds),
    figureMs: timings,
    table: out,
    rows,
  }
  writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), JSON.stringify(results, null, 2) + '\n')
  // A quick run is a smoke test: small sizes make the ratios meaningless, so only a crash fails it.
  return crashed ? 2 : failed && !QUICK ? 1 : 0
}

process.exitCode = await main()
