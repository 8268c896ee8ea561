/**
 * Runs the transfers of cp, mv and sync as one batch: `--jobs` files at once, one progress display, a line per
 * file done, failures reported and listed at the end (batch.ts), and what an interrupt left behind noted.
 * @module
 */
import type { NosClient } from '../../node.js'
import { printFailure, runBatch } from '../batch.js'
import { CliCheckpoints } from '../checkpoints.js'
import { resolveStateDir } from '../config.js'
import type { RunState } from '../context.js'
import { annotate, type Failure } from '../errors.js'
import type { Interrupt } from '../interrupt.js'
import { hasObjectFlags } from '../object-options.js'
import type { Output } from '../output.js'
import { Progress } from '../progress.js'
import type { TransferFlags } from '../transfer-flags.js'
import { humanSize } from '../units.js'
import { describe, type Transfer } from './plan.js'
import { actionOf, runTransfer, type TransferEnv, type TransferResult } from './transfer.js'

/** How to run a batch of transfers. */
export interface RunTransfersOptions {
  client: NosClient
  interrupt: Interrupt
  out: Output
  state: RunState
  flags: TransferFlags
  move: boolean
  /** One overall bar (sync) instead of one bar per file plus a total. */
  totalBarOnly?: boolean
  /** A single transfer (`cp a nos://b/a`): its failure is the command's error, not a batch failure listed. */
  single?: boolean
}

/** `(dryrun) upload: a -> nos://b/a`, or `upload: a -> nos://b/a (1.2 KiB)` once done. */
export function transferLine(action: string, t: { source: string; destination: string }, suffix = ''): string {
  return `${action}: ${t.source} -> ${t.destination}${suffix}`
}

/** The JSON entry of a planned transfer (dry runs). */
export function plannedJson(t: Transfer, move: boolean): Record<string, unknown> {
  return { action: actionOf(t, move), source: describe(t.from), destination: describe(t.to), size: t.size }
}

function warnIgnoredFlags(transfers: readonly Transfer[], o: RunTransfersOptions): void {
  if (!hasObjectFlags(o.flags)) return
  const others = transfers.filter((t) => t.to.kind !== 'remote' || t.from.kind === 'remote').length
  if (others) o.out.warn(`--content-type, --metadata, --cache-control and --content-disposition apply to uploads only: ${others} copy/download(s) keep their object's own`)
}

/**
 * Runs `transfers`; resolves with the results of those that succeeded and the failures (never rejects for a
 * file's failure; rejects when interrupted, after noting what was kept in `state.interruptHint`).
 */
export async function runTransfers(transfers: readonly Transfer[], o: RunTransfersOptions, done: TransferResult[], failures: Failure[]): Promise<void> {
  warnIgnoredFlags(transfers, o)
  const progress = Progress.create(o.out, o.flags.progress, process.stderr, { totalOnly: o.totalBarOnly ?? false })
  const env: TransferEnv = {
    client: o.client,
    interrupt: o.interrupt,
    progress,
    checkpoints: new CliCheckpoints(resolveStateDir(o.flags.stateDir)),
    partSize: o.flags.partSize,
    concurrency: o.flags.concurrency,
    object: o.flags,
    move: o.move,
    notes: [],
  }
  const sizes = transfers.map((t) => t.size)
  if ((transfers.length > 1 || o.totalBarOnly) && sizes.every((s) => s !== undefined)) {
    progress.setTotal(sizes.reduce((a, s) => a! + s!, 0)!, transfers.length)
  }
  const run = async (t: Transfer): Promise<TransferResult> => {
    const r = await runTransfer(t, env).catch((e: unknown) => {
      throw annotate(e, describe(t.from))
    })
    const size = r.size === undefined ? '' : ` (${humanSize(r.size)}${r.resumed ? ', resumed' : ''})`
    o.out.line(transferLine(r.action, r, size))
    done.push(r)
    return r
  }
  try {
    const batch = await runBatch(transfers, (t) => describe(t.from), run, {
      jobs: o.flags.jobs ?? 4,
      failFast: Boolean(o.flags.failFast),
      interrupt: o.interrupt,
      onFailure: (f) => (o.single ? undefined : printFailure(o.out, f)),
    })
    failures.push(...batch.failures)
  } catch (e) {
    if (o.interrupt.interrupted && env.notes.length) o.state.interruptHint = env.notes.join('; ')
    throw e
  } finally {
    progress.stop()
  }
}
