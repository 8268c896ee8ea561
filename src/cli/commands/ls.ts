/**
 * `nos ls [nos://bucket[/prefix]]`: buckets, one "directory" level (delimiter '/'), or everything under a
 * prefix with `--recursive`; `-l` adds date, size and ETag.
 * @module
 */
import { Command } from 'commander'
import { createContext, type RunState } from '../context.js'
import { columns } from '../output.js'
import { formatUri, parseNosUri } from '../uri.js'
import { formatDate, humanSize } from '../units.js'

interface LsOptions {
  long?: boolean
  recursive?: boolean
  bytes?: boolean
}

const EXAMPLES = `
Examples:
  $ nos ls                                  list your buckets
  $ nos ls nos://photos                     top level of a bucket ("directories" end with /)
  $ nos ls -l nos://photos/2024/            date, size, ETag and name of each object
  $ nos ls --recursive nos://photos/2024/   every key under the prefix
  $ nos ls --json nos://photos/2024/        one JSON document: { bucket, prefix, objects, prefixes }`

/** The `ls` command. */
export function lsCommand(state: RunState): Command {
  return new Command('ls')
    .description('list buckets, or objects and "directories" under a nos:// prefix')
    .argument('[uri]', 'nos://bucket[/prefix]; omitted: list buckets')
    .option('-l, --long', 'long listing: date (UTC), size, ETag, name')
    .option('-r, --recursive', 'every key under the prefix, not one "directory" level')
    .option('--bytes', 'sizes in bytes instead of KiB/MiB/GiB (with -l)')
    .addHelpText('after', EXAMPLES)
    .action(async (uri: string | undefined, opts: LsOptions, cmd: Command) => {
      const ctx = createContext(cmd, state)
      const { client, out, interrupt } = ctx
      const signal = interrupt.signal
      const size = (n: number) => (opts.bytes ? String(n) : humanSize(n))
      if (!uri) {
        const { buckets, owner } = await client.listBuckets({ signal })
        out.document({ owner: { id: owner.id, displayName: owner.displayName }, buckets: buckets.map((b) => ({ name: b.name, creationDate: b.creationDate.toISOString() })) })
        if (opts.long) out.results(columns(buckets.map((b) => [formatDate(b.creationDate), formatUri(b.name)])))
        else out.results(buckets.map((b) => b.name))
        return
      }
      const { bucket, key: prefix } = parseNosUri(uri)
      const delimiter = opts.recursive ? undefined : '/'
      // Names are shown relative to the listed "directory" (the prefix up to its last '/'), as `ls` does;
      // --recursive and --json show full keys.
      const base = opts.recursive ? '' : prefix.slice(0, prefix.lastIndexOf('/') + 1)
      const rel = (k: string) => k.slice(base.length)
      const objects: { key: string; size: number; lastModified: string; etag: string; storageClass: string }[] = []
      const prefixes: string[] = []
      const rows: string[][] = []
      for await (const page of client.iterateObjectPages({ bucket, prefix: prefix || undefined, delimiter, signal })) {
        for (const p of page.commonPrefixes) {
          prefixes.push(p)
          rows.push(opts.long ? ['', 'DIR', '', rel(p)] : [rel(p)])
        }
        for (const o of page.contents) {
          objects.push({ key: o.key, size: o.size, lastModified: o.lastModified.toISOString(), etag: o.etag, storageClass: o.storageClass })
          rows.push(opts.long ? [formatDate(o.lastModified), size(o.size), o.etag, rel(o.key)] : [rel(o.key)])
        }
        // Plain listings stream page by page; long ones are aligned once everything is known.
        if (!opts.long && !out.json) {
          out.results(rows.map((r) => r[0]!))
          rows.length = 0
        }
      }
      if (opts.long) out.results(columns(rows, [1]))
      out.document({ bucket, prefix, delimiter: delimiter ?? null, prefixes, objects })
    })
}
