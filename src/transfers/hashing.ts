/**
 * Hashing for managed uploads: part and object MD5s computed without starving the parts in flight, and the
 * fingerprint that ties a checkpoint to its source.
 * @module
 */
import type { NosConfig } from '../core/config.js'
import type { Md5Factory, Md5Hasher } from '../core/md5.js'
import type { RandomAccessSource, UploadSource } from './sources.js'

/** A fingerprint of a source: size, name, modification time and the MD5 of its first and last 64 KiB. */
export async function fingerprint(src: UploadSource, md5: Md5Factory): Promise<string> {
  if (src.kind === 'sequential') return `stream:${src.size ?? 'unknown'}`
  const SAMPLE = 64 * 1024
  const h = await md5()
  const head = await src.read(0, Math.min(SAMPLE, src.size))
  const tail = await src.read(Math.max(0, src.size - SAMPLE), src.size)
  for (const part of [head, tail]) h.update(part instanceof Uint8Array ? part : new Uint8Array(await part.arrayBuffer()))
  return `${src.size}:${src.name ?? ''}:${src.lastModified ?? ''}:${h.digestHex()}`
}

/** Bytes `[start, end)` of a source, reading a Blob slice into memory. */
export async function readBytes(src: RandomAccessSource, start: number, end: number): Promise<Uint8Array> {
  const v = await src.read(start, end)
  return v instanceof Uint8Array ? v : new Uint8Array(await v.arrayBuffer())
}

/** Bytes hashed between two yields to the event loop. */
const HASH_STEP = 1024 * 1024

/**
 * Feeds `bytes` to `h`, letting pending I/O run every HASH_STEP bytes when request bodies are streamed from JS
 * (Node, Deno, Bun): hashing a part in one go blocks the event loop for ~12 ms per 8 MiB, during which no part in
 * flight is written to its socket. bench/fig-upload.ts (256 MiB, node:crypto, raw node:http 315-335 MB/s): SDK
 * defaults 170 -> 225-275 MB/s, Content-MD5 only 219 -> 260-280 MB/s. Browsers send Blobs natively: no yields.
 */
export async function hashInSteps(cfg: NosConfig, h: Md5Hasher, bytes: Uint8Array): Promise<Md5Hasher> {
  if (!cfg.streamRequestBodies) {
    h.update(bytes)
    return h
  }
  for (let off = 0; off < bytes.length; off += HASH_STEP) {
    if (off > 0) await yieldToIo()
    h.update(bytes.subarray(off, off + HASH_STEP))
  }
  return h
}

/**
 * A macrotask turn: `setImmediate` where it exists (no timer clamping), else a 0 ms timer. `setImmediate` is not a
 * web platform API (Node, Bun, Deno have it), so the core types it here (tsconfig.core.json has no Node types).
 */
function yieldToIo(): Promise<void> {
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown }
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)))
}
