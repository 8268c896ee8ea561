/**
 * Figure: the property-based checks of `upload()` with many seeds, beyond what `npm test` runs. Every
 * body kind, size, part size, threshold, concurrency and contentLength (test/helpers/upload-property.ts): the
 * object is byte-exact with the reported size, or a typed error left nothing behind. Then the same under seeded
 * 503s and resets mid-body. `npm run bench -- upload-props` (BENCH_QUICK=1: fewer runs; NOS_PROPS_RUNS=n: n).
 */
import fc from 'fast-check'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator } from '../src/emulator/index.js'
import { NosClient } from '../src/node.js'
import { checkUploadCase, faultsOf, uploadCaseArb } from '../test/helpers/upload-property.js'
import { AK, SK } from './lib/emulator.js'
import { QUICK, log } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const RUNS = Number(process.env.NOS_PROPS_RUNS) || (QUICK ? 100 : 1000)

async function runProperty(name: string, property: fc.IAsyncProperty<[unknown, ...unknown[]]>, runs: number): Promise<Row> {
  const t0 = performance.now()
  const seed = Date.now() & 0x7fffffff
  const details = await fc.check(property, { numRuns: runs, seed })
  const ms = performance.now() - t0
  const ok = !details.failed
  log(`${name}: ${details.numRuns} runs, seed ${seed}, ${ok ? 'holds' : `FAILS: ${fc.defaultReportMessage(details)}`}`)
  return {
    figure: `upload() property: ${name}`,
    ours: ok ? `holds for ${details.numRuns} runs in ${(ms / 1000).toFixed(0)} s` : `counterexample after ${details.numRuns} runs`,
    reference: `seed ${seed}`,
    target: 'no counterexample',
    pass: ok,
    details: { runs: details.numRuns, seed, ms, counterexample: details.counterexample ? JSON.stringify(details.counterexample) : undefined },
  }
}

export const uploadPropsFigure: Figure = {
  id: 'upload-props',
  title: `upload() properties with ${RUNS} random cases each (bodies, sizes, part sizes, contentLength; faults)`,
  async run(): Promise<Row[]> {
    const emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['bkt'] }) // the bucket test/helpers/upload-property.ts writes to
    const dir = await mkdtemp(join(tmpdir(), 'nos-bench-props-'))
    const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, retryBaseDelay: 0, retryMaxDelay: 1 })
    let n = 0
    try {
      const plain = fc.asyncProperty(uploadCaseArb(), (c) => checkUploadCase(client, emu, dir, c, `props/${++n}`).then(() => undefined))
      const faulty = fc.asyncProperty(uploadCaseArb(8), fc.integer({ min: 1, max: 1e9 }), (c, s) => checkUploadCase(client, emu, dir, c, `faults/${++n}`, faultsOf(s)).then(() => undefined))
      return [
        await runProperty('byte-exact or refused', plain as fc.IAsyncProperty<[unknown, ...unknown[]]>, RUNS),
        await runProperty('under seeded 503s and resets', faulty as fc.IAsyncProperty<[unknown, ...unknown[]]>, Math.ceil(RUNS / 2)),
      ]
    } finally {
      await emu.close()
      await rm(dir, { recursive: true, force: true })
    }
  },
}
