/**
 * The emulator's command-line flags, parsed and checked in one place for both front-ends: the `nos-emulator` bin
 * (cli.ts, node:util parseArgs) and `nos serve` (src/cli/commands/serve.ts, commander). Kept apart from cli.ts so
 * it can be tested without starting a server.
 * @module
 */
import { parseArgs } from 'node:util'
import type { EmulatorBucketOption, EmulatorOptions } from './types.js'
import { BUCKET_NAME_RULE, isValidBucketName } from './util.js'

/** One flag: `--<flag> <value>`, its key in {@link EmulatorFlagValues}, whether it repeats, its help line. */
export interface EmulatorFlag {
  flag: string
  key: keyof EmulatorFlagValues
  /** Placeholder of the value; absent for a boolean flag. */
  value?: string
  multiple?: boolean
  /** The only values allowed (offered by shell completion too). */
  choices?: readonly string[]
  help: string
}

/** The flags as given, before any check: strings (lists for repeatable flags), booleans for switches. */
export interface EmulatorFlagValues {
  port?: string
  host?: string
  accessKey?: string[]
  secretKey?: string[]
  bucket?: string[]
  publicBucket?: string[]
  dataDir?: string
  cors?: string
  endpointHost?: string
  quiet?: boolean
}

/** Every flag both front-ends accept (`nos serve` takes `--quiet` as its global flag). */
export const EMULATOR_FLAGS: readonly EmulatorFlag[] = [
  { flag: 'port', key: 'port', value: '<n>', help: 'TCP port to listen on (default 9000; 0 picks a free port)' },
  { flag: 'host', key: 'host', value: '<addr>', help: 'address to bind (default 127.0.0.1)' },
  { flag: 'access-key', key: 'accessKey', value: '<id>', multiple: true, help: 'access key id to accept (repeatable; paired in order with --secret-key)' },
  { flag: 'secret-key', key: 'secretKey', value: '<secret>', multiple: true, help: 'secret of the matching --access-key (repeatable)' },
  { flag: 'bucket', key: 'bucket', value: '<name>', multiple: true, help: 'private bucket to create at start-up (repeatable)' },
  { flag: 'public-bucket', key: 'publicBucket', value: '<name>', multiple: true, help: 'public-read bucket to create at start-up (repeatable)' },
  { flag: 'data-dir', key: 'dataDir', value: '<dir>', help: 'keep buckets, objects and unfinished multipart uploads in <dir> (default: in memory)' },
  { flag: 'cors', key: 'cors', value: '<mode>', choices: ['permissive'], help: 'permissive: allow every origin, method and header on buckets without a CORS configuration' },
  { flag: 'endpoint-host', key: 'endpointHost', value: '<host>', help: 'base host for virtual-hosted requests, <bucket>.<host> (default nos.localhost:<port>)' },
  { flag: 'quiet', key: 'quiet', help: 'do not print a line per request' },
]

/** `--help` text of `nos-emulator`: every option it understands. */
export const HELP = `nos-emulator: a local NOS (NetEase Object Storage) server for tests and development

Usage:
  nos-emulator --access-key AK --secret-key SK --bucket my-bucket [options]

Options:
${[...EMULATOR_FLAGS.map((f) => [`--${f.flag}${f.value ? ` ${f.value}` : ''}`, f.help]), ['-h, --help', 'show this help and exit']]
  .map(([left, help]) => `  ${left!.padEnd(22)} ${help}`)
  .join('\n')}

Clients: path style http://<host>:<port>/<bucket>/<key>, or virtual-hosted with Host: <bucket>.<endpoint-host>.
Stops on SIGINT or SIGTERM.`

/**
 * Checks the flags and turns them into `startEmulator` options. Throws a TypeError with a readable message that
 * names the flag: each front-end reports it as a usage error.
 *
 * @example
 * emulatorOptionsFrom({ port: '0', accessKey: ['AK'], secretKey: ['SK'], bucket: ['my-bucket'] }).buckets // [{ name: 'my-bucket' }]
 */
export function emulatorOptionsFrom(values: EmulatorFlagValues): EmulatorOptions {
  const keys = values.accessKey ?? []
  const secrets = values.secretKey ?? []
  if (keys.length !== secrets.length) throw new TypeError('every --access-key needs a matching --secret-key')
  const port = values.port === undefined ? 9000 : /^\s*\d+\s*$/.test(values.port) ? Number(values.port) : NaN
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`--port: not a port number: ${values.port}`)
  if (values.cors !== undefined && values.cors !== 'permissive') throw new TypeError(`--cors: only "permissive" is supported`)
  const buckets: EmulatorBucketOption[] = [
    ...(values.bucket ?? []).map((name) => ({ name })),
    ...(values.publicBucket ?? []).map((name) => ({ name, acl: 'public-read' as const })),
  ]
  for (const b of buckets) {
    if (!isValidBucketName(b.name)) {
      throw new TypeError(`--${b.acl ? 'public-bucket' : 'bucket'}: ${JSON.stringify(b.name)} is not a bucket name NOS accepts (${BUCKET_NAME_RULE})`)
    }
  }
  const options: EmulatorOptions = {
    port,
    host: values.host ?? '127.0.0.1',
    credentials: keys.map((accessKeyId, i) => ({ accessKeyId, accessKeySecret: secrets[i]! })),
    buckets,
    log: !values.quiet,
  }
  if (values.dataDir) options.dataDir = values.dataDir
  if (values.cors) options.cors = 'permissive'
  if (values.endpointHost) options.endpointHost = values.endpointHost
  return options
}

/** Parsed command line: emulator options, or a request for help. */
export type CliCommand = { help: true } | { help: false; options: EmulatorOptions }

/**
 * Parses `nos-emulator`'s argv (without the node and script entries). Throws a TypeError with a readable message on
 * bad input.
 *
 * @example
 * parseCli(['--access-key', 'AK', '--secret-key', 'SK', '--bucket', 'my-bucket'])
 */
export function parseCli(argv: string[]): CliCommand {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } }
  for (const f of EMULATOR_FLAGS) options[f.flag] = f.value ? { type: 'string', ...(f.multiple ? { multiple: true } : {}) } : { type: 'boolean' }
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options })
  if (values['help']) return { help: true }
  const flagValues: Record<string, unknown> = {}
  for (const f of EMULATOR_FLAGS) if (values[f.flag] !== undefined) flagValues[f.key] = values[f.flag]
  return { help: false, options: emulatorOptionsFrom(flagValues as EmulatorFlagValues) }
}
