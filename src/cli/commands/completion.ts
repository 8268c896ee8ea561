/**
 * `nos completion bash|zsh|fish`: prints a completion script for the shell (generated from the command tree).
 * @module
 */
import { Argument, Command } from 'commander'
import { bashScript } from '../completion/bash.js'
import { fishScript } from '../completion/fish.js'
import { zshScript } from '../completion/zsh.js'

const EXAMPLES = `
Examples:
  $ source <(nos completion bash)                       this shell; add the line to ~/.bashrc to keep it
  $ nos completion bash > ~/.local/share/bash-completion/completions/nos
  $ nos completion zsh > "\${fpath[1]}/_nos"              then restart zsh
  $ nos completion fish > ~/.config/fish/completions/nos.fish`

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript }

/** The `completion` command. */
export function completionCommand(): Command {
  return new Command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(Object.keys(SCRIPTS)))
    .addHelpText('after', EXAMPLES)
    .action((shell: keyof typeof SCRIPTS, _opts: unknown, cmd: Command) => {
      process.stdout.write(SCRIPTS[shell](cmd.parent!))
    })
}
