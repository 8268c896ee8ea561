/**
 * `nos cat nos://b/k...`: writes objects to stdout as they stream in, one after the other; `--range` selects
 * bytes of each (`0-99`, `100-` to the end, `-100` the last 100 bytes).
 * @module
 */
import { once } from 'node:events'
import { Command, Option } from 'commander'
import type { NosClient } from '../../node.js'
import { createContext, type RunState } from '../context.js'
import { UsageError, annotate } from '../errors.js'
import { parseObjectUri, formatUri, type NosUri } from '../uri.js'

/** A parsed `--range`: first and last byte (inclusive; last omitted: to the end), or the last `suffix` bytes. */
export type ByteRange = { start: number; end?: number } | { suffix: number }

const EXAMPLES = `
Examples:
  $ nos cat nos://b/notes.txt                  print an object
  $ nos cat nos://b/log.1 nos://b/log.2 | grep error
  $ nos cat --range 0-1023 nos://b/big.bin     the first KiB
  $ nos cat --range 1000- nos://b/big.bin      from byte 1000 to the end
  $ nos cat --range -100 nos://b/big.bin       the last 100 bytes

Byte positions start at 0 and both ends are included, as in HTTP ranges. A range beyond the end of an object
is an error (NOS: InvalidRange, exit code 1).`

/**
 * Parses `--range`: `a-b`, `a-`, `-n`, with or without `bytes=`.
 * @example parseRange('0-99') // { start: 0, end: 99 }
 */
export function parseRange(text: string): ByteRange {
  const m = /^\s*(?:bytes=)?(\d*)-(\d*)\s*$/.exec(text)
  if (m && m[1] !== '' && (m[2] === '' || Number(m[2]) >= Number(m[1]))) return m[2] === '' ? { start: Number(m[1]) } : { start: Number(m[1]), end: Number(m[2]) }
  if (m && m[1] === '' && m[2] !== '' && Number(m[2]) > 0) return { suffix: Number(m[2]) }
  throw new UsageError(`--range: expected first-last, first- or -count in bytes (e.g. 0-99, 100-, -100), got ${JSON.stringify(text)}`)
}

/** The range to ask NOS for. The last n bytes are computed from the size (NOS's suffix ranges are not relied on). */
async function resolveRange(client: NosClient, u: NosUri, range: ByteRange | undefined, signal: AbortSignal): Promise<{ start: number; end?: number } | undefined | 'empty'> {
  if (!range || !('suffix' in range)) return range
  const { contentLength } = await client.headObject({ ...u, signal })
  if (contentLength === 0) return 'empty'
  return { start: Math.max(0, contentLength - range.suffix), end: contentLength - 1 }
}

async function catOne(client: NosClient, u: NosUri, range: ByteRange | undefined, signal: AbortSignal): Promise<void> {
  const r = await resolveRange(client, u, range, signal)
  if (r === 'empty') return
  const obj = await client.getObject({ ...u, range: r, signal })
  for await (const chunk of obj.body as unknown as AsyncIterable<Uint8Array>) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain')
  }
}

/** The `cat` command. */
export function catCommand(state: RunState): Command {
  return new Command('cat')
    .description('write objects to stdout')
    .argument('<uri...>', 'nos://bucket/key')
    .addOption(new Option('--range <bytes>', 'only these bytes of each object: first-last, first- or -count').argParser(parseRange))
    .addHelpText('after', EXAMPLES)
    .action(async (uris: string[], opts: { range?: ByteRange }, cmd: Command) => {
      const targets = uris.map(parseObjectUri)
      const { client, interrupt } = createContext(cmd, state)
      for (const u of targets) {
        await catOne(client, u, opts.range, interrupt.signal).catch((e: unknown) => {
          throw annotate(e, formatUri(u.bucket, u.key))
        })
      }
    })
}
