/**
 * The CLI's batches (`runBatch`) run on the transfers' scheduler: the bound, keep-going, --fail-fast and the interrupt
 * behave as the batch promises. Tasks settle when the test says so (no timers).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runBatch } from '../../src/cli/batch.js'
import { Interrupt } from '../../src/cli/interrupt.js'
import type { Failure } from '../../src/cli/errors.js'

/** Items that settle in the order the test picks; records starts, peaks and which item ran how often. */
function harness() {
  const waiting = new Map<number, { resolve: (v: number) => void; reject: (e: unknown) => void }>()
  const starts: number[] = []
  let running = 0
  let peak = 0
  const fn = (i: number) =>
    new Promise<number>((resolve, reject) => {
      starts.push(i)
      peak = Math.max(peak, ++running)
      waiting.set(i, {
        resolve: (v) => (running--, resolve(v)),
        reject: (e) => (running--, reject(e)),
      })
    })
  /** Settles one waiting item (picked by `pick` among those waiting), failing it when `fail`. */
  const settle = async (pick: number, fail: boolean) => {
    await new Promise<void>((r) => queueMicrotask(r))
    await Promise.resolve()
    const ids = [...waiting.keys()]
    if (!ids.length) return false
    const id = ids[pick % ids.length]!
    const w = waiting.get(id)!
    waiting.delete(id)
    if (fail) w.reject(new Error(`item ${id} failed`))
    else w.resolve(id * 10)
    return true
  }
  return { fn, settle, starts, waiting, peak: () => peak }
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i)

async function runAll(h: ReturnType<typeof harness>, batch: Promise<unknown>, script: { pick: number; fail: boolean }[]) {
  let done = false
  void batch.finally(() => (done = true)).catch(() => {})
  for (let k = 0; !done; k++) {
    const step = script[k % Math.max(1, script.length)] ?? { pick: 0, fail: false }
    if (!(await h.settle(step.pick, step.fail))) await new Promise<void>((r) => setImmediate(r))
  }
}

describe('runBatch on the scheduler', () => {
  it('property: keep-going runs every item once, never more than `jobs` at once, and reports every failure', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.nat(25), fc.array(fc.record({ pick: fc.nat(10), fail: fc.boolean() }), { maxLength: 30 }), async (jobs, n, script) => {
        const h = harness()
        const failed: Failure[] = []
        const batch = runBatch(ids(n), (i) => `item ${i}`, h.fn, { jobs, failFast: false, interrupt: new Interrupt(), onFailure: (f) => failed.push(f) })
        await runAll(h, batch, script)
        const { results, failures } = await batch
        expect([...h.starts].sort((a, b) => a - b)).toEqual(ids(n))
        expect(h.starts).toEqual(ids(n)) // started in order
        expect(h.peak()).toBeLessThanOrEqual(jobs)
        expect(failures).toEqual(failed)
        const failedIds = new Set(failures.map((f) => Number(f.subject.slice(5))))
        expect(results).toEqual(ids(n).map((i) => (failedIds.has(i) ? undefined : i * 10)))
      }),
      { numRuns: 150 },
    )
  })

  it('--fail-fast: nothing starts after the first failure, and the items already running finish', async () => {
    const h = harness()
    const batch = runBatch(ids(10), (i) => `item ${i}`, h.fn, { jobs: 3, failFast: true, interrupt: new Interrupt(), onFailure: () => {} })
    await h.settle(1, true) // item 1 fails while 0 and 2 run
    await runAll(h, batch, [{ pick: 0, fail: false }])
    const { results, failures } = await batch
    expect(h.starts).toEqual([0, 1, 2])
    expect(results.slice(0, 3)).toEqual([0, undefined, 20])
    expect(failures.map((f) => f.subject)).toEqual(['item 1'])
  })

  it('an interrupt starts nothing more, lets the running items settle, then rethrows its reason', async () => {
    const h = harness()
    const interrupt = new Interrupt()
    const batch = runBatch(ids(10), (i) => `item ${i}`, h.fn, { jobs: 2, failFast: false, interrupt, onFailure: () => {} })
    const outcome = batch.then(
      () => 'resolved',
      (e: unknown) => e,
    )
    await h.settle(0, false) // 0 done, 2 starts
    await new Promise<void>((r) => setImmediate(r))
    interrupt.trigger()
    await runAll(h, batch, [{ pick: 0, fail: true }])
    expect(await outcome).toBe(interrupt.signal.reason)
    expect(h.starts).toEqual([0, 1, 2])
  })
})
