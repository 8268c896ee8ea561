/**
 * What every command gets: the global options merged, the client (built from flags, environment and config
 * file), the printer and the interrupt handler. `RunState` is shared with main.ts so that errors can be printed
 * (and secrets masked) whatever state a command reached.
 * @module
 */
import { writeSync } from 'node:fs'
import type { Command } from 'commander'
import { NosClient } from '../node.js'
import { resolveCredentials, type ResolvedCredentials } from './config.js'
import { EXIT, InterruptedError, UsageError, errorJson, scrub } from './errors.js'
import { jsonText } from './escape.js'
import { Interrupt } from './interrupt.js'
import { Output } from './output.js'

/** Options of the root command, valid before or after the subcommand. */
export interface GlobalOptions {
  endpoint?: string
  accessKeyId?: string
  accessKeySecret?: string
  config?: string
  json?: boolean
  quiet?: boolean
}

/** State of one `main()` run, read by the error handler in main.ts. */
export interface RunState {
  /** Values to mask in everything printed. */
  secrets: string[]
  json: boolean
  quiet: boolean
  interrupt: Interrupt | undefined
  /** Printed after "interrupted" (e.g. how to resume, what was done). */
  interruptHint: string | undefined
  /**
   * What the command has done so far, as its `--json` document: a failed or interrupted run prints this
   * document with an `error` member added (main.ts), so every run prints exactly one document.
   */
  partial: (() => Record<string, unknown>) | undefined
}

/** A new run state; the environment's secret is masked from the start. */
export function newRunState(env: NodeJS.ProcessEnv = process.env): RunState {
  const secrets = [env['NOS_ACCESS_KEY_SECRET']].filter((s): s is string => Boolean(s))
  return { secrets, json: false, quiet: false, interrupt: undefined, interruptHint: undefined, partial: undefined }
}

/** The one JSON document of a failed run: what the command had done (if it says) and the error. */
export function failureDocument(state: RunState, e: unknown, code: number): Record<string, unknown> {
  return { ...(state.partial?.() ?? {}), ...errorJson(e, code, state.secrets) }
}

/** Everything a command needs. */
export interface Context {
  readonly options: GlobalOptions
  readonly out: Output
  readonly interrupt: Interrupt
  /** The resolved credentials (holds the secret: never print it). */
  readonly credentials: ResolvedCredentials
  readonly client: NosClient
}

/** The global options as seen from a (sub)command. */
export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>()
}

/**
 * Builds the context of a command: resolves credentials (UsageError on a bad config), creates the client and
 * installs SIGINT/SIGTERM handling.
 */
export function createContext(cmd: Command, state: RunState): Context {
  const options = globalOptions(cmd)
  state.json = Boolean(options.json)
  state.quiet = Boolean(options.quiet)
  if (options.accessKeySecret) state.secrets.push(options.accessKeySecret)
  const out = new Output({ json: state.json, quiet: state.quiet, secrets: state.secrets })
  const credentials = resolveCredentials(options, process.env, (text) => out.warn(text))
  if (credentials.accessKeySecret) state.secrets.push(credentials.accessKeySecret)
  let client: NosClient
  try {
    client = new NosClient({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      endpoint: credentials.endpoint,
    })
  } catch (e) {
    throw new UsageError(`bad endpoint (${credentials.sources.endpoint ?? 'default'}): ${(e as Error).message}`)
  }
  const interrupt = new Interrupt().install(() => {
    // A second signal exits at once: under --json, the document still says what was done.
    if (state.json) writeSync(1, `${scrub(jsonText(failureDocument(state, new InterruptedError('interrupted twice: stopped at once'), EXIT.INTERRUPTED)), state.secrets)}\n`)
  })
  state.interrupt = interrupt
  return { options, out, interrupt, credentials, client }
}
