/**
 * What shell completion needs to know about `nos`, read from the commander program itself so that the scripts
 * never fall behind the commands and flags: command names and descriptions, and each option's spellings,
 * whether it takes a value, and its choices.
 * @module
 */
import type { Command, Option } from 'commander'

/** One option. */
export interface OptionInfo {
  short: string | undefined
  long: string | undefined
  description: string
  takesValue: boolean
  choices: readonly string[] | undefined
}

/** One command (or the program's global options, `name` ''). */
export interface CommandInfo {
  name: string
  description: string
  options: OptionInfo[]
  /** Choices of its first argument (`completion bash|zsh|fish`), if it has a fixed set. */
  argChoices: readonly string[] | undefined
  /** Whether its arguments are paths or URIs (complete file names). */
  takesPaths: boolean
}

function optionInfo(o: Option): OptionInfo {
  return { short: o.short, long: o.long, description: o.description, takesValue: o.required || o.optional, choices: o.argChoices }
}

/** The program's global options and its commands. */
export function describeProgram(program: Command): { globals: OptionInfo[]; commands: CommandInfo[] } {
  const visible = (o: Option) => !o.hidden
  const help: OptionInfo = { short: '-h', long: '--help', description: 'display help', takesValue: false, choices: undefined }
  const globals = [...program.options.filter(visible).map(optionInfo), help]
  const commands = program.commands.map((c) => {
    const first = c.registeredArguments[0]
    return {
      name: c.name(),
      description: c.description(),
      options: c.options.filter(visible).map(optionInfo),
      argChoices: first?.argChoices,
      takesPaths: first !== undefined && first.argChoices === undefined,
    }
  })
  return { globals, commands }
}

/** Every spelling of an option (`-r`, `--recursive`). */
export function spellings(o: OptionInfo): string[] {
  return [o.short, o.long].filter((s): s is string => Boolean(s))
}
