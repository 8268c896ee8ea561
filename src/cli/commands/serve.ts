/**
 * `nos serve`: runs the local NOS emulator (nos-sdk/emulator) in the foreground until SIGINT/SIGTERM, and prints
 * its endpoint. Without --access-key it accepts the credentials `nos` itself would use (flags, environment,
 * config file), so `NOS_ENDPOINT=<printed endpoint> nos ls` works against it at once.
 * @module
 */
import { Command, Option } from 'commander'
import { EMULATOR_FLAGS, emulatorOptionsFrom, type EmulatorFlagValues } from '../../emulator/cli-args.js'
import { resolveCredentials } from '../config.js'
import { globalOptions, type RunState } from '../context.js'
import { UsageError } from '../errors.js'
import { Output } from '../output.js'

const EXAMPLES = `
Examples:
  $ nos serve --port 9000 --access-key AK --secret-key SK --bucket test
  $ nos serve --port 0 --bucket test --data-dir ./.nos-data --cors permissive
  $ NOS_ENDPOINT=http://127.0.0.1:9000 nos ls nos://test

Prints "nos: emulator listening on <endpoint>" (with --json: {"endpoint", "host", "port"}) once it accepts
requests; one line per request goes to stderr unless --quiet. Stops on SIGINT or SIGTERM (exit code 0).`

const collect = (v: string, prev: string[]) => [...prev, v]

/** The `serve` command: the emulator's own flags (emulator/cli-args.ts), parsed and checked there. */
export function serveCommand(state: RunState): Command {
  const cmd = new Command('serve').description('run a local NOS emulator for development and tests')
  // `--quiet` is nos's global flag; every other flag is the emulator's.
  for (const f of EMULATOR_FLAGS.filter((x) => x.key !== 'quiet')) {
    const help = f.key === 'accessKey' ? `${f.help}; default: your nos credentials` : f.help
    const option = new Option(`--${f.flag}${f.value ? ` ${f.value}` : ''}`, help)
    if (f.multiple) option.argParser(collect).default([])
    if (f.choices) option.choices(f.choices)
    cmd.addOption(option)
  }
  return cmd.addHelpText('after', EXAMPLES).action(async (flags: EmulatorFlagValues, c: Command) => {
    const g = globalOptions(c)
    state.json = Boolean(g.json)
    state.quiet = Boolean(g.quiet)
    for (const s of flags.secretKey ?? []) state.secrets.push(s)
    let options
    try {
      options = emulatorOptionsFrom({ ...flags, quiet: state.quiet })
    } catch (e) {
      throw e instanceof TypeError ? new UsageError(e.message) : e
    }
    if (!options.credentials?.length) {
      const own = resolveCredentials(g)
      if (own.accessKeySecret) state.secrets.push(own.accessKeySecret)
      if (own.accessKeyId && own.accessKeySecret) options.credentials = [{ accessKeyId: own.accessKeyId, accessKeySecret: own.accessKeySecret }]
    }
    const out = new Output({ json: state.json, quiet: state.quiet, secrets: state.secrets })
    if (!options.credentials?.length) out.warn('no credentials (--access-key/--secret-key or NOS_ACCESS_KEY_ID/NOS_ACCESS_KEY_SECRET): only anonymous reads of public buckets will work')
    // Loaded on demand: the other commands do not pay for the emulator's modules.
    const { startEmulator } = await import('../../emulator/index.js')
    let emu: Awaited<ReturnType<typeof startEmulator>>
    try {
      emu = await startEmulator(options)
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
