/**
 * `nos mb` creates a bucket; `nos rb` removes one (`--force` first aborts its pending multipart uploads and
 * deletes every object).
 * @module
 */
import { Command, Option } from 'commander'
import { createContext, type RunState } from '../context.js'
import { formatUri, parseBucketUri } from '../uri.js'
import { failuresJson, finishBatch, printFailure } from '../batch.js'
import type { Failure } from '../errors.js'
import { keepWorkingWithoutStdout } from '../pipes.js'
import { abortAllUploads, deletePrefix } from './delete-objects.js'

const MB_EXAMPLES = `
Examples:
  $ nos mb nos://my-bucket
  $ nos mb nos://my-site --acl public-read
  $ nos mb nos://logs-bj --location BJ`

const RB_EXAMPLES = `
Examples:
  $ nos rb nos://my-bucket            fails unless the bucket is empty (NOS error BucketNotEmpty, exit code 1)
  $ nos rb --force nos://my-bucket    abort pending multipart uploads, delete every object, then the bucket

With --force, a key that cannot be deleted is listed and the bucket is kept (exit code 1).`

/** The `mb` command. */
export function mbCommand(state: RunState): Command {
  return new Command('mb')
    .description('make a bucket')
    .argument('<uri>', 'nos://bucket')
    .addOption(new Option('--acl <acl>', 'canned ACL of the new bucket').choices(['private', 'public-read']).default('private'))
    .option('--location <region>', 'NOS region, e.g. HZ, BJ, GZ (default: the service default)')
    .addHelpText('after', MB_EXAMPLES)
    .action(async (uri: string, opts: { acl: 'private' | 'public-read'; location?: string }, cmd: Command) => {
      const bucket = parseBucketUri(uri)
      const { client, out, interrupt } = createContext(cmd, state)
      await client.createBucket({ bucket, acl: opts.acl, location: opts.location, signal: interrupt.signal })
      out.line(`make_bucket: ${formatUri(bucket)}`)
      out.document({ bucket, created: true, acl: opts.acl })
    })
}

/** The `rb` command. */
export function rbCommand(state: RunState): Command {
  return new Command('rb')
    .description('remove a bucket (with --force, empty it first)')
    .argument('<uri>', 'nos://bucket')
    .option('-f, --force', 'abort pending multipart uploads and delete every object first')
    .addHelpText('after', RB_EXAMPLES)
    .action(async (uri: string, opts: { force?: boolean }, cmd: Command) => {
      const bucket = parseBucketUri(uri)
      const { client, out, interrupt } = createContext(cmd, state)
      keepWorkingWithoutStdout()
      const signal = interrupt.signal
      const done = { bucket, removed: false, objectsDeleted: 0, uploadsAborted: 0 }
      const failures: Failure[] = []
      state.partial = () => ({ ...done, failures: failuresJson(failures, state.secrets) })
      if (opts.force) {
        const uploads = await abortAllUploads(client, bucket, signal)
        done.uploadsAborted = uploads.aborted
        if (done.uploadsAborted) out.line(`abort: ${done.uploadsAborted} pending multipart upload(s)`)
        for (const f of uploads.failed) {
          failures.push(f)
          printFailure(out, f)
        }
        await deletePrefix(client, bucket, '', signal, {
          onDeleted: (keys) => {
            done.objectsDeleted += keys.length
            for (const k of keys) out.line(`delete: ${formatUri(bucket, k)}`)
          },
          onFailed: (f) => {
            failures.push(f)
            printFailure(out, f)
          },
        })
        finishBatch(out, failures, done.objectsDeleted + done.uploadsAborted + failures.length)
      }
      await client.deleteBucket({ bucket, signal })
      done.removed = true
      out.line(`remove_bucket: ${formatUri(bucket)}`)
      out.document(state.partial())
    })
}
