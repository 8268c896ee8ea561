/**
 * `nos cp` and `nos mv`: upload, download and copy between buckets, files or whole directories, with managed
 * multipart uploads that resume after an interruption, resumable downloads and progress bars.
 * @module
 */
import { Command, Option } from 'commander'
import { FileCheckpointStore } from '../../node.js'
import { resolveStateDir } from '../config.js'
import { createContext, type RunState } from '../context.js'
import { UsageError, annotate } from '../errors.js'
import { Output } from '../output.js'
import { Progress } from '../progress.js'
import { humanSize, parseIntIn, parseSize } from '../units.js'
import { describe, planTransfers, sameLocation } from './plan.js'
import { pool, runTransfer, type TransferEnv, type TransferResult } from './transfer.js'

interface TransferOptions {
  recursive?: boolean
  progress?: boolean
  partSize?: number
  concurrency?: number
  jobs?: number
  stateDir?: string
  contentType?: string
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

Uploads keep checkpoints in --state-dir ($NOS_STATE_DIR, default ~/.nos-sdk/checkpoints), so an interrupted
upload (Ctrl-C, crash, lost network) resumes when the same command runs again and sends only the missing
parts. Downloads resume from <file>.nosdl. A directory destination, a bucket, a URI ending with / or several
sources keep each source's name. --recursive treats a prefix as a directory: nos://b/logs means logs/...`

const MV_EXAMPLES = `
Examples:
  $ nos mv nos://b/old.txt nos://b/new.txt          rename within a bucket (server-side move)
  $ nos mv nos://b/a.txt nos://archive/             move to another bucket (copy, then delete)
  $ nos mv ./report.pdf nos://b/reports/            upload, then delete the local file
  $ nos mv -r nos://b/tmp/ ./tmp                    download every key, then delete them

The source is removed only after its destination is complete.`

const sizeArg = (flag: string) => (v: string) => {
  const n = parseSize(v, flag)
  if (n < 16 * 1024 || n > 100 * 1024 * 1024) throw new UsageError(`${flag}: must be from 16KiB to 100MiB, got ${v}`)
  return n
}

/** The `cp` (move = false) or `mv` (move = true) command. */
export function transferCommand(name: 'cp' | 'mv', state: RunState): Command {
  const move = name === 'mv'
  return new Command(name)
    .description(move ? 'move objects or files: rename keys, or transfer then delete the source' : 'copy files to NOS, objects to files, or objects between buckets')
    .usage('[options] <source...> <destination>')
    .argument('<paths...>', 'sources (local path, nos://bucket/key, - for stdin), then the destination (nos://bucket/key or prefix/, local path, - for stdout)')
    .option('-r, --recursive', 'transfer directories and every key under a prefix')
    .option('--progress', 'show progress bars on stderr even when it is not a terminal')
    .option('--no-progress', 'never show progress bars')
    .addOption(new Option('--part-size <size>', 'multipart part size / download range size, 16KiB-100MiB (default 8MiB, larger for huge files)').argParser(sizeArg('--part-size')))
    .addOption(new Option('--concurrency <n>', 'parts (or ranges) in flight per file, 1-64').default(4).argParser((v) => parseIntIn(v, '--concurrency', 1, 64)))
    .addOption(new Option('--jobs <n>', 'files transferred at once with --recursive, 1-64').default(4).argParser((v) => parseIntIn(v, '--jobs', 1, 64)))
    .option('--state-dir <dir>', 'where upload checkpoints live (default $NOS_STATE_DIR or ~/.nos-sdk/checkpoints)')
    .option('--content-type <type>', 'Content-Type of uploaded objects (default: from the file extension)')
    .addHelpText('after', move ? MV_EXAMPLES : CP_EXAMPLES)
    .action(async (paths: string[], opts: TransferOptions, cmd: Command) => {
      if (paths.length < 2) throw new UsageError(`${name} needs a source and a destination (nos ${name} <source...> <destination>)`)
      const sources = paths.slice(0, -1)
      const destination = paths.at(-1)!
      const ctx = createContext(cmd, state)
      const { client, interrupt } = ctx
      // With `-` as destination stdout carries the object: every message goes to stderr.
      const out = destination === '-' ? new Output(ctx.out.options, process.stderr, process.stderr) : ctx.out
      const transfers = await planTransfers(client, sources, destination, {
        recursive: Boolean(opts.recursive),
        warn: (t) => out.warn(t),
        signal: interrupt.signal,
      })
      for (const t of transfers) {
        if (sameLocation(t.from, t.to)) throw new UsageError(`${describe(t.from)}: source and destination are the same`)
      }
      const progress = Progress.create(out, opts.progress)
      const env: TransferEnv = {
        client,
        interrupt,
        progress,
        checkpoints: new FileCheckpointStore(resolveStateDir(opts.stateDir)),
        partSize: opts.partSize,
        concurrency: opts.concurrency,
        contentType: opts.contentType,
        move,
      }
      state.interruptHint = transfers.some((t) => t.from.kind !== 'stdio' && t.to.kind !== 'stdio')
        ? `run the same command again to resume`
        : undefined
      const sizes = transfers.map((t) => t.size)
      if (transfers.length > 1 && sizes.every((s) => s !== undefined)) {
        progress.setTotal(sizes.reduce((a, s) => a! + s!, 0)!, transfers.length)
      }
      let results: TransferResult[]
      try {
        results = await pool(transfers, opts.jobs ?? 4, async (t) => {
          const r = await runTransfer(t, env).catch((e: unknown) => {
            throw annotate(e, describe(t.from))
          })
          const size = r.size === undefined ? '' : ` (${humanSize(r.size)}${r.resumed ? ', resumed' : ''})`
          out.line(`${r.action}: ${r.source} -> ${r.destination}${size}`)
          return r
        })
      } finally {
        progress.stop()
      }
      out.document({
        transfers: results,
        count: results.length,
        bytes: results.reduce((n, r) => n + (r.size ?? 0), 0),
      })
    })
}
