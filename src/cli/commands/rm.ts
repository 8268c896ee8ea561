/**
 * `nos rm`: one object per URI, or with `--recursive` every key under a prefix, deleted 1000 keys per
 * multi-delete request (`deleteObjects`) as the listing pages arrive. Failures do not stop the others.
 * @module
 */
import { Command } from 'commander'
import { isNosErrorKind, type NosClient } from '../../node.js'
import { failuresJson, finishBatch, printFailure, runBatch } from '../batch.js'
import { createContext, type RunState } from '../context.js'
import { UsageError, type Failure } from '../errors.js'
import type { Output } from '../output.js'
import { keepWorkingWithoutStdout } from '../pipes.js'
import { dirPrefix, formatUri, parseNosUri, type NosUri } from '../uri.js'
import { deletePrefix } from './delete-objects.js'

interface RmOptions {
  recursive?: boolean
  dryrun?: boolean
  failFast?: boolean
}

const EXAMPLES = `
Examples:
  $ nos rm nos://b/old.txt                   delete one object (a missing key is an error, exit code 1)
  $ nos rm nos://b/a.txt nos://b/b.txt       delete several objects
  $ nos rm --recursive nos://b/logs/2023/    delete every key under a prefix (1000 per request)
  $ nos rm -r --dryrun nos://b/tmp/          print what would be deleted

--recursive treats the prefix as a directory: nos://b/logs removes logs/..., not logs-old/...
nos://b alone with --recursive empties the bucket. A key NOS could not delete (NoSuchKey included: someone
else removed it first) is a failure: the others go on, the failures are listed at the end and the exit code
is 1 (--fail-fast stops at the first). After Ctrl-C, --json still reports what was deleted.`

/** The running totals of one `rm`. */
interface Tally {
  deleted: string[]
  failures: Failure[]
}

/** Why nothing was under a prefix: the URI may name an object (drop --recursive). */
async function warnEmptyPrefix(client: NosClient, t: NosUri, out: Output, signal: AbortSignal): Promise<void> {
  const prefix = formatUri(t.bucket, dirPrefix(t.key))
  const isObject = t.key && !t.key.endsWith('/') && (await client.headObject({ bucket: t.bucket, key: t.key, signal }).then(() => true, () => false))
  out.warn(isObject ? `nothing under ${prefix}: ${formatUri(t.bucket, t.key)} is an object, not a prefix (remove it without --recursive)` : `no objects under ${prefix}`)
}

async function removePrefix(client: NosClient, t: NosUri, opts: RmOptions, out: Output, signal: AbortSignal, tally: Tally): Promise<void> {
  const listed = await deletePrefix(client, t.bucket, dirPrefix(t.key), signal, {
    dryrun: opts.dryrun,
    failFast: opts.failFast,
    onDeleted: (keys) => {
      for (const k of keys) {
        tally.deleted.push(formatUri(t.bucket, k))
        out.line(`${opts.dryrun ? '(dryrun) ' : ''}delete: ${formatUri(t.bucket, k)}`)
      }
    },
    onFailed: (f) => {
      tally.failures.push(f)
      printFailure(out, f)
    },
  })
  if (listed === 0) await warnEmptyPrefix(client, t, out, signal)
}

async function removeObject(client: NosClient, t: NosUri, dryrun: boolean, signal: AbortSignal): Promise<string> {
  const uri = formatUri(t.bucket, t.key)
  try {
    // A dry run checks that the object is there, so that it fails where the real run would.
    if (dryrun) await client.headObject({ bucket: t.bucket, key: t.key, signal })
    else await client.deleteObject({ bucket: t.bucket, key: t.key, signal })
  } catch (e) {
    if (isNosErrorKind(e, 'NotFoundError')) (e as Error).message = `${uri}: no such object (${(e as Error).message})`
    throw e
  }
  return uri
}

/** The `rm` command. */
export function rmCommand(state: RunState): Command {
  return new Command('rm')
    .description('delete objects, or every object under a prefix with --recursive')
    .argument('<uri...>', 'nos://bucket/key (or nos://bucket/prefix with --recursive)')
    .option('-r, --recursive', 'delete every key under each prefix, in batches of 1000')
    .option('--dryrun', 'print what would be deleted, delete nothing')
    .option('--fail-fast', 'stop at the first key that cannot be deleted')
    .addHelpText('after', EXAMPLES)
    .action(async (uris: string[], opts: RmOptions, cmd: Command) => {
      const targets = uris.map((u) => {
        const t = parseNosUri(u)
        if (!opts.recursive && !t.key) throw new UsageError(`${u} names a bucket: use --recursive to delete its objects, or nos rb`)
        return t
      })
      const { client, out, interrupt } = createContext(cmd, state)
      keepWorkingWithoutStdout()
      const tally: Tally = { deleted: [], failures: [] }
      const document = () => ({ dryrun: Boolean(opts.dryrun), deleted: tally.deleted, count: tally.deleted.length, failures: failuresJson(tally.failures, state.secrets) })
      state.partial = document
      interrupt.onInterrupt(() => (state.interruptHint = `${tally.deleted.length} object(s) ${opts.dryrun ? 'listed' : 'deleted'} before the interrupt`))
      if (opts.recursive) {
        for (const t of targets) {
          if (opts.failFast && tally.failures.length) break
          await removePrefix(client, t, opts, out, interrupt.signal, tally)
        }
      } else {
        const single = targets.length === 1
        const remove = async (t: NosUri) => {
          const uri = await removeObject(client, t, Boolean(opts.dryrun), interrupt.signal)
          tally.deleted.push(uri)
          out.line(`${opts.dryrun ? '(dryrun) ' : ''}delete: ${uri}`)
        }
        const batch = await runBatch(targets, (t) => formatUri(t.bucket, t.key), remove, {
          jobs: 4, failFast: Boolean(opts.failFast), interrupt, onFailure: (f) => (single ? undefined : printFailure(out, f)),
        })
        if (single && batch.failures.length) throw batch.failures[0]!.error
        tally.failures.push(...batch.failures)
      }
      finishBatch(out, tally.failures, tally.deleted.length + tally.failures.length)
      out.document(document())
    })
}
