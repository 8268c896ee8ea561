/**
 * `nos serve`: runs the local NOS emulator (nos-sdk/emulator) in the foreground until SIGINT/SIGTERM, and prints
 * its endpoint. Without --access-key it accepts the credentials `nos` itself would use (flags, environment,
 * config file), so `NOS_ENDPOINT=<printed endpoint> nos ls` works against it at once.
 * @module
 */
import { Command, Option } from 'commander'
import { resolveCredentials } from '../config.js'
import { globalOptions, type RunState } from '../context.js'
import { UsageError } from '../errors.js'
import { Output } from '../output.js'
import { parseIntIn } from '../units.js'

interface ServeOptions {
  port: number
  host: string
  accessKey: string[]
  secretKey: string[]
  bucket: string[]
  publicBucket: string[]
  dataDir?: string
  cors?: 'permissive'
  log?: boolean
}

const EXAMPLES = `
Examples:
  $ nos serve --port 9000 --access-key AK --secret-key SK --bucket test
  $ nos serve --port 0 --bucket test --data-dir ./.nos-data --cors permissive
  $ NOS_ENDPOINT=http://127.0.0.1:9000 nos ls nos://test

Prints "nos: emulator listening on <endpoint>" (with --json: {"endpoint", "host", "port"}) once it accepts
requests; one line per request goes to stderr unless --quiet. Stops on SIGINT or SIGTERM (exit code 0).`

const collect = (v: string, prev: string[]) => [...prev, v]

/** The `serve` command. */
export function serveCommand(state: RunState): Command {
  return new Command('serve')
    .description('run a local NOS emulator for development and tests')
    .addOption(new Option('--port <n>', 'TCP port; 0 picks a free one').default(9000).argParser((v) => parseIntIn(v, '--port', 0, 65535)))
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--access-key <id>', 'access key id to accept (repeatable, paired in order with --secret-key; default: your nos credentials)', collect, [])
    .option('--secret-key <secret>', 'secret of the matching --access-key (repeatable)', collect, [])
    .option('--bucket <name>', 'private bucket to create at start-up (repeatable)', collect, [])
    .option('--public-bucket <name>', 'public-read bucket to create at start-up (repeatable)', collect, [])
    .option('--data-dir <dir>', 'keep buckets and objects in this directory (default: in memory)')
    .addOption(new Option('--cors <mode>', 'allow every origin, method and header on every bucket').choices(['permissive']))
    .addHelpText('after', EXAMPLES)
    .action(async (opts: ServeOptions, cmd: Command) => {
      const g = globalOptions(cmd)
      state.json = Boolean(g.json)
      state.quiet = Boolean(g.quiet)
      for (const s of opts.secretKey) state.secrets.push(s)
      if (opts.accessKey.length !== opts.secretKey.length) throw new UsageError('every --access-key needs a matching --secret-key')
      let credentials = opts.accessKey.map((accessKeyId, i) => ({ accessKeyId, accessKeySecret: opts.secretKey[i]! }))
      if (!credentials.length) {
        const own = resolveCredentials(g)
        if (own.accessKeySecret) state.secrets.push(own.accessKeySecret)
        if (own.accessKeyId && own.accessKeySecret) credentials = [{ accessKeyId: own.accessKeyId, accessKeySecret: own.accessKeySecret }]
      }
      const out = new Output({ json: state.json, quiet: state.quiet, secrets: state.secrets })
      if (!credentials.length) out.warn('no credentials (--access-key/--secret-key or NOS_ACCESS_KEY_ID/NOS_ACCESS_KEY_SECRET): only anonymous reads of public buckets will work')
      // Loaded on demand: the other commands do not pay for the emulator's modules.
      const { startEmulator } = await import('../../emulator/index.js')
      let emu: Awaited<ReturnType<typeof startEmulator>>
      try {
        emu = await startEmulator({
          port: opts.port,
          host: opts.host,
          credentials,
          buckets: [...opts.bucket.map((name) => ({ name })), ...opts.publicBucket.map((name) => ({ name, acl: 'public-read' as const }))],
          dataDir: opts.dataDir,
          cors: opts.cors,
          log: !state.quiet,
        })
      } catch (e) {
        if (e instanceof TypeError) throw new UsageError(e.message)
        throw e
      }
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'))
        process.once('SIGTERM', () => resolve('SIGTERM'))
      })
      if (state.json) out.document({ endpoint: emu.endpoint, host: emu.host, port: emu.port })
      else out.result(`nos: emulator listening on ${emu.endpoint}`)
      const signal = await stopped
      if (!state.quiet) process.stderr.write(`nos: ${signal}, stopping the emulator\n`)
      await emu.close()
    })
}
