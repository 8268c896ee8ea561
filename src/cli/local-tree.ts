/**
 * The regular files under a local directory, for `cp -r` and `sync`: sorted, with POSIX relative names, sizes
 * and modification times. Symbolic links to files are followed; links to directories are skipped with a
 * warning (they can loop); a broken link or an unreadable directory is a failure of the batch (reported, exit
 * code 1), not a silent skip.
 * @module
 */
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { Failure } from './errors.js'

/** One file found. */
export interface LocalFile {
  path: string
  /** Relative to the walked directory, `/`-separated. */
  rel: string
  size: number
  mtimeMs: number
}

/** What a walk found. */
export interface LocalTree {
  files: LocalFile[]
  failures: Failure[]
}

async function statOrError(path: string): Promise<Awaited<ReturnType<typeof stat>> | Error> {
  try {
    return await stat(path)
  } catch (e) {
    return e as Error
  }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/**
 * Walks `dir`. `skip(rel)` leaves files out before they are stat'ed (sync's own partial downloads).
 * @example const { files, failures } = await walkFiles('./site', (t) => console.warn(t))
 */
export async function walkFiles(dir: string, warn: (text: string) => void, skip: (rel: string) => boolean = () => false): Promise<LocalTree> {
  const files: LocalFile[] = []
  const failures: Failure[] = []
  const visit = async (d: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(d, { withFileTypes: true })
    } catch (error) {
      failures.push({ subject: d, error })
      return
    }
    for (const e of entries.sort(byName)) {
      const p = join(d, e.name)
      const rel = relative(dir, p).split(sep).join('/')
      if (e.isDirectory()) {
        await visit(p)
        continue
      }
      if (skip(rel)) continue
      const st = await statOrError(p)
      if (st instanceof Error) {
        const broken = e.isSymbolicLink() && (st as NodeJS.ErrnoException).code === 'ENOENT'
        failures.push({ subject: p, error: broken ? new Error(`broken symbolic link (${(st as NodeJS.ErrnoException).code})`) : st })
      } else if (st.isFile()) files.push({ path: p, rel, size: Number(st.size), mtimeMs: Number(st.mtimeMs) })
      else warn(`skipping ${p}: ${st.isDirectory() ? 'symbolic link to a directory' : 'not a regular file'}`)
    }
  }
  await visit(dir)
  return { files, failures }
}
