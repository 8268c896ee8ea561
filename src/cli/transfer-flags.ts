/**
 * Flags shared by the commands that move data (cp, mv, sync): progress bars, part size, parallelism, the
 * checkpoint directory, dry runs and `--fail-fast`, plus the object flags of object-options.ts.
 * @module
 */
import { Option, type Command } from 'commander'
import { DEFAULT_PART_SIZE, MAX_PART_SIZE, MIN_PART_SIZE } from '../core/limits.js'
import { UsageError } from './errors.js'
import { addObjectFlags, type ObjectFlags } from './object-options.js'
import { parseIntIn, parseSize } from './units.js'

/** The shared flags as parsed. */
export interface TransferFlags extends ObjectFlags {
  progress?: boolean
  partSize?: number
  concurrency?: number
  jobs?: number
  stateDir?: string
  dryrun?: boolean
  failFast?: boolean
}

const sizeArg = (flag: string) => (v: string) => {
  const n = parseSize(v, flag)
  if (n < MIN_PART_SIZE || n > MAX_PART_SIZE) throw new UsageError(`${flag}: must be from ${MIN_PART_SIZE / 1024}KiB to ${MAX_PART_SIZE / 1024 ** 2}MiB, got ${v}`)
  return n
}

/** Adds the shared flags to `cmd`. */
export function addTransferFlags(cmd: Command): Command {
  cmd
    .option('--dryrun', 'print what would be done, change nothing')
    .option('--fail-fast', 'stop at the first failed file (default: go on, list the failures at the end, exit 1)')
    .option('--progress', 'show progress bars on stderr even when it is not a terminal')
    .option('--no-progress', 'never show progress bars')
    .addOption(new Option('--part-size <size>', `multipart part size / download range size, ${MIN_PART_SIZE / 1024}KiB-${MAX_PART_SIZE / 1024 ** 2}MiB (default ${DEFAULT_PART_SIZE / 1024 ** 2}MiB, larger for huge files)`).argParser(sizeArg('--part-size')))
    .addOption(new Option('--concurrency <n>', 'parts (or ranges) in flight per file, 1-64').default(4).argParser((v) => parseIntIn(v, '--concurrency', 1, 64)))
    .addOption(new Option('--jobs <n>', 'files transferred at once, 1-64').default(4).argParser((v) => parseIntIn(v, '--jobs', 1, 64)))
    .option('--state-dir <dir>', 'where upload checkpoints live (default $NOS_STATE_DIR or ~/.nos-sdk/checkpoints)')
  return addObjectFlags(cmd)
}
