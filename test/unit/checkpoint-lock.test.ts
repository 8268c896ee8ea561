/**
 * The lock of FileCheckpointStore (src/adapters/node/checkpoint-lock.ts) against a model: for any sequence of
 * acquisitions, releases (also stale ones), and lock files left by a dead process, a live process of another host,
 * or garbage, at most one holder at a time; the stale ones are taken over, the live ones refused with
 * UploadInProgressError, and a release never frees a lock that is not its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { acquireLock } from '../../src/adapters/node/checkpoint-lock.js'
import { isNosErrorKind } from '../../src/index.js'

let dir: string
/** The pid of a process that has exited. */
let deadPid: number
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nos-lock-prop-'))
  deadPid = spawnSync(process.execPath, ['-e', '']).pid!
})
afterAll(() => rm(dir, { recursive: true, force: true }))

type Op = { op: 'acquire' } | { op: 'release'; which: number } | { op: 'plant'; what: 'dead' | 'remote' | 'garbage' } | { op: 'delete' }

describe('checkpoint lock', () => {
  it('property: at most one holder; dead owners and garbage are taken over, live ones refused; releases only free their own', async () => {
    let run = 0
    const ops = fc.array(fc.oneof(
      fc.constant<Op>({ op: 'acquire' }),
      fc.nat(5).map<Op>((which) => ({ op: 'release', which })),
      fc.constantFrom<Op>({ op: 'plant', what: 'dead' }, { op: 'plant', what: 'remote' }, { op: 'plant', what: 'garbage' }),
      fc.constant<Op>({ op: 'delete' }),
    ), { maxLength: 15 })
    await fc.assert(fc.asyncProperty(ops, async (seq) => {
      const file = join(dir, `${++run}.lock`)
      const releases: (() => Promise<void>)[] = []
      /** The model: who holds the lock. `mine` is the index of our live holder in `releases`. */
      let holder: { kind: 'none' } | { kind: 'mine'; at: number } | { kind: 'dead' | 'remote' | 'garbage' } = { kind: 'none' }
      for (const step of seq) {
        if (step.op === 'acquire') {
          const got = await acquireLock(file, 'nos-upload:b:k', dir).then((r) => r, (e: unknown) => e)
          const free = holder.kind === 'none' || holder.kind === 'dead' || holder.kind === 'garbage'
          if (free) {
            expect(typeof got).toBe('function')
            releases.push(got as () => Promise<void>)
            holder = { kind: 'mine', at: releases.length - 1 }
          } else {
            expect(isNosErrorKind(got, 'UploadInProgressError'), String(got)).toBe(true)
          }
        } else if (step.op === 'release') {
          const release = releases[step.which]
          if (!release) continue
          await release()
          if (holder.kind === 'mine' && holder.at === step.which) holder = { kind: 'none' }
        } else if (step.op === 'plant') {
          const owner = step.what === 'dead' ? { pid: deadPid, host: (await import('node:os')).hostname(), since: 'then', id: 'x' } : { pid: 1, host: 'elsewhere.example', since: 'then', id: 'x' }
          await writeFile(file, step.what === 'garbage' ? '{"half' : JSON.stringify(owner))
          holder = { kind: step.what }
        } else {
          await rm(file, { force: true })
          holder = { kind: 'none' }
        }
        expect(existsSync(file)).toBe(holder.kind !== 'none')
      }
      await rm(file, { force: true })
    }), { numRuns: 200, seed: 155 })
  })
})
