/**
 * `nos`: the command-line client of nos-sdk. `main(argv)` runs one command and resolves to its exit code; run
 * as a program (`nos ...`, built to dist/cli.js with a shebang) it sets the process exit code.
 * @module
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CommanderError } from 'commander'
import { failureDocument, newRunState, type RunState } from './context.js'
import { EXIT, BatchError, InterruptedError, UsageError, describeError, errorJson, exitCodeOf, scrub } from './errors.js'
import { escapeText, jsonText } from './escape.js'
import { installPipeHandling } from './pipes.js'
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

/** `--json` anywhere before a `--` (the parser may fail before it reads the options). */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json')
}

function reportFailure(state: RunState, e: unknown): number {
  const code = exitCodeOf(e, state.interrupt?.interrupted)
  const interrupted = code === EXIT.INTERRUPTED
  const message = interrupted ? `interrupted${state.interruptHint ? `; ${state.interruptHint}` : ''}` : describeError(e, state.secrets)
  // A batch has listed its failures already.
  if (!(e instanceof BatchError)) process.stderr.write(`nos: ${escapeText(message)}\n`)
  if (state.json) process.stdout.write(`${scrub(jsonText(failureDocument(state, interrupted ? new InterruptedError(message) : e, code)), state.secrets)}\n`)
  return code
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
    if (e instanceof CommanderError) {
      // Help and version are not failures. Otherwise commander has printed `nos: <message>` on stderr already.
      if (e.exitCode === 0) return EXIT.OK
      if (asksForJson(argv)) {
        const doc = errorJson(new UsageError(e.message.replace(/^error: /, '')), EXIT.USAGE, state.secrets)
        process.stdout.write(`${jsonText({ error: { ...(doc['error'] as object), code: e.code } })}\n`)
      }
      return EXIT.USAGE
    }
    // A command may fail before it reads the global options (a bad URI): --json still gets its error document.
    state.json ||= Boolean(program.opts<{ json?: boolean }>().json) || asksForJson(argv)
    return reportFailure(state, e)
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
  installPipeHandling()
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
