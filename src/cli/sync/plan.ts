/**
 * The plan of `nos sync SRC DST`: which entries to transfer (new, or changed by compare.ts / checksum.ts),
 * which destination entries to delete (`--delete`: those the source lacks), and which source keys are refused
 * because their names would leave the destination directory. Filters (filters.ts) apply to both sides: an
 * excluded source entry is not transferred, an excluded destination entry is not deleted.
 * @module
 */
import { join } from 'node:path'
import type { Failure } from '../errors.js'
import { isIncluded, type Filter } from '../filters.js'
import { localPathFor } from '../key-path.js'
import { describe, type Location, type Transfer } from '../commands/plan.js'
import { etagMatches, fileDigests, normalEtag } from './checksum.js'
import { quickCheck, type CompareMode, type Direction } from './compare.js'
import type { Entry, Listing, Side } from './sides.js'

/** A transfer with the reason for it (`new`, `size differs`, ...). */
export interface SyncTransfer extends Transfer {
  reason: string
}

/** What sync will do. */
export interface SyncPlan {
  transfers: SyncTransfer[]
  deletions: Location[]
  failures: Failure[]
  unchanged: number
  /** `--delete` was given but the source listing had failures, so nothing is deleted. */
  deletionsWithheld: boolean
}

/** How to plan. */
export interface SyncPlanOptions {
  mode: CompareMode
  filters: readonly Filter[]
  delete: boolean
  partSize: number | undefined
}

/** Which way data flows between two sides. */
export function directionOf(src: Side, dst: Side): Direction {
  if (src.kind === 'local') return 'upload'
  return dst.kind === 'local' ? 'download' : 'copy'
}

/** The location of a relative name on a side (for a local side, `rel` has been checked by localPathFor). */
function locationOn(side: Side, rel: string): Location {
  return side.kind === 'local' ? { kind: 'local', path: join(side.dir, ...rel.split('/')) } : { kind: 'remote', bucket: side.bucket, key: side.prefix + rel }
}

/** True when contents are the same by MD5 (checksum.ts). */
async function sameByChecksum(src: Entry, dst: Entry, srcSide: Side, dstSide: Side, partSize: number | undefined): Promise<boolean> {
  if (srcSide.kind === 'remote' && dstSide.kind === 'remote') return normalEtag(src.etag!) === normalEtag(dst.etag!)
  const [file, object] = srcSide.kind === 'local' ? [src, dst] : [dst, src]
  const path = (locationOn(srcSide.kind === 'local' ? srcSide : dstSide, file.rel) as { path: string }).path
  return etagMatches(object.etag!, await fileDigests(path, file.size, partSize))
}

/** Why `src` must go over `dst` (undefined: unchanged). */
async function reasonFor(src: Entry, dst: Entry | undefined, sides: [Side, Side], o: SyncPlanOptions): Promise<string | undefined> {
  if (!dst) return 'new'
  const quick = quickCheck(src, dst, o.mode, directionOf(...sides))
  if (quick !== 'checksum') return quick
  return (await sameByChecksum(src, dst, ...sides, o.partSize)) ? undefined : 'content differs'
}

/** The source entries to transfer, in name order; refused names and failed comparisons are failures. */
async function planTransfers(source: Listing, dest: Listing, sides: [Side, Side], o: SyncPlanOptions, plan: SyncPlan): Promise<void> {
  const [srcSide, dstSide] = sides
  for (const src of [...source.entries.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1))) {
    if (!isIncluded(src.rel, o.filters)) continue
    const from = locationOn(srcSide, src.rel)
    if (dstSide.kind === 'local') {
      const target = localPathFor(dstSide.dir, src.rel)
      if (!target.ok) {
        plan.failures.push({ subject: describe(from), error: new Error(`refused: ${target.reason} (${dstSide.dir})`) })
        continue
      }
    }
    try {
      const reason = await reasonFor(src, dest.entries.get(src.rel), sides, o)
      if (reason) plan.transfers.push({ from, to: locationOn(dstSide, src.rel), size: src.size, lastModified: srcSide.kind === 'remote' ? new Date(src.mtimeMs) : undefined, reason })
      else plan.unchanged++
    } catch (error) {
      plan.failures.push({ subject: describe(from), error })
    }
  }
}

/**
 * Builds the plan from the two listings. When the source could not be listed completely (an unreadable
 * directory), `--delete` deletes nothing: what the source "lacks" is then unknown (`deletionsWithheld`).
 */
export async function planSync(source: Listing, dest: Listing, sides: [Side, Side], o: SyncPlanOptions): Promise<SyncPlan> {
  const plan: SyncPlan = { transfers: [], deletions: [], failures: [...source.failures, ...dest.failures], unchanged: 0, deletionsWithheld: false }
  await planTransfers(source, dest, sides, o, plan)
  plan.deletionsWithheld = o.delete && source.failures.length > 0
  if (o.delete && !plan.deletionsWithheld) {
    for (const d of [...dest.entries.keys()].sort()) {
      if (!source.entries.has(d) && isIncluded(d, o.filters)) plan.deletions.push(locationOn(sides[1], d))
    }
  }
  return plan
}
