/**
 * `nos rm`: one object per URI, or with `--recursive` every key under a prefix, deleted 1000 keys per
 * multi-delete request (`deleteObjects`) as the listing pages arrive.
 * @module
 */
import { Command } from 'commander'
import { isNosErrorKind, type MultiObjectDeleteException, type NosClient } from '../../node.js'
import { createContext, type RunState } from '../context.js'
import { UsageError } from '../errors.js'
import { dirPrefix, formatUri, parseNosUri } from '../uri.js'

interface RmOptions {
  recursive?: boolean
}

const EXAMPLES = `
Examples:
  $ nos rm nos://b/old.txt                   delete one object (a missing key is an error, exit code 1)
  $ nos rm nos://b/a.txt nos://b/b.txt       delete several objects
  $ nos rm --recursive nos://b/logs/2023/    delete every key under a prefix (1000 per request)

--recursive treats the prefix as a directory: nos://b/logs removes logs/..., not logs-old/...
nos://b alone with --recursive empties the bucket.`

/** Page size of the listing = keys per multi-delete request (the NOS maximum, nos-protocol.md §7.5). */
const BATCH = 1000

/**
 * Deletes every key under `prefix`, one multi-delete per listing page; `onBatch` sees each batch's keys.
 * Used by `rm --recursive` and `rb --force`.
 */
export async function deletePrefix(client: NosClient, bucket: string, prefix: string, signal: AbortSignal, onBatch: (keys: string[]) => void): Promise<number> {
  let count = 0
  // Each page is deleted before the next is asked for: the marker (the page's last key) still orders correctly.
  for await (const page of client.iterateObjectPages({ bucket, prefix: prefix || undefined, limit: BATCH, signal })) {
    const keys = page.contents.map((c) => c.key)
    if (!keys.length) continue
    try {
      await client.deleteObjects({ bucket, keys, quiet: true, signal })
    } catch (e) {
      // A key deleted meanwhile by someone else is not a failure of `rm`.
      if (!isNosErrorKind(e, 'MultiObjectDeleteException') || (e as MultiObjectDeleteException).errors.some((x) => x.code !== 'NoSuchKey')) throw e
    }
    count += keys.length
    onBatch(keys)
  }
  return count
}

/** The `rm` command. */
export function rmCommand(state: RunState): Command {
  return new Command('rm')
    .description('delete objects, or every object under a prefix with --recursive')
    .argument('<uri...>', 'nos://bucket/key (or nos://bucket/prefix with --recursive)')
    .option('-r, --recursive', 'delete every key under each prefix, in batches of 1000')
    .addHelpText('after', EXAMPLES)
    .action(async (uris: string[], opts: RmOptions, cmd: Command) => {
      const targets = uris.map((u) => {
        const t = parseNosUri(u)
        if (!opts.recursive && !t.key) throw new UsageError(`${u} names a bucket: use --recursive to delete its objects, or nos rb`)
        return t
      })
      const ctx = createContext(cmd, state)
      const { client, out, interrupt } = ctx
      const deleted: string[] = []
      for (const t of targets) {
        if (opts.recursive) {
          const prefix = dirPrefix(t.key)
          await deletePrefix(client, t.bucket, prefix, interrupt.signal, (keys) => {
            for (const k of keys) {
              deleted.push(formatUri(t.bucket, k))
              out.line(`delete: ${formatUri(t.bucket, k)}`)
            }
          })
        } else {
          try {
            await client.deleteObject({ bucket: t.bucket, key: t.key, signal: interrupt.signal })
          } catch (e) {
            if (isNosErrorKind(e, 'NotFoundError')) (e as Error).message = `${formatUri(t.bucket, t.key)}: no such object (${(e as Error).message})`
            throw e
          }
          deleted.push(formatUri(t.bucket, t.key))
          out.line(`delete: ${formatUri(t.bucket, t.key)}`)
        }
      }
      out.document({ deleted, count: deleted.length })
    })
}
