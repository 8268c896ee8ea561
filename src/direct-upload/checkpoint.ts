/**
 * Direct-upload checkpoints: what a store keeps between sessions, how a stored value is checked before use, and
 * the source fingerprint that finds it again after a page reload or a process restart.
 * @module
 */
import type { Md5Factory } from '../core/md5.js'
import type { RandomAccessSource } from '../transfers/sources.js'
import type { DirectUploadCheckpoint } from './types.js'

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== ''
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * True for a well-formed direct-upload checkpoint (values from a store are checked like arguments).
 * @example
 * if (isDirectUploadCheckpoint(await store.load(id))) console.log('an upload to resume')
 */
export function isDirectUploadCheckpoint(v: unknown): v is DirectUploadCheckpoint {
  const c = v as DirectUploadCheckpoint
  return (
    typeof c === 'object' && c !== null && c.version === 1 && c.kind === 'direct' && nonEmpty(c.bucket) && nonEmpty(c.key) &&
    nonEmpty(c.context) && nonEmpty(c.fingerprint) && count(c.size) && count(c.offset) && c.offset <= c.size
  )
}

/** Bytes sampled at each end of the source for its fingerprint. */
const SAMPLE = 64 * 1024

/**
 * A fingerprint of a random-access source: size, name, modification time and the MD5 of its first and last
 * 64 KiB. A File picked again after a reload (or a file after a restart) gives the same one.
 * @example
 * await sourceFingerprint(blobSource(file), createJsMd5) // size:name:lastModified:md5, e.g. '20971520:movie.mp4:1700000000000:9e107d9d...'
 */
export async function sourceFingerprint(src: RandomAccessSource, md5: Md5Factory): Promise<string> {
  const h = await md5()
  for (const [start, end] of [[0, Math.min(SAMPLE, src.size)], [Math.max(0, src.size - SAMPLE), src.size]] as const) {
    const part = await src.read(start, end)
    h.update(part instanceof Uint8Array ? part : new Uint8Array(await part.arrayBuffer()))
  }
  return `${src.size}:${src.name ?? ''}:${src.lastModified ?? ''}:${h.digestHex()}`
}

/** The default store id of a source's checkpoint. @example checkpointIdOf('20971520:movie.mp4:1700000000000:9e107d9d') // 'nos-direct:20971520:movie.mp4:1700000000000:9e107d9d' */
export function checkpointIdOf(fingerprint: string): string {
  return `nos-direct:${fingerprint}`
}
