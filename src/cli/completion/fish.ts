/**
 * The fish completion script (`nos completion fish`): `complete` lines for the commands, the global options,
 * each command's options (with choices) and file names where commands take paths.
 * @module
 */
import { describeProgram, type OptionInfo } from './model.js'

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function optionLine(o: OptionInfo, condition: string | undefined): string {
  const parts = ['complete -c nos']
  if (condition) parts.push(`-n ${quote(condition)}`)
  if (o.short) parts.push(`-s ${o.short.slice(1)}`)
  if (o.long) parts.push(`-l ${o.long.slice(2)}`)
  if (o.choices) parts.push(`-x -a ${quote(o.choices.join(' '))}`)
  else if (o.takesValue) parts.push('-r')
  parts.push(`-d ${quote(o.description)}`)
  return parts.join(' ')
}

/** The script for `program`. */
export function fishScript(program: Parameters<typeof describeProgram>[0]): string {
  const { globals, commands } = describeProgram(program)
  const out = [
    '# fish completion for nos. Load it with:  nos completion fish | source',
    '# or save it as ~/.config/fish/completions/nos.fish',
    'complete -c nos -f',
    ...commands.map((c) => `complete -c nos -n __fish_use_subcommand -a ${c.name} -d ${quote(c.description)}`),
    ...globals.map((o) => optionLine(o, undefined)),
  ]
  for (const c of commands) {
    const when = `__fish_seen_subcommand_from ${c.name}`
    out.push(...c.options.map((o) => optionLine(o, when)))
    if (c.argChoices) out.push(`complete -c nos -n ${quote(when)} -a ${quote(c.argChoices.join(' '))}`)
    else if (c.takesPaths) out.push(`complete -c nos -n ${quote(when)} -F`)
  }
  return `${out.join('\n')}\n`
}
