/**
 * Command-line parsing of `nos-emulator` (node:util parseArgs), kept apart from cli.ts so it can be tested
 * without starting a server.
 * @module
 */
import { parseArgs } from 'node:util'
import type { EmulatorBucketOption, EmulatorOptions } from './types.js'

/** `--help` text: every option the CLI understands. */
export const HELP = `nos-emulator: a local NOS (NetEase Object Storage) server for tests and development

Usage:
  nos-emulator --access-key AK --secret-key SK --bucket b [options]

Options:
  --port <n>             TCP port to listen on (default 9000; 0 picks a free port)
  --host <addr>          address to bind (default 127.0.0.1)
  --access-key <id>      access key id to accept (repeatable; paired in order with --secret-key)
  --secret-key <secret>  secret of the matching --access-key (repeatable)
  --bucket <name>        private bucket to create at start-up (repeatable)
  --public-bucket <name> public-read bucket to create at start-up (repeatable)
  --data-dir <dir>       keep buckets, objects and unfinished multipart uploads in <dir> (default: in memory)
  --cors permissive      allow every origin, method and header on buckets without a CORS configuration
  --endpoint-host <host> base host for virtual-hosted requests, <bucket>.<host> (default nos.localhost:<port>)
  --quiet                do not print a line per request
  -h, --help             show this help and exit

Clients: path style http://<host>:<port>/<bucket>/<key>, or virtual-hosted with Host: <bucket>.<endpoint-host>.
Stops on SIGINT or SIGTERM.`

/** Parsed command line: emulator options, or a request for help. */
export type CliCommand = { help: true } | { help: false; options: EmulatorOptions }

/**
 * Parses argv (without the node and script entries). Throws a TypeError with a readable message on bad input.
 *
 * @example
 * parseCli(['--access-key', 'AK', '--secret-key', 'SK', '--bucket', 'my-bucket'])
 */
export function parseCli(argv: string[]): CliCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'access-key': { type: 'string', multiple: true },
      'secret-key': { type: 'string', multiple: true },
      bucket: { type: 'string', multiple: true },
      'public-bucket': { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      cors: { type: 'string' },
      'endpoint-host': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const keys = values['access-key'] ?? []
  const secrets = values['secret-key'] ?? []
  if (keys.length !== secrets.length) throw new TypeError('every --access-key needs a matching --secret-key')
  const port = values.port === undefined ? 9000 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`--port: not a port number: ${values.port}`)
  if (values.cors !== undefined && values.cors !== 'permissive') throw new TypeError(`--cors: only "permissive" is supported`)
  const buckets: EmulatorBucketOption[] = [
    ...(values.bucket ?? []).map((name) => ({ name })),
    ...(values['public-bucket'] ?? []).map((name) => ({ name, acl: 'public-read' as const })),
  ]
  const options: EmulatorOptions = {
    port,
    host: values.host ?? '127.0.0.1',
    credentials: keys.map((accessKeyId, i) => ({ accessKeyId, accessKeySecret: secrets[i]! })),
    buckets,
    log: !values.quiet,
  }
  if (values['data-dir']) options.dataDir = values['data-dir']
  if (values.cors) options.cors = 'permissive'
  if (values['endpoint-host']) options.endpointHost = values['endpoint-host']
  return { help: false, options }
}
