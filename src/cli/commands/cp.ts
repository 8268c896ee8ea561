/**
 * `nos cp` and `nos mv`: upload, download and copy between buckets, files or whole directories, with managed
 * multipart uploads that resume after an interruption, resumable downloads and progress bars.
 * @module
 */
import { Command } from 'commander'
import { failuresJson, finishBatch, printFailure } from '../batch.js'
import { createContext, type RunState } from '../context.js'
import { UsageError, type Failure } from '../errors.js'
import { Output } from '../output.js'
import { keepWorkingWithoutStdout } from '../pipes.js'
import { addTransferFlags, type TransferFlags } from '../transfer-flags.js'
import { describe, planTransfers, sameLocation } from './plan.js'
import { plannedJson, runTransfers, transferLine } from './run-transfers.js'
import type { TransferResult } from './transfer.js'

interface TransferOptions extends TransferFlags {
  recursive?: boolean
}

const CP_EXAMPLES = `
Examples:
  $ nos cp ./photo.jpg nos://media/2024/            upload (key 2024/photo.jpg)
  $ nos cp nos://media/2024/photo.jpg .             download into the current directory
  $ nos cp nos://media/a.jpg nos://backup/a.jpg     copy between buckets (server-side)
  $ nos cp -r ./site nos://www/                     upload a directory tree
  $ nos cp -r nos://www/ ./site-copy                download every key under a prefix
  $ nos cp --part-size 64MiB big.iso nos://b/       multipart upload; if interrupted, run it again to resume
  $ tar c dir | nos cp - nos://b/dir.tar            upload stdin;  nos cp nos://b/k -  writes to stdout
  $ nos cp --metadata author=alice --cache-control max-age=3600 a.html nos://www/
  $ nos cp -r --dryrun ./site nos://www/            print what would be uploaded, change nothing

Uploads keep checkpoints in --state-dir ($NOS_STATE_DIR, default ~/.nos-sdk/checkpoints), so an interrupted
upload (Ctrl-C, crash, lost network) resumes when the same command runs again and sends only the missing
parts; Ctrl-C names the checkpoint file. An upload from stdin cannot resume: Ctrl-C aborts it and removes its
parts from NOS. Downloads resume from <file>.nosdl.

A directory destination, a bucket, a URI ending with / or several sources keep each source's name.
--recursive treats a prefix as a directory: nos://b/logs means logs/... A failed file does not stop
--recursive or several sources: the others go on, the failures are listed at the end and the exit code is 1
(--fail-fast stops at the first). Keys that would leave the destination directory (a ".." segment, an
absolute name) are refused, and a broken symbolic link is a failure. Uploads take --content-type (default
from the file name), --metadata name=value (repeatable), --cache-control and --content-disposition.`

const MV_EXAMPLES = `
Examples:
  $ nos mv nos://b/old.txt nos://b/new.txt          rename within a bucket (server-side move)
  $ nos mv nos://b/a.txt nos://archive/             move to another bucket (copy, then delete)
  $ nos mv ./report.pdf nos://b/reports/            upload, then delete the local file
  $ nos mv -r nos://b/tmp/ ./tmp                    download every key, then delete them

The source is removed only after its destination is complete. The flags, failures and interrupts work as
for nos cp (see nos cp --help).`

/** The `cp` (move = false) or `mv` (move = true) command. */
export function transferCommand(name: 'cp' | 'mv', state: RunState): Command {
  const move = name === 'mv'
  const cmd = new Command(name)
    .description(move ? 'move objects or files: rename keys, or transfer then delete the source' : 'copy files to NOS, objects to files, or objects between buckets')
    .usage('[options] <source...> <destination>')
    .argument('<paths...>', 'sources (local path, nos://bucket/key, - for stdin), then the destination (nos://bucket/key or prefix/, local path, - for stdout)')
    .option('-r, --recursive', 'transfer directories and every key under a prefix')
  return addTransferFlags(cmd)
    .addHelpText('after', move ? MV_EXAMPLES : CP_EXAMPLES)
    .action((paths: string[], opts: TransferOptions, c: Command) => runCp(name, paths, opts, c, state))
}

async function runCp(name: 'cp' | 'mv', paths: string[], opts: TransferOptions, cmd: Command, state: RunState): Promise<void> {
  const move = name === 'mv'
  if (paths.length < 2) throw new UsageError(`${name} needs a source and a destination (nos ${name} <source...> <destination>)`)
  const sources = paths.slice(0, -1)
  const destination = paths.at(-1)!
  const ctx = createContext(cmd, state)
  const { client, interrupt } = ctx
  // With `-` as destination stdout carries the object: every message goes to stderr.
  const out = destination === '-' ? new Output(ctx.out.options, process.stderr, process.stderr) : ctx.out
  if (destination !== '-') keepWorkingWithoutStdout()
  const plan = await planTransfers(client, sources, destination, { recursive: Boolean(opts.recursive), warn: (t) => out.warn(t), signal: interrupt.signal })
  for (const t of plan.transfers) {
    if (sameLocation(t.from, t.to)) throw new UsageError(`${describe(t.from)}: source and destination are the same`)
  }
  const single = !opts.recursive && sources.length === 1 && plan.transfers.length === 1
  const total = plan.transfers.length + plan.failures.length
  const failures: Failure[] = [...plan.failures]
  const done: TransferResult[] = []
  const document = () => ({
    dryrun: Boolean(opts.dryrun),
    transfers: opts.dryrun ? plan.transfers.map((t) => plannedJson(t, move)) : done,
    count: opts.dryrun ? plan.transfers.length : done.length,
    bytes: opts.dryrun ? plan.transfers.reduce((n, t) => n + (t.size ?? 0), 0) : done.reduce((n, r) => n + (r.size ?? 0), 0),
    failures: failuresJson(failures, state.secrets),
  })
  state.partial = document
  for (const f of plan.failures) printFailure(out, f)
  if (opts.dryrun) {
    for (const t of plan.transfers) out.line(`(dryrun) ${transferLine(plannedJson(t, move)['action'] as string, { source: describe(t.from), destination: describe(t.to) })}`)
  } else if (!(opts.failFast && failures.length)) {
    state.interruptHint = plan.transfers.some((t) => t.from.kind !== 'stdio' && t.to.kind !== 'stdio') ? 'run the same command again to resume' : undefined
    await runTransfers(plan.transfers, { client, interrupt, out, state, flags: opts, move, single }, done, failures)
    if (single && failures.length) throw failures[0]!.error
  }
  finishBatch(out, failures, total)
  out.document(document())
}
