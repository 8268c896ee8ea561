#!/usr/bin/env node
/**
 * `nos-emulator`: runs the NOS emulator from a shell until SIGINT/SIGTERM. See `nos-emulator --help`.
 * @module
 */
import { HELP, parseCli } from './cli-args.js'
import { startEmulator } from './index.js'

async function main(): Promise<void> {
  let command
  try {
    command = parseCli(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`nos-emulator: ${(e as Error).message}\nTry nos-emulator --help\n`)
    process.exitCode = 2
    return
  }
  if (command.help) {
    process.stdout.write(`${HELP}\n`)
    return
  }
  const { options } = command
  if (!options.credentials?.length) process.stderr.write('nos-emulator: no --access-key given; only anonymous reads of public buckets will work\n')
  const emu = await startEmulator(options)
  process.stdout.write(`NOS emulator listening on ${emu.endpoint} (virtual-hosted: http://<bucket>.${emu.endpointHost})\n`)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stderr.write(`nos-emulator: ${signal}, stopping\n`)
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((e: unknown) => {
  process.stderr.write(`nos-emulator: ${(e as Error).message ?? String(e)}\n`)
  process.exit(1)
})
