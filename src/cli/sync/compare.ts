/**
 * When `nos sync` transfers a file or object that exists on both sides. The rule, and why:
 *
 * - Sizes differ: always transfer.
 * - `--size-only`: same size is the same.
 * - Default, by modification time at the one-second resolution of NOS's Last-Modified:
 *   - local -> NOS: transfer when the file was modified after the object was last written (its mtime is later
 *     than the object's Last-Modified). An upload's Last-Modified is the time NOS stored it, which is after the
 *     file's mtime, so an unchanged file is skipped. As in `aws s3 sync`, a file replaced by an older file of
 *     the same size is not seen (use --checksum).
 *   - NOS -> local: transfer when the file's mtime differs from the object's Last-Modified. A download sets the
 *     file's mtime to the object's Last-Modified, so the pair compares equal afterwards, and either side
 *     changing (a new upload, a local edit) makes them differ: the destination is made a copy of the source.
 *   - NOS -> NOS: transfer when the source was written after the destination (a copy is newer than its source).
 *   The source file's mtime is not stored in object metadata: listings do not carry metadata, so reading it
 *   would cost one HEAD request per object on every run, while the rule above needs only the listing.
 *   Clocks: Last-Modified is NOS's clock and mtimes are the local clock; keep the clock synchronised (NTP).
 * - `--checksum` (checksum.ts): same size and same content by MD5, hashing local files.
 * @module
 */
import type { Entry } from './sides.js'

/** Which way a sync goes. */
export type Direction = 'upload' | 'download' | 'copy'
/** How entries are compared. */
export type CompareMode = 'mtime' | 'size-only' | 'checksum'

const seconds = (ms: number) => Math.floor(ms / 1000)

/**
 * Why `src` must be transferred over `dst`, `'checksum'` when only the contents can tell, or undefined when
 * they are the same.
 * @example quickCheck({ rel: 'a', size: 1, mtimeMs: 5000 }, { rel: 'a', size: 2, mtimeMs: 0 }, 'mtime', 'upload') // 'size differs'
 */
export function quickCheck(src: Entry, dst: Entry, mode: CompareMode, direction: Direction): string | 'checksum' | undefined {
  if (src.size !== dst.size) return 'size differs'
  if (mode === 'size-only') return undefined
  if (mode === 'checksum') return 'checksum'
  const s = seconds(src.mtimeMs)
  const d = seconds(dst.mtimeMs)
  if (direction === 'download') return s !== d ? 'modification time differs' : undefined
  return s > d ? 'source is newer' : undefined
}
