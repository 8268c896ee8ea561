/**
 * `nos presign`: a URL that grants one request (GET by default, PUT for uploads) until it expires, signed
 * locally with your credentials (no request is sent).
 * @module
 */
import { Command, Option } from 'commander'
import { createContext, type RunState } from '../context.js'
import { UsageError } from '../errors.js'
import { parseDuration } from '../units.js'
import { parseObjectUri } from '../uri.js'

interface PresignOptions {
  expires: number
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE'
  contentType?: string
}

const EXAMPLES = `
Examples:
  $ nos presign nos://b/report.pdf                     GET URL valid 15 minutes
  $ nos presign nos://b/report.pdf --expires 7d        valid a week
  $ curl -T photo.png -H 'Content-Type: image/png' \\
      "$(nos presign nos://b/up/photo.png --method PUT --content-type image/png --expires 1h)"

Durations: 30s, 15m, 1h, 7d, 2w or plain seconds. With --content-type the uploader must send exactly that
Content-Type header.`

/** The `presign` command. */
export function presignCommand(state: RunState): Command {
  return new Command('presign')
    .description('print a presigned URL for an object')
    .argument('<uri>', 'nos://bucket/key')
    .addOption(new Option('--expires <duration>', 'lifetime: 30s, 15m, 1h, 7d or seconds').default(900, '15m').argParser((v) => parseDuration(v, '--expires')))
    .addOption(new Option('--method <method>', 'HTTP method the URL allows').choices(['GET', 'PUT', 'HEAD', 'DELETE']).default('GET').argParser((v) => v.toUpperCase()))
    .option('--content-type <type>', 'Content-Type the request must send (signed; for PUT uploads)')
    .addHelpText('after', EXAMPLES)
    .action(async (uri: string, opts: PresignOptions, cmd: Command) => {
      const { bucket, key } = parseObjectUri(uri)
      if (!['GET', 'PUT', 'HEAD', 'DELETE'].includes(opts.method)) throw new UsageError(`--method: expected GET, PUT, HEAD or DELETE, got ${opts.method}`)
      const { client, out } = createContext(cmd, state)
      if (!ctxHasCredentials(client)) throw new UsageError('presign needs credentials: --access-key-id/--access-key-secret, $NOS_ACCESS_KEY_ID/$NOS_ACCESS_KEY_SECRET or a config file')
      const req = await client.presignRequest({ method: opts.method, bucket, key, expires: opts.expires, contentType: opts.contentType })
      out.result(req.url)
      out.document({ url: req.url, method: req.method, headers: req.headers, expires: opts.expires, expiresAt: req.expiresAt.toISOString() })
    })
}

function ctxHasCredentials(client: { config: { accessKeyId: string | undefined } }): boolean {
  return Boolean(client.config.accessKeyId)
}
