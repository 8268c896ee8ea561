/**
 * The zsh completion script (`nos completion zsh`), built on `_arguments` with a state for the subcommand:
 * commands with their descriptions, each command's options with theirs, option choices, files for arguments.
 * @module
 */
import { describeProgram, spellings, type CommandInfo, type OptionInfo } from './model.js'

/** Text inside a single-quoted zsh word, and inside an `_arguments` description (`[...]`, `:`). */
const quote = (s: string) => s.replace(/'/g, `'\\''`)
const desc = (s: string) => quote(s.replace(/([[\]:\\])/g, '\\$1'))

function optionSpec(o: OptionInfo): string {
  const names = spellings(o)
  const value = o.takesValue ? `:value:${o.choices ? `(${o.choices.join(' ')})` : '_files'}` : ''
  const body = `[${desc(o.description)}]${value}`
  return names.length > 1 ? `'(${names.join(' ')})'{${names.join(',')}}'${body}'` : `'${names[0]}${body}'`
}

function commandCase(c: CommandInfo): string {
  const rest = c.argChoices ? `'1:shell:(${c.argChoices.join(' ')})'` : c.takesPaths ? `'*:path:_files'` : ''
  return `        ${c.name}) _arguments -s $globals ${c.options.map(optionSpec).join(' ')} ${rest} ;;`
}

/** The script for `program`. */
export function zshScript(program: Parameters<typeof describeProgram>[0]): string {
  const { globals, commands } = describeProgram(program)
  return `#compdef nos
# zsh completion for nos. Load it with:  source <(nos completion zsh)
# or save it as _nos in a directory of $fpath
_nos() {
  local curcontext="$curcontext" state line
  local -a globals commands
  globals=(${globals.map(optionSpec).join(' ')})
  commands=(${commands.map((c) => `'${c.name}:${desc(c.description)}'`).join(' ')})
  _arguments -C $globals '1: :->command' '*:: :->args'
  case $state in
    command) _describe -t commands 'nos command' commands ;;
    args)
      case $line[1] in
${commands.map(commandCase).join('\n')}
      esac ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _nos "$@"; else compdef _nos nos; fi
`
}
