/**
 * Where a downloaded key goes under a destination directory (`cp -r`, `sync`). The part of the key below the
 * source prefix is split on `/` and joined under the directory; a key that would leave the directory, or whose
 * file name would be ambiguous, is refused (the caller reports it as a failure and writes nothing):
 *
 * - a `..` segment (`a/../../etc/passwd`), or a `.` or empty segment (`a//b`, `./b`: two keys, one file);
 * - an absolute name (`/etc/passwd`, and on Windows `C:\x`, `\\server\x`);
 * - a segment holding a NUL byte (no file system allows it), and on Windows a `\` (a second separator there).
 *
 * Keys ending in `/` are "directory markers" and map to no file (the caller skips them).
 * @module
 */
import { posix, win32 } from 'node:path'

/** The path module of the platform (a parameter for tests). */
type PathModule = typeof posix | typeof win32

/** Either the local path for a key, or why the key is refused. */
export type KeyPath = { ok: true; path: string } | { ok: false; reason: string }

/**
 * Why the relative name `rel` cannot be a file under a directory, or undefined when it can.
 * @example unsafeReason('a/../b') // 'its name has a ".." segment and would leave the destination directory'
 */
export function unsafeReason(rel: string, windows = process.platform === 'win32'): string | undefined {
  if (rel === '') return 'its name below the prefix is empty'
  if (rel.startsWith('/') || (windows && /^[a-zA-Z]:|^[\\/]{2}/.test(rel))) return 'its name is an absolute path'
  if (rel.includes('\0')) return 'its name holds a NUL byte'
  const segments = windows ? rel.split(/[\\/]/) : rel.split('/')
  if (segments.includes('..')) return 'its name has a ".." segment and would leave the destination directory'
  if (segments.some((s) => s === '' || s === '.')) return 'its name has an empty or "." segment (it would share a file with another key)'
  if (windows && segments.some((s) => s.includes(':'))) return 'its name has a ":" (an alternate data stream on Windows)'
  return undefined
}

/**
 * The local path for `rel` (the key below the source prefix) under `dir`, or the reason it is refused.
 * @example localPathFor('/tmp/out', 'a/b.txt') // { ok: true, path: '/tmp/out/a/b.txt' }
 */
export function localPathFor(dir: string, rel: string, path: PathModule = process.platform === 'win32' ? win32 : posix): KeyPath {
  const reason = unsafeReason(rel, path === win32)
  if (reason) return { ok: false, reason }
  return { ok: true, path: path.join(dir, ...rel.split('/')) }
}
