/**
 * Turns `nos cp|mv <source...> <destination>` into a list of single-object transfers: local files to keys,
 * keys to local files, keys to keys, stdin/stdout (`-`). Naming follows the usual object-store CLIs: a
 * destination that is a bucket, ends with '/', is an existing directory, or receives several sources is a
 * "directory" and keeps each source's name; `--recursive` maps a directory tree onto a prefix and back.
 * @module
 */
import { stat } from 'node:fs/promises'
import { basename, join, resolve, sep } from 'node:path'
import type { NosClient } from '../../node.js'
import { UsageError, type Failure } from '../errors.js'
import { localPathFor } from '../key-path.js'
import { walkFiles } from '../local-tree.js'
import { dirPrefix, formatUri, isNosUri, keyBasename, parseNosUri, type NosUri } from '../uri.js'

/** One end of a transfer. */
export type Location = { kind: 'local'; path: string } | ({ kind: 'remote' } & NosUri) | { kind: 'stdio' }

/** One object to move. `size` is known for local files and listed keys, `lastModified` for listed keys. */
export interface Transfer {
  from: Location
  to: Location
  size: number | undefined
  lastModified?: Date
}

/** The transfers of a command line, and the entries refused while planning (broken links, unsafe keys). */
export interface Plan {
  transfers: Transfer[]
  failures: Failure[]
}

/** How sources and destination were given. */
export interface PlanOptions {
  recursive: boolean
  /** Called for entries that are skipped (symlinked directories, unsafe keys). */
  warn: (text: string) => void
  signal: AbortSignal
}

/** `nos://b/k`, a path, or `-`. */
export function describe(loc: Location): string {
  return loc.kind === 'remote' ? formatUri(loc.bucket, loc.key) : loc.kind === 'local' ? loc.path : '-'
}

function locate(arg: string): Location {
  if (arg === '-') return { kind: 'stdio' }
  if (isNosUri(arg)) return { kind: 'remote', ...parseNosUri(arg) }
  return { kind: 'local', path: arg }
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path)
  } catch {
    return undefined
  }
}

/** Joins a directory-like key and a name. */
function childKey(destKey: string, name: string): string {
  return dirPrefix(destKey) + name
}

/** Whether the destination is a "directory" (keeps each source's name); usage mistakes throw. */
async function destinationIsDir(dest: Location, many: boolean, recursive: boolean): Promise<boolean> {
  if (dest.kind === 'remote') return many || dest.key === '' || dest.key.endsWith('/')
  if (dest.kind === 'stdio') {
    if (many || recursive) throw new UsageError('"-" (stdout) takes a single object, without --recursive')
    return false
  }
  const st = await statOrUndefined(dest.path)
  if (st?.isDirectory() || dest.path.endsWith('/') || dest.path.endsWith(sep)) return true
  if (many || recursive) {
    if (st) throw new UsageError(`destination ${dest.path} is not a directory`)
    return true
  }
  return false
}

async function planLocal(src: Extract<Location, { kind: 'local' }>, dest: Location, destIsDir: boolean, o: PlanOptions, plan: Plan): Promise<void> {
  const st = await statOrUndefined(src.path)
  if (!st) throw new UsageError(`no such file or directory: ${src.path}`)
  const d = dest as { kind: 'remote' } & NosUri
  if (st.isDirectory()) {
    if (!o.recursive) throw new UsageError(`${src.path} is a directory: add --recursive`)
    const prefix = dirPrefix(d.key)
    const tree = await walkFiles(src.path, o.warn)
    plan.failures.push(...tree.failures)
    for (const f of tree.files) {
      plan.transfers.push({ from: { kind: 'local', path: f.path }, to: { kind: 'remote', bucket: d.bucket, key: prefix + f.rel }, size: f.size })
    }
    return
  }
  if (!st.isFile()) throw new UsageError(`${src.path} is not a regular file`)
  const key = destIsDir ? childKey(d.key, basename(src.path)) : d.key
  plan.transfers.push({ from: { kind: 'local', path: src.path }, to: { kind: 'remote', bucket: d.bucket, key }, size: st.size })
}

