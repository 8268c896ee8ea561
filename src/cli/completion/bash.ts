/**
 * The bash completion script (`nos completion bash`): commands, then the options of the command being typed
 * (and the global ones), option choices, and file names for everything else (`complete -o default`).
 * @module
 */
import { describeProgram, spellings, type CommandInfo, type OptionInfo } from './model.js'

const words = (opts: OptionInfo[]) => opts.flatMap(spellings).join(' ')

function choiceCases(all: OptionInfo[]): string {
  const seen = new Set<string>()
  const cases: string[] = []
  for (const o of all) {
    if (!o.choices || !o.long || seen.has(o.long)) continue
    seen.add(o.long)
    cases.push(`    ${spellings(o).join('|')}) COMPREPLY=($(compgen -W "${o.choices.join(' ')}" -- "$cur")); return ;;`)
  }
  return cases.join('\n')
}

function commandCase(c: CommandInfo): string {
  if (c.argChoices) return `    ${c.name}) COMPREPLY=($(compgen -W "${c.argChoices.join(' ')}" -- "$cur")); return ;;`
  return `    ${c.name}) opts="${words(c.options)}" ;;`
}

/** The script for `program`. */
export function bashScript(program: Parameters<typeof describeProgram>[0]): string {
  const { globals, commands } = describeProgram(program)
  const all = [...globals, ...commands.flatMap((c) => c.options)]
  const valueOpts = [...new Set(all.filter((o) => o.takesValue).flatMap(spellings))].join(' ')
  return `# bash completion for nos. Load it with:  source <(nos completion bash)
# or save it as ~/.local/share/bash-completion/completions/nos
_nos() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" opts="" i w
  local value_opts=" ${valueOpts} "
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$value_opts" == *" $w "* ]]; then ((i++)); continue; fi
    if [[ "$w" != -* ]]; then cmd="$w"; break; fi
  done
  case "$prev" in
${choiceCases(all)}
  esac
  # The value of an option: file names (the default completion).
  if [[ "$value_opts" == *" $prev "* ]]; then COMPREPLY=(); return; fi
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(' ')} ${words(globals)}" -- "$cur")); return ;;
${commands.map(commandCase).join('\n')}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts ${words(globals)}" -- "$cur")); fi
}
complete -o default -F _nos nos
`
}
