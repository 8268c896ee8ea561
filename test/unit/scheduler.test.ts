import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Scheduler } from '../../src/transfers/scheduler.js'

/** A task that finishes when the test says so (no timers): `tick()` settles the oldest pending task. */
function harness() {
  const pending: { resolve: () => void; reject: (e: unknown) => void }[] = []
  const task = () => (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      pending.push({ resolve, reject: () => reject(new Error('task failed')) })
    })
  const tick = (fail = false) => {
    const p = pending.shift()
    if (fail) p?.reject(undefined)
    else p?.resolve()
  }
  return { pending, task, tick }
}

describe('the transfer scheduler', () => {
  it('property: never more than `concurrency` tasks in flight, every task runs once, drain waits for all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.nat(40), fc.array(fc.nat(3), { maxLength: 40 }), async (concurrency, tasks, delays) => {
        const s = new Scheduler(concurrency)
        let running = 0
        let peak = 0
        const ran: number[] = []
        for (let i = 0; i < tasks; i++) {
          await s.run(async () => {
            running++
            peak = Math.max(peak, running)
            for (let d = delays[i % Math.max(1, delays.length)] ?? 0; d > 0; d--) await Promise.resolve()
            ran.push(i)
            running--
          })
          expect(running).toBeLessThanOrEqual(concurrency)
        }
        await s.drain()
        await s.close()
        expect(peak).toBeLessThanOrEqual(concurrency)
        expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: tasks }, (_, i) => i))
      }),
      { numRuns: 100 },
    )
  })

  it('the first failure aborts the tasks in flight and is what slot() and drain() throw', async () => {
    const h = harness()
    const s = new Scheduler(3)
    const reasons: unknown[] = []
    for (let i = 0; i < 3; i++) s.start((signal) => h.task()(signal).catch((e) => { reasons.push(e); throw e }))
    h.tick(true)
    await expect(s.drain()).rejects.toThrow('task failed')
    await expect(s.slot()).rejects.toThrow('task failed')
    expect(reasons).toHaveLength(3)
    expect(s.signal.aborted).toBe(true)
    await s.close()
  })

  it('a parent abort stops it: slot() throws the reason, tasks see their signal abort', async () => {
    const parent = new AbortController()
    const h = harness()
    const s = new Scheduler(1, parent.signal)
    await s.run(h.task())
    const waiting = s.slot()
    parent.abort(new DOMException('stop', 'AbortError'))
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
    await s.close()
    expect(h.pending).toHaveLength(1)
  })
})
