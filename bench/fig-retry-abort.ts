/**
 * Figure: how fast `abort()`, `pause()` and a caller's signal settle when they arrive in the middle of
 * a retry backoff (a 10-minute one: every wait must be abortable). Target: within 100 ms. The moment the backoff
 * starts is known exactly: the policy's `random` is called to draw its jitter.
 */
import { startEmulator } from '../src/emulator/index.js'
import { NosClient } from '../src/node.js'
import { AK, SK } from './lib/emulator.js'
import { QUICK, log, median } from './lib/stats.js'
import type { Figure, Row } from './lib/types.js'

const ROUNDS = QUICK ? 5 : 25
const TARGET_MS = 100

type Case = 'abort()' | 'pause()' | 'signal (putObject)'

async function once(endpoint: string, which: Case, i: number): Promise<number> {
  let started!: () => void
  const backoff = new Promise<void>((r) => (started = r))
  const client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint, retry: { baseDelay: 600_000, maxDelay: 600_000, random: () => (started(), 0.99) } })
  const key = `k-${i}`
  if (which === 'signal (putObject)') {
    const ctrl = new AbortController()
    const put = client.putObject({ bucket: 'bkt', key, body: 'x', signal: ctrl.signal }).catch(() => undefined)
    await backoff
    const t0 = performance.now()
    ctrl.abort()
    await put
    return performance.now() - t0
  }
  const up = client.upload({ bucket: 'bkt', key, body: new Uint8Array(64 * 1024), partSize: 16 * 1024, concurrency: 1 })
  const settled = up.then(() => undefined, () => undefined)
  await backoff
  const t0 = performance.now()
  if (which === 'abort()') {
    await up.abort() // includes telling NOS (Abort Multipart Upload)
    return performance.now() - t0
  }
  const cp = await up.pause()
  const ms = performance.now() - t0
  await settled
  await client.abortMultipartUpload({ bucket: 'bkt', key, uploadId: cp.uploadId })
  return ms
}

export const retryAbortFigure: Figure = {
  id: 'retry-abort',
  title: 'abort() / pause() / a caller signal in the middle of a 10-minute retry backoff',
  async run(): Promise<Row[]> {
    const emu = await startEmulator({ port: 0, credentials: [{ accessKeyId: AK, accessKeySecret: SK }], buckets: ['bkt'] })
    emu.setFaults({ rules: [{ match: { op: ['uploadPart', 'putObject'] }, action: 'error503' }] })
    try {
      const rows: Row[] = []
      for (const which of ['abort()', 'pause()', 'signal (putObject)'] as Case[]) {
        const ms: number[] = []
        for (let i = 0; i < ROUNDS; i++) ms.push(await once(emu.endpoint, which, i))
        const med = median(ms)
        log(`${which}: median ${med.toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms over ${ROUNDS}`)
        rows.push({ figure: `${which} mid-backoff`, ours: `${med.toFixed(1)} ms median (max ${Math.max(...ms).toFixed(1)})`, reference: 'backoff 594 s', target: `<= ${TARGET_MS} ms`, pass: med <= TARGET_MS, details: { ms } })
      }
      return rows
    } finally {
      await emu.close()
    }
  },
}
