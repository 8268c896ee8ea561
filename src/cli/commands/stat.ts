/**
 * `nos stat nos://b/k`: an object's size, Content-Type, ETag, Last-Modified, stored headers and user metadata
 * (one HEAD request); `--json` prints them as one document.
 * @module
 */
import { Command } from 'commander'
import { createContext, type RunState } from '../context.js'
import { annotate } from '../errors.js'
import { columns } from '../output.js'
import { formatUri, parseObjectUri } from '../uri.js'
import { formatDate, humanSize } from '../units.js'

const EXAMPLES = `
Examples:
  $ nos stat nos://b/report.pdf
  $ nos stat --json nos://b/report.pdf | jq .metadata

Prints the object's size, Content-Type, ETag (the MD5 for objects stored by one PUT, an MD5 of the parts' MD5s
for multipart ones), Last-Modified (UTC), Cache-Control and Content-Disposition when set, and user metadata
(x-nos-meta-*). A missing object is exit code 1.`

/** The `stat` command. */
export function statCommand(state: RunState): Command {
  return new Command('stat')
    .description("show an object's size, type, ETag, last-modified time and metadata")
    .argument('<uri>', 'nos://bucket/key')
    .addHelpText('after', EXAMPLES)
    .action(async (uri: string, _opts: unknown, cmd: Command) => {
      const { bucket, key } = parseObjectUri(uri)
      const { client, out, interrupt } = createContext(cmd, state)
      const shown = formatUri(bucket, key)
      const h = await client.headObject({ bucket, key, signal: interrupt.signal }).catch((e: unknown) => {
        throw annotate(e, shown)
      })
      const stored = { cacheControl: h.cacheControl, contentDisposition: h.contentDisposition }
      out.document({
        uri: shown, bucket, key, size: h.contentLength, contentType: h.contentType, etag: h.etag,
        lastModified: h.lastModified.toISOString(), ...stored, metadata: h.metadata,
      })
      const rows = [
        ['URI:', shown],
        ['Size:', `${h.contentLength} (${humanSize(h.contentLength)})`],
        ['Content-Type:', h.contentType],
        ['ETag:', h.etag],
        ['Last-Modified:', `${formatDate(h.lastModified)} UTC`],
        ...(h.cacheControl === undefined ? [] : [['Cache-Control:', h.cacheControl]]),
        ...(h.contentDisposition === undefined ? [] : [['Content-Disposition:', h.contentDisposition]]),
        ...Object.entries(h.metadata).sort().map(([k, v]) => [`x-nos-meta-${k}:`, v]),
      ]
      out.results(columns(rows))
    })
}
