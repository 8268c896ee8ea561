/**
 * The two sides of `nos sync`: a local directory or a NOS prefix, each listed into entries keyed by their name
 * relative to the side's root (`/`-separated), which is what filters match and what pairs source with
 * destination.
 * @module
 */
import { stat } from 'node:fs/promises'
import type { NosClient } from '../../node.js'
import { UsageError, type Failure } from '../errors.js'
import { walkFiles } from '../local-tree.js'
import { dirPrefix, formatUri, isNosUri, parseNosUri } from '../uri.js'

/** A side: a local directory, or every key under a prefix (`''` or ending with `/`). */
export type Side = { kind: 'local'; dir: string } | { kind: 'remote'; bucket: string; prefix: string }

/** One file or object. `mtimeMs` is a file's modification time or an object's Last-Modified. */
export interface Entry {
  rel: string
  size: number
  mtimeMs: number
  /** Objects only. */
  etag?: string
}

/** A listed side. */
export interface Listing {
  entries: Map<string, Entry>
  failures: Failure[]
}

/** Parses a command-line argument into a side. */
export function parseSide(arg: string): Side {
  if (isNosUri(arg)) {
    const u = parseNosUri(arg)
    return { kind: 'remote', bucket: u.bucket, prefix: dirPrefix(u.key) }
  }
  if (arg === '-') throw new UsageError('sync works on directories and prefixes, not on stdin or stdout')
  return { kind: 'local', dir: arg }
}

/** How a side is shown: the directory, or the `nos://` prefix. */
export function showSide(side: Side): string {
  return side.kind === 'local' ? side.dir : formatUri(side.bucket, side.prefix)
}

/** Partial downloads of `downloadFile` (`<file>.nosdl` and its state): never synced, never deleted. */
export const isPartialDownload = (rel: string): boolean => /\.nosdl(\.json)?$/.test(rel)

async function listLocal(dir: string, role: 'source' | 'destination', warn: (t: string) => void): Promise<Listing> {
  const st = await stat(dir).catch(() => undefined)
  if (!st) {
    if (role === 'source') throw new UsageError(`no such directory: ${dir}`)
    return { entries: new Map(), failures: [] }
  }
  if (!st.isDirectory()) throw new UsageError(`${dir} is not a directory (sync works on directories; use nos cp for one file)`)
  const tree = await walkFiles(dir, warn, role === 'destination' ? isPartialDownload : undefined)
  const entries = new Map(tree.files.map((f) => [f.rel, { rel: f.rel, size: f.size, mtimeMs: f.mtimeMs }]))
  return { entries, failures: tree.failures }
}

async function listRemote(client: NosClient, bucket: string, prefix: string, signal: AbortSignal): Promise<Listing> {
  const entries = new Map<string, Entry>()
  for await (const o of client.iterateObjects({ bucket, prefix: prefix || undefined, signal })) {
    const rel = o.key.slice(prefix.length)
    if (rel === '' || rel.endsWith('/')) continue // "directory marker" objects
    entries.set(rel, { rel, size: o.size, mtimeMs: o.lastModified.getTime(), etag: o.etag })
  }
  return { entries, failures: [] }
}

/** Lists a side. A missing local source directory is a UsageError; a missing destination is empty. */
export function listSide(client: NosClient, side: Side, role: 'source' | 'destination', signal: AbortSignal, warn: (t: string) => void): Promise<Listing> {
  return side.kind === 'local' ? listLocal(side.dir, role, warn) : listRemote(client, side.bucket, side.prefix, signal)
}
