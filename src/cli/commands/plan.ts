/**
 * Turns `nos cp|mv <source...> <destination>` into a list of single-object transfers: local files to keys,
 * keys to local files, keys to keys, stdin/stdout (`-`). Naming follows the usual object-store CLIs: a
 * destination that is a bucket, ends with '/', is an existing directory, or receives several sources is a
 * "directory" and keeps each source's name; `--recursive` maps a directory tree onto a prefix and back.
 * @module
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, join, relative, resolve, sep } from 'node:path'
import type { NosClient } from '../../node.js'
import { UsageError } from '../errors.js'
import { dirPrefix, formatUri, isNosUri, keyBasename, parseNosUri, type NosUri } from '../uri.js'

/** One end of a transfer. */
export type Location = { kind: 'local'; path: string } | ({ kind: 'remote' } & NosUri) | { kind: 'stdio' }

/** One object to move. `size` is known for local files and listed keys. */
export interface Transfer {
  from: Location
  to: Location
  size: number | undefined
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

/** Every regular file under `dir` (symlinks to files followed, to directories skipped), sorted, with POSIX relative names. */
async function walk(dir: string, warn: (t: string) => void): Promise<{ path: string; rel: string; size: number }[]> {
  const out: { path: string; rel: string; size: number }[] = []
  const visit = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) {
        await visit(p)
        continue
      }
      const st = e.isSymbolicLink() ? await statOrUndefined(p) : await stat(p)
      if (st?.isFile()) out.push({ path: p, rel: relative(dir, p).split(sep).join('/'), size: st.size })
      else warn(`skipping ${p}: ${st?.isDirectory() ? 'symbolic link to a directory' : 'not a regular file'}`)
    }
  }
  await visit(dir)
  return out
}

/** True when a key's relative part can be written under a directory without escaping it. */
function safeRelative(rel: string): boolean {
  return rel.split('/').every((s) => s !== '..' && s !== '.') && !rel.startsWith('/')
}

/** Joins a directory-like key and a name. */
function childKey(destKey: string, name: string): string {
  return dirPrefix(destKey) + name
}

/**
 * Expands the command line into transfers; usage mistakes throw `UsageError` (exit code 2), a missing local
 * source included. Remote sources are listed (recursive) but not checked (a missing key fails with NOS's 404).
 */
export async function planTransfers(client: NosClient, sources: string[], destination: string, o: PlanOptions): Promise<Transfer[]> {
  const dest = locate(destination)
  const many = sources.length > 1
  const transfers: Transfer[] = []
  let destIsDir = many
  if (dest.kind === 'local') {
    const st = await statOrUndefined(dest.path)
    if (st?.isDirectory() || dest.path.endsWith('/') || dest.path.endsWith(sep)) destIsDir = true
    else if (many || o.recursive) {
      if (st) throw new UsageError(`destination ${dest.path} is not a directory`)
      destIsDir = true
    }
  } else if (dest.kind === 'remote') {
    if (dest.key === '' || dest.key.endsWith('/')) destIsDir = true
  } else if (many || o.recursive) {
    throw new UsageError('"-" (stdout) takes a single object, without --recursive')
  }

  for (const arg of sources) {
    const src = locate(arg)
    if (src.kind !== 'remote' && dest.kind !== 'remote') {
      throw new UsageError(`${arg} -> ${destination}: one side must be a nos:// URI (use your shell's cp for local copies)`)
    }
    if (src.kind === 'stdio') {
      if (dest.kind !== 'remote' || destIsDir) throw new UsageError('"-" (stdin) needs a destination object: nos://bucket/key')
      if (many || o.recursive) throw new UsageError('"-" (stdin) takes no other sources and no --recursive')
      transfers.push({ from: src, to: dest, size: undefined })
      continue
    }
    if (src.kind === 'local') {
      const st = await statOrUndefined(src.path)
      if (!st) throw new UsageError(`no such file or directory: ${src.path}`)
      const d = dest as { kind: 'remote' } & NosUri
      if (st.isDirectory()) {
        if (!o.recursive) throw new UsageError(`${src.path} is a directory: add --recursive`)
        const prefix = dirPrefix(d.key)
        for (const f of await walk(src.path, o.warn)) {
          transfers.push({ from: { kind: 'local', path: f.path }, to: { kind: 'remote', bucket: d.bucket, key: prefix + f.rel }, size: f.size })
        }
        continue
      }
      if (!st.isFile()) throw new UsageError(`${src.path} is not a regular file`)
      const key = destIsDir ? childKey(d.key, basename(src.path)) : d.key
      transfers.push({ from: { kind: 'local', path: src.path }, to: { kind: 'remote', bucket: d.bucket, key }, size: st.size })
      continue
    }
    // remote source
    if (o.recursive) {
      const prefix = dirPrefix(src.key)
      let found = 0
      for await (const obj of client.iterateObjects({ bucket: src.bucket, prefix: prefix || undefined, signal: o.signal })) {
        const rel = obj.key.slice(prefix.length)
        if (rel === '' || rel.endsWith('/')) continue // "directory marker" objects
        found++
        const from: Location = { kind: 'remote', bucket: src.bucket, key: obj.key }
        if (dest.kind === 'local') {
          if (!safeRelative(rel)) {
            o.warn(`skipping ${formatUri(src.bucket, obj.key)}: its name would leave ${dest.path}`)
            continue
          }
          transfers.push({ from, to: { kind: 'local', path: join(dest.path, ...rel.split('/')) }, size: obj.size })
        } else if (dest.kind === 'remote') {
          transfers.push({ from, to: { kind: 'remote', bucket: dest.bucket, key: dirPrefix(dest.key) + rel }, size: obj.size })
        }
      }
      if (found === 0) o.warn(`no objects under ${formatUri(src.bucket, prefix)}`)
      continue
    }
    if (!src.key || src.key.endsWith('/')) throw new UsageError(`${arg} is a prefix, not an object: add --recursive`)
    if (dest.kind === 'stdio') transfers.push({ from: src, to: dest, size: undefined })
    else if (dest.kind === 'local') {
      const path = destIsDir ? join(dest.path, keyBasename(src.key)) : dest.path
      transfers.push({ from: src, to: { kind: 'local', path }, size: undefined })
    } else {
      const key = destIsDir ? childKey(dest.key, keyBasename(src.key)) : dest.key
      transfers.push({ from: src, to: { kind: 'remote', bucket: dest.bucket, key }, size: undefined })
    }
  }
  return transfers
}

/** True when two locations are the same object or file (a transfer onto itself). */
export function sameLocation(a: Location, b: Location): boolean {
  if (a.kind === 'remote' && b.kind === 'remote') return a.bucket === b.bucket && a.key === b.key
  if (a.kind === 'local' && b.kind === 'local') return resolve(a.path) === resolve(b.path)
  return false
}
