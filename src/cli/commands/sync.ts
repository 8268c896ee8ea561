/**
 * `nos sync SRC DST`: makes DST hold what SRC holds (local -> NOS, NOS -> local, NOS -> NOS), transferring
 * only what is new or changed (sync/compare.ts, sync/checksum.ts), optionally deleting what SRC lacks.
 * @module
 */
import { Command } from 'commander'
import { failuresJson, finishBatch, printFailure } from '../batch.js'
import { createContext, type RunState } from '../context.js'
import { UsageError, type Failure } from '../errors.js'
import { filterCollector, type Filter } from '../filters.js'
import { keepWorkingWithoutStdout } from '../pipes.js'
import { addTransferFlags, type TransferFlags } from '../transfer-flags.js'
import { runDeletions } from '../sync/deletions.js'
import { planSync, type SyncPlan } from '../sync/plan.js'
import { listSide, parseSide, showSide, type Side } from '../sync/sides.js'
import { describe } from './plan.js'
import { plannedJson, runTransfers, transferLine, type RunTransfersOptions } from './run-transfers.js'
import type { TransferResult } from './transfer.js'
import { SYNC_HELP } from './sync-help.js'

interface SyncOptions extends TransferFlags {
  delete?: boolean
  sizeOnly?: boolean
  checksum?: boolean
}

function checkSides(src: Side, dst: Side): void {
  if (src.kind === 'local' && dst.kind === 'local') throw new UsageError('one side of sync must be a nos:// prefix (use rsync for two directories)')
  if (src.kind === 'remote' && dst.kind === 'remote' && src.bucket === dst.bucket && (src.prefix.startsWith(dst.prefix) || dst.prefix.startsWith(src.prefix))) {
    throw new UsageError(`${showSide(src)} and ${showSide(dst)} overlap: one is inside the other`)
  }
}

/** The `sync` command. */
export function syncCommand(state: RunState): Command {
  const filters: Filter[] = []
  const cmd = new Command('sync')
    .description('make a directory or prefix a copy of another: transfer what is new or changed, optionally delete the rest')
    .argument('<source>', 'local directory or nos://bucket[/prefix]')
    .argument('<destination>', 'nos://bucket[/prefix] or local directory')
    .option('--delete', 'delete destination files or objects that the source lacks (excluded ones are kept)')
    .option('--exclude <glob>', 'leave out names matching the glob (repeatable; with --include the last match wins)', filterCollector('exclude', filters))
    .option('--include <glob>', 'take names matching the glob even if an earlier --exclude matched (repeatable)', filterCollector('include', filters))
    .option('--size-only', 'compare sizes only (not modification times)')
    .option('--checksum', 'compare contents by MD5 (hashes local files; see below for multipart objects)')
  return addTransferFlags(cmd)
    .addHelpText('after', SYNC_HELP)
    .action((source: string, destination: string, opts: SyncOptions, c: Command) => runSync(source, destination, opts, filters, c, state))
}

function printPlan(plan: SyncPlan, out: { line(t: string): void }): void {
  for (const t of plan.transfers) out.line(`(dryrun) ${transferLine(plannedJson(t, false)['action'] as string, { source: describe(t.from), destination: describe(t.to) })}`)
  for (const d of plan.deletions) out.line(`(dryrun) delete: ${describe(d)}`)
}

async function runSync(source: string, destination: string, opts: SyncOptions, filters: Filter[], cmd: Command, state: RunState): Promise<void> {
  if (opts.sizeOnly && opts.checksum) throw new UsageError('--size-only and --checksum exclude each other')
  const sides: [Side, Side] = [parseSide(source), parseSide(destination)]
  checkSides(...sides)
  const { client, out, interrupt } = createContext(cmd, state)
  keepWorkingWithoutStdout()
  const warn = (t: string) => out.warn(t)
  const [src, dst] = await Promise.all([listSide(client, sides[0], 'source', interrupt.signal, warn), listSide(client, sides[1], 'destination', interrupt.signal, warn)])
  const mode = opts.checksum ? 'checksum' : opts.sizeOnly ? 'size-only' : 'mtime'
  const plan = await planSync(src, dst, sides, { mode, filters, delete: Boolean(opts.delete), partSize: opts.partSize })
  const failures: Failure[] = [...plan.failures]
  const done: TransferResult[] = []
  const deleted: string[] = []
  const reasons = new Map(plan.transfers.map((t) => [describe(t.from), t.reason]))
  state.partial = () => ({
    source: showSide(sides[0]), destination: showSide(sides[1]), dryrun: Boolean(opts.dryrun),
    transfers: opts.dryrun ? plan.transfers.map((t) => ({ ...plannedJson(t, false), reason: t.reason })) : done.map((r) => ({ ...r, reason: reasons.get(r.source) })),
    deleted: opts.dryrun ? plan.deletions.map(describe) : deleted,
    unchanged: plan.unchanged,
    failures: failuresJson(failures, state.secrets),
  })
  for (const f of plan.failures) printFailure(out, f)
  if (plan.deletionsWithheld) out.warn('--delete: nothing is deleted because the source could not be listed completely (see the failures)')
  if (opts.dryrun) printPlan(plan, out)
  else await execute(plan, opts, { client, interrupt, out, state }, { failures, done, deleted })
  finishBatch(out, failures, plan.transfers.length + plan.deletions.length + plan.failures.length)
  out.document(state.partial())
}

async function execute(plan: SyncPlan, opts: SyncOptions, ctx: Pick<RunTransfersOptions, 'client' | 'interrupt' | 'out' | 'state'>, acc: { failures: Failure[]; done: TransferResult[]; deleted: string[] }): Promise<void> {
  const { client, interrupt, out, state } = ctx
  state.interruptHint = 'run the same command again to resume'
  if (!(opts.failFast && acc.failures.length)) {
    await runTransfers(plan.transfers, { client, interrupt, out, state, flags: opts, move: false, totalBarOnly: true }, acc.done, acc.failures)
  }
  if (opts.failFast && acc.failures.length) return
  await runDeletions(plan.deletions, {
    client, interrupt, failFast: Boolean(opts.failFast),
    onDeleted: (target) => {
      acc.deleted.push(target)
      out.line(`delete: ${target}`)
    },
    onFailed: (f) => {
      acc.failures.push(f)
      printFailure(out, f)
    },
  })
}
