/**
 * `nos`: the command-line client of nos-sdk. `main(argv)` runs one command and resolves to its exit code; run
 * as a program (`nos ...`, built to dist/cli.js with a shebang) it sets the process exit code.
 * @module
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CommanderError } from 'commander'
import { newRunState, type RunState } from './context.js'
import { EXIT, describeError, errorJson, exitCodeOf } from './errors.js'
import { buildProgram } from './program.js'

export { EXIT } from './errors.js'

/** Flags whose value is a secret: masked in every message even when parsing fails before they are read. */
const SECRET_FLAGS = ['--access-key-secret', '--secret-key']

function collectSecrets(argv: readonly string[], state: RunState): void {
  argv.forEach((a, i) => {
    for (const f of SECRET_FLAGS) {
      if (a === f && argv[i + 1]) state.secrets.push(argv[i + 1]!)
      else if (a.startsWith(`${f}=`)) state.secrets.push(a.slice(f.length + 1))
    }
  })
}

/**
 * Runs `nos` with the arguments after the program name and resolves to the exit code (see `EXIT`).
 * @example process.exitCode = await main(['ls', 'nos://my-bucket/'])
 */
export async function main(argv: string[]): Promise<number> {
  const state = newRunState()
  collectSecrets(argv, state)
  const program = buildProgram(state)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return EXIT.OK
  } catch (e) {
    // commander has printed its own message (or the help) already.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE
    // A command may fail before it reads the global options (a bad URI): --json still gets its error document.
    state.json ||= Boolean(program.opts<{ json?: boolean }>().json)
    const code = exitCodeOf(e, state.interrupt?.interrupted)
    const message = code === EXIT.INTERRUPTED ? `interrupted${state.interruptHint ? `; ${state.interruptHint}` : ''}` : describeError(e, state.secrets)
    process.stderr.write(`nos: ${message}\n`)
    if (state.json) process.stdout.write(`${JSON.stringify(errorJson(code === EXIT.INTERRUPTED ? new Error(message) : e, code, state.secrets), null, 2)}\n`)
    return code
  } finally {
    state.interrupt?.uninstall()
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`nos: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = EXIT.CLIENT
    },
  )
}
