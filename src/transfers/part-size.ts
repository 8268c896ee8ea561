/**
 * Part sizes of managed uploads within NOS's limits: 16 KiB-100 MiB per part, at most 10,000 parts
 * (docs/protocol.md#multipart-upload).
 * @module
 */
import { InvalidArgument } from '../core/errors.js'
import { DEFAULT_PART_SIZE, MAX_PART_NUMBER, MAX_PART_SIZE, MIN_PART_SIZE } from '../core/limits.js'


/**
 * Picks the part size for a body of `size` bytes (undefined: unknown), or checks the one requested.
 * @example
 * choosePartSize(10 * 1024 ** 3) // 8 MiB (8388608)
 * choosePartSize(200 * 1024 ** 3) // 21 MiB, so that 10,000 parts hold it
 */
export function choosePartSize(size: number | undefined, requested?: number): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < MIN_PART_SIZE || requested > MAX_PART_SIZE) {
      throw new InvalidArgument(`partSize must be an integer from ${MIN_PART_SIZE} (16 KiB) to ${MAX_PART_SIZE} (100 MiB), got ${String(requested)}`)
    }
    if (size !== undefined && Math.ceil(size / requested) > MAX_PART_NUMBER) {
      throw new InvalidArgument(`partSize ${requested} would need ${Math.ceil(size / requested)} parts for ${size} bytes; NOS allows ${MAX_PART_NUMBER}`)
    }
    return requested
  }
  if (size === undefined) return DEFAULT_PART_SIZE
  const MiB = 1024 * 1024
  const needed = Math.ceil(Math.ceil(size / MAX_PART_NUMBER) / MiB) * MiB
  if (needed > MAX_PART_SIZE) throw new InvalidArgument(`body of ${size} bytes exceeds the NOS maximum of ${MAX_PART_NUMBER} parts of 100 MiB`)
  return Math.max(DEFAULT_PART_SIZE, needed)
}
