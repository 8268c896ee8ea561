/**
 * Flags that describe uploaded objects (cp, mv, sync): `--content-type` (default: from the file name),
 * `--metadata name=value` (repeatable), `--cache-control`, `--content-disposition`. They apply to uploads from
 * files and stdin; copies between buckets and downloads keep the object's own (a warning says so).
 * @module
 */
import { Option, type Command } from 'commander'
import { UsageError } from './errors.js'
import { guessContentType } from './mime.js'

/** The object flags as parsed. */
export interface ObjectFlags {
  contentType?: string
  metadata?: Record<string, string>
  cacheControl?: string
  contentDisposition?: string
}

/** Header names NOS accepts for metadata (an HTTP token: letters, digits and `!#$%&'*+-.^_|~`). */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** Header values travel as printable ASCII. */
const VALUE = /^[\x20-\x7e\t]*$/

function header(flag: string) {
  return (v: string) => {
    if (!VALUE.test(v)) throw new UsageError(`${flag}: only printable ASCII can travel in a header, got ${JSON.stringify(v)}`)
    return v
  }
}

function collectMetadata(v: string, prev: Record<string, string> | undefined): Record<string, string> {
  const eq = v.indexOf('=')
  const name = eq < 0 ? '' : v.slice(0, eq).trim().replace(/^x-nos-meta-/i, '')
  if (!name || !NAME.test(name)) throw new UsageError(`--metadata: expected name=value with a name of letters, digits and - _ . (got ${JSON.stringify(v)})`)
  const value = v.slice(eq + 1)
  if (!VALUE.test(value)) throw new UsageError(`--metadata ${name}: only printable ASCII can travel in a header (encode other text, e.g. percent-encode it)`)
  return { ...prev, [name.toLowerCase()]: value }
}

/** Adds the object flags to a command. */
export function addObjectFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--content-type <type>', 'Content-Type of uploaded objects (default: from the file extension)').argParser(header('--content-type')))
    .addOption(new Option('--metadata <name=value>', 'user metadata of uploaded objects, x-nos-meta-<name> (repeatable)').argParser(collectMetadata))
    .addOption(new Option('--cache-control <value>', 'Cache-Control of uploaded objects, e.g. "max-age=86400"').argParser(header('--cache-control')))
    .addOption(new Option('--content-disposition <value>', 'Content-Disposition of uploaded objects, e.g. "attachment"').argParser(header('--content-disposition')))
}

/** True when any object flag was given. */
export function hasObjectFlags(f: ObjectFlags): boolean {
  return Boolean(f.contentType || f.metadata || f.cacheControl || f.contentDisposition)
}

/** The upload() fields for one upload; the Content-Type is guessed from `fileName` unless given. */
export function objectFields(f: ObjectFlags, fileName: string | undefined): ObjectFlags {
  return {
    contentType: f.contentType ?? (fileName === undefined ? undefined : guessContentType(fileName)),
    metadata: f.metadata,
    cacheControl: f.cacheControl,
    contentDisposition: f.contentDisposition,
  }
}
