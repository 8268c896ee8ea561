/**
 * The plan of a managed upload: the part size, and one PUT or multipart. Streams are read ahead as far as the
 * decision needs (a stream of known length up to the threshold is read whole and its length checked; one of
 * unknown length until it ends or passes the threshold), so a body is never cut at a part boundary.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import { PartReader } from './part-reader.js'
import { choosePartSize } from './part-size.js'
import { readBytes } from './hashing.js'
import type { PriorCheckpoint } from './session.js'
import type { UploadArgs } from './upload-args.js'

/** What the upload will do. */
export type UploadPlan =
  /** One PUT of these bytes (at most the threshold, itself at most 100 MiB). */
  | { mode: 'single'; bytes: Uint8Array }
  /**
   * Multipart in parts of `partSize`. For streams, `reader` yields the parts after `head` (parts already read
   * while planning); it checks the stream's length against `contentLength` when one was given.
   */
  | { mode: 'multipart'; partSize: number; reader: PartReader | undefined; head: Uint8Array[] }

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

/**
 * A stream of unknown length: parts are read until it ends (one PUT when it fits the threshold) or passes the
 * threshold (multipart, starting with the parts read). Memory: the threshold plus one part.
 */
async function planUnknownLength(reader: PartReader, threshold: number): Promise<UploadPlan> {
  const head: Uint8Array[] = []
  let total = 0
  for (let part = await reader.next(); part; part = await reader.next()) {
    head.push(part)
    total += part.length
    if (total > threshold) return { mode: 'multipart', partSize: reader.partSize, reader, head }
  }
  return { mode: 'single', bytes: concat(head) }
}

/** Runs `read`; when it fails (a stream longer or shorter than contentLength), the stream is cancelled. */
async function orCancel<T>(reader: PartReader, read: (r: PartReader) => Promise<T>): Promise<T> {
  try {
    return await read(reader)
  } catch (e) {
    await reader.cancel(e)
    throw e
  }
}

/**
 * Plans the upload. A compatible checkpoint means multipart with its part size (parts are on NOS already).
 * @example
 * await planUpload(cfg, args, undefined) // { mode: 'single', bytes } for a 5-byte string
 */
export async function planUpload(cfg: NosConfig, args: UploadArgs, prior: PriorCheckpoint | undefined): Promise<UploadPlan> {
  const src = args.source
  const resuming = prior?.compatible === true
  const partSize = resuming ? prior.checkpoint.partSize : choosePartSize(args.size, args.partSize)
  const multipart = (reader?: PartReader): UploadPlan => ({ mode: 'multipart', partSize, reader, head: [] })
  if (src.kind === 'random') return !resuming && src.size <= args.threshold ? { mode: 'single', bytes: await readBytes(src, 0, src.size) } : multipart()
  if (resuming || (src.size !== undefined && src.size > args.threshold)) return multipart(new PartReader(src.stream, partSize, src.size))
  if (src.size !== undefined) {
    // The whole stream in one buffer, its length checked: a longer or shorter stream is an error, not a truncation.
    const bytes = await orCancel(new PartReader(src.stream, Math.max(1, src.size), src.size), (r) => r.next())
    return { mode: 'single', bytes: bytes ?? new Uint8Array(0) }
  }
  return orCancel(new PartReader(src.stream, partSize), (r) => planUnknownLength(r, args.threshold))
}