/** Every key under a prefix: to files under a directory (unsafe names refused) or to keys under a prefix. */
async function planPrefix(client: NosClient, src: NosUri, dest: Location, o: PlanOptions, plan: Plan): Promise<void> {
  const prefix = dirPrefix(src.key)
  let found = 0
  for await (const obj of client.iterateObjects({ bucket: src.bucket, prefix: prefix || undefined, signal: o.signal })) {
    const rel = obj.key.slice(prefix.length)
    if (rel === '' || rel.endsWith('/')) continue // "directory marker" objects
    found++
    const from: Location = { kind: 'remote', bucket: src.bucket, key: obj.key }
    const listed = { size: obj.size, lastModified: obj.lastModified }
    if (dest.kind === 'local') {
      const target = localPathFor(dest.path, rel)
      if (target.ok) plan.transfers.push({ from, to: { kind: 'local', path: target.path }, ...listed })
      else plan.failures.push({ subject: formatUri(src.bucket, obj.key), error: new Error(`refused: ${target.reason} (${dest.path})`) })
    } else if (dest.kind === 'remote') {
      plan.transfers.push({ from, to: { kind: 'remote', bucket: dest.bucket, key: dirPrefix(dest.key) + rel }, ...listed })
    }
  }
  if (found === 0) o.warn(`no objects under ${formatUri(src.bucket, prefix)}`)
}

function planObject(src: NosUri, arg: string, dest: Location, destIsDir: boolean, plan: Plan): void {
  if (!src.key || src.key.endsWith('/')) throw new UsageError(`${arg} is a prefix, not an object: add --recursive`)
  const from: Location = { kind: 'remote', ...src }
  if (dest.kind === 'stdio') plan.transfers.push({ from, to: dest, size: undefined })
  else if (dest.kind === 'local') {
    const name = keyBasename(src.key)
    if (destIsDir && (name === '..' || name === '.')) throw new UsageError(`${arg}: "${name}" cannot be a file name: give the destination file`)
    const path = destIsDir ? join(dest.path, name) : dest.path
    plan.transfers.push({ from, to: { kind: 'local', path }, size: undefined })
  } else {
    const key = destIsDir ? childKey(dest.key, keyBasename(src.key)) : dest.key
    plan.transfers.push({ from, to: { kind: 'remote', bucket: dest.bucket, key }, size: undefined })
  }
}

/**
 * Expands the command line into transfers; usage mistakes throw `UsageError` (exit code 2), a missing local
 * source included. Remote sources are listed (recursive) but not checked (a missing key fails with NOS's 404).
 * Entries that cannot be transferred (a broken link, a key that would leave the destination) are `failures`.
 */
export async function planTransfers(client: NosClient, sources: string[], destination: string, o: PlanOptions): Promise<Plan> {
  const dest = locate(destination)
  const many = sources.length > 1
  const destIsDir = await destinationIsDir(dest, many, o.recursive)
  const plan: Plan = { transfers: [], failures: [] }
  for (const arg of sources) {
    const src = locate(arg)
    if (src.kind !== 'remote' && dest.kind !== 'remote') {
      throw new UsageError(`${arg} -> ${destination}: one side must be a nos:// URI (use your shell's cp for local copies)`)
    }
    if (src.kind === 'stdio') {
      if (dest.kind !== 'remote' || destIsDir) throw new UsageError('"-" (stdin) needs a destination object: nos://bucket/key')
      if (many || o.recursive) throw new UsageError('"-" (stdin) takes no other sources and no --recursive')
      plan.transfers.push({ from: src, to: dest, size: undefined })
    } else if (src.kind === 'local') await planLocal(src, dest, destIsDir, o, plan)
    else if (o.recursive) await planPrefix(client, src, dest, o, plan)
    else planObject(src, arg, dest, destIsDir, plan)
  }
  return plan
}

/** True when two locations are the same object or file (a transfer onto itself). */
export function sameLocation(a: Location, b: Location): boolean {
  if (a.kind === 'remote' && b.kind === 'remote') return a.bucket === b.bucket && a.key === b.key
  if (a.kind === 'local' && b.kind === 'local') return resolve(a.path) === resolve(b.path)
  return false
}
