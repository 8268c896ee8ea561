/**
 * `nos mb` creates a bucket; `nos rb` removes one (`--force` first aborts its pending multipart uploads and
 * deletes every object).
 * @module
 */
import { Command, Option } from 'commander'
import { createContext, type RunState } from '../context.js'
import { formatUri, parseBucketUri } from '../uri.js'
import { deletePrefix } from './rm.js'

const MB_EXAMPLES = `
Examples:
  $ nos mb nos://my-bucket
  $ nos mb nos://my-site --acl public-read
  $ nos mb nos://logs-bj --location BJ`

const RB_EXAMPLES = `
Examples:
  $ nos rb nos://my-bucket            fails unless the bucket is empty (NOS error BucketNotEmpty, exit code 1)
  $ nos rb --force nos://my-bucket    abort pending multipart uploads, delete every object, then the bucket`

/** The `mb` command. */
export function mbCommand(state: RunState): Command {
  return new Command('mb')
    .description('make a bucket')
    .argument('<uri>', 'nos://bucket')
    .addOption(new Option('--acl <acl>', 'canned ACL').choices(['private', 'public-read']).default('private'))
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
      const signal = interrupt.signal
      let uploadsAborted = 0
      let objectsDeleted = 0
      if (opts.force) {
        uploadsAborted = (await client.cleanupUploads({ bucket, signal })).length
        if (uploadsAborted) out.line(`abort: ${uploadsAborted} pending multipart upload(s)`)
        objectsDeleted = await deletePrefix(client, bucket, '', signal, (keys) => {
          for (const k of keys) out.line(`delete: ${formatUri(bucket, k)}`)
        })
      }
      await client.deleteBucket({ bucket, signal })
      out.line(`remove_bucket: ${formatUri(bucket)}`)
      out.document({ bucket, removed: true, objectsDeleted, uploadsAborted })
    })
}
