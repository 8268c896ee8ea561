/**
 * The `nos` command tree (commander): global options, subcommands, help with examples, environment and exit
 * codes. Errors of commander itself (unknown option, missing argument) are printed as `nos: <message>` and
 * become exit code 2 in main.ts.
 * @module
 */
import { Command } from 'commander'
import { catCommand } from './commands/cat.js'
import { completionCommand } from './commands/completion.js'
import { transferCommand } from './commands/cp.js'
import { lsCommand } from './commands/ls.js'
import { mbCommand, rbCommand } from './commands/mb-rb.js'
import { presignCommand } from './commands/presign.js'
import { rmCommand } from './commands/rm.js'
import { serveCommand } from './commands/serve.js'
import { statCommand } from './commands/stat.js'
import { syncCommand } from './commands/sync.js'
import type { RunState } from './context.js'
import { EXIT_CODES_HELP, scrub } from './errors.js'
import { escapeText } from './escape.js'

/** Shown by `nos --version`. Kept in step with package.json by test/cli. */
export const VERSION = '0.1.0'

const ROOT_HELP = `
Credentials and endpoint, first found wins for each value:
  1. --access-key-id, --access-key-secret, --endpoint
  2. NOS_ACCESS_KEY_ID, NOS_ACCESS_KEY_SECRET, NOS_ENDPOINT
  3. the JSON file of --config (default ~/.nos-sdk/config.json), read only for what 1 and 2 leave missing:
     { "accessKeyId": "...", "accessKeySecret": "...", "endpoint": "nos-eastchina1.126.net" }
     (keep it private: chmod 600; nos warns when other users can read a file holding the secret)
  No credentials at all: anonymous requests (public-read buckets only).
  The default endpoint is nos-eastchina1.126.net; the secret is never printed.

Other environment:
  NOS_STATE_DIR  where interrupted uploads keep their checkpoints (default ~/.nos-sdk/checkpoints)

${EXIT_CODES_HELP}

Output: results on stdout, errors on stderr as "nos: <message>" (service errors with the NOS error code and
request id). Control characters in names are printed escaped (\\n, \\t, \\x1B, \\\\, \\u{202E}), on a terminal or
not, so that a key can neither rewrite the terminal nor split a line; the escaping is reversible. --json prints
exactly one JSON document on stdout with the exact names, also when the command fails or is interrupted
({ ...what was done, "error": { message, kind, code, requestId, exitCode } }), usage errors included. Progress
bars go to stderr. When the reader of stdout goes away (nos ls | head -1), listing commands stop quietly with
exit code 0; commands that change things finish their work.

Examples:
  $ nos ls
  $ nos cp ./report.pdf nos://my-bucket/reports/
  $ nos sync --delete ./site nos://my-bucket/www/
  $ nos sync nos://my-bucket/reports/ ./reports
  $ nos cat nos://my-bucket/notes.txt; nos stat nos://my-bucket/notes.txt
  $ nos presign nos://my-bucket/reports/report.pdf --expires 1h
  $ nos serve --port 9000 --access-key AK --secret-key SK --bucket test
  $ source <(nos completion bash)
Run "nos <command> --help" for the options and examples of each command.`

/** Builds the program; `state` collects what main.ts needs to report errors. */
export function buildProgram(state: RunState): Command {
  const program = new Command('nos')
  program
    .description('command-line client for NetEase Object Storage (NOS): list, copy, move, sync, read, delete, presign, buckets, local emulator')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--endpoint <url>', 'NOS endpoint: host, host:port or URL (env NOS_ENDPOINT)')
    .option('--access-key-id <id>', 'access key id (env NOS_ACCESS_KEY_ID)')
    .option('--access-key-secret <secret>', 'access key secret (env NOS_ACCESS_KEY_SECRET; prefer the environment or --config)')
    .option('--config <file>', 'JSON config file (default ~/.nos-sdk/config.json)')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .option('-q, --quiet', 'print nothing but errors and requested output (no progress, no per-file lines)')
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // The message may quote what was typed (an unknown option): escaped like every other line (escape.ts).
      outputError: (s, write) => write(`${escapeText(scrub(`nos: ${s.replace(/^error: /, '').replace(/\n$/, '')}`, state.secrets))}\n`),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ROOT_HELP)
  // Subcommands created with new Command() do not inherit settings: copy them (exitOverride, output, help).
  for (const cmd of [
    lsCommand(state),
    transferCommand('cp', state),
    transferCommand('mv', state),
    syncCommand(state),
    rmCommand(state),
    catCommand(state),
    statCommand(state),
    mbCommand(state),
    rbCommand(state),
    presignCommand(state),
    serveCommand(state),
    completionCommand(),
  ]) {
    cmd.copyInheritedSettings(program)
    program.addCommand(cmd)
  }
  return program
}
