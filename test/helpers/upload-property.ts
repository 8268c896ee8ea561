/**
 * The property of managed uploads, shared by test/integration/upload-property.test.ts (few runs) and
 * bench/fig-upload-props.ts (many seeds): for any body kind, size, part size, threshold, concurrency and
 * contentLength (right, missing or wrong), optionally under seeded faults, `upload()` either stores the body
 * byte-exact and reports its size, or throws a typed error and stores nothing (no object, no pending upload).
 */
import fc from 'fast-check'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Emulator, FaultConfig } from '../../src/emulator/index.js'
import { isNosErrorKind, isNosException } from '../../src/index.js'
import { fileSource, type NosClient } from '../../src/node.js'
import { randomBytes } from './random-bytes.js'
import { md5 } from './md5.js'

const KiB = 1024
export const BODY_KINDS = ['bytes', 'blob', 'stream-known', 'stream-unknown', 'iterable', 'readable', 'file'] as const
export type BodyKind = (typeof BODY_KINDS)[number]
/** `exact`: the body's length; `none`: not given; `smaller`/`larger`: wrong by `delta` bytes. */
type LengthSpec = 'exact' | 'none' | 'smaller' | 'larger'

export interface UploadCase {
  kind: BodyKind
  partSize: number
  /** Size as parts and a delta (0, 1, partSize-1, partSize, partSize+1, several parts...) or bytes outright. */
  size: number
  threshold: number | undefined
  concurrency: number
  length: LengthSpec
  delta: number
  chunk: number
  seed: number
}

/** Sizes that matter (0, 1, around part boundaries, several parts) more often than uniformly drawn ones. */
function sizeArb(partSize: number, maxParts: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(0, 1, partSize - 1, partSize, partSize + 1),
    fc.tuple(fc.integer({ min: 1, max: maxParts }), fc.integer({ min: -1, max: 1 })).map(([k, d]) => Math.max(0, k * partSize + d)),
    fc.nat(maxParts * partSize),
  )
}

/** Cases with parts of 16-64 KiB (multipart stays cheap) and up to `maxParts` parts. */
export function uploadCaseArb(maxParts = 10): fc.Arbitrary<UploadCase> {
  return fc.integer({ min: 16, max: 64 }).chain((k) => {
    const partSize = k * KiB
    return fc.record({
      kind: fc.constantFrom(...BODY_KINDS),
      partSize: fc.constant(partSize),
      size: sizeArb(partSize, maxParts),
      threshold: fc.option(fc.oneof(fc.constantFrom(0, partSize - 1, partSize, 2 * partSize), fc.nat(maxParts * partSize)), { nil: undefined }),
      concurrency: fc.integer({ min: 1, max: 6 }),
      length: fc.constantFrom<LengthSpec>('exact', 'none', 'none', 'smaller', 'larger'),
      delta: fc.integer({ min: 1, max: 2 * partSize }),
      chunk: fc.integer({ min: 1, max: 70 * KiB }),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
    })
  })
}

function* chunks(data: Uint8Array, size: number): Generator<Uint8Array> {
  for (let off = 0; off < data.length; off += size) yield data.slice(off, off + size)
}

async function bodyOf(c: UploadCase, data: Uint8Array, dir: string) {
  switch (c.kind) {
    case 'bytes': return data
    case 'blob': return new Blob([data as Uint8Array<ArrayBuffer>])
    case 'stream-known':
    case 'stream-unknown': {
      const it = chunks(data, c.chunk)
      return new ReadableStream<Uint8Array>({ pull: (ctl) => { const r = it.next(); if (r.done) ctl.close(); else ctl.enqueue(r.value) } })
    }
    case 'iterable': return (async function* () { yield* chunks(data, c.chunk) })()
    case 'readable': return Readable.from(chunks(data, c.chunk))
    case 'file': {
      const path = join(dir, `body-${c.seed}-${data.length}`)
      await writeFile(path, data)
      return fileSource(path)
    }
  }
}

/** The contentLength passed, and whether it contradicts the body. */
function lengthOf(c: UploadCase, size: number): { contentLength: number | undefined; wrong: boolean } {
  const length = c.kind === 'stream-unknown' ? 'none' : c.length
  if (length === 'none') return { contentLength: undefined, wrong: false }
  if (length === 'exact') return { contentLength: size, wrong: false }
  const contentLength = length === 'smaller' ? Math.max(0, size - c.delta) : size + c.delta
  return { contentLength, wrong: contentLength !== size }
}


/** Runs one case; throws (an assertion) when the property does not hold. */
export async function checkUploadCase(client: NosClient, emu: Emulator, dir: string, c: UploadCase, key: string, faults?: FaultConfig): Promise<'stored' | 'refused'> {
  const data = randomBytes(c.size, c.seed)
  const { contentLength, wrong } = lengthOf(c, c.size)
  const body = await bodyOf(c, data, dir)
  emu.setFaults(faults)
  let outcome: unknown
  try {
    outcome = await client.upload({ bucket: 'bkt', key, body, contentLength, partSize: c.partSize, multipartThreshold: c.threshold, concurrency: c.concurrency }).catch((e: unknown) => ({ error: e }))
  } finally {
    emu.setFaults()
  }
  const stored = await client.getObject({ bucket: 'bkt', key }).then((o) => o.bytes(), () => undefined)
  const pending = (await client.listMultipartUploads({ bucket: 'bkt' })).uploads.filter((u) => u.key === key)
  const fail = (why: string) => new Error(`${why}: ${JSON.stringify({ ...c, contentLength, outcome: String((outcome as { error?: unknown }).error ?? 'resolved') })}`)
  if (pending.length) throw fail(`${pending.length} multipart upload(s) left behind`)
  if (outcome && typeof outcome === 'object' && 'error' in outcome) {
    const e = (outcome as { error: unknown }).error
    if (!isNosException(e) && (e as Error)?.name !== 'AbortError') throw fail('an untyped error')
    if (wrong && !isNosErrorKind(e, 'InvalidArgument')) throw fail('a wrong contentLength must be an InvalidArgument')
    if (!wrong && !faults) throw fail('a valid upload failed without faults')
    if (stored) throw fail('an object was stored although upload() failed')
    return 'refused'
  }
  if (wrong) throw fail('a wrong contentLength was accepted')
  const r = outcome as { size: number }
  if (!stored || md5(stored) !== md5(data) || r.size !== data.length) throw fail(`stored ${stored?.length} bytes, reported ${r.size}, expected ${data.length}`)
  return 'stored'
}

/** Faults of a run: 503s and resets mid-body on every request an upload makes but Abort, seeded. */
export function faultsOf(seed: number, rate = 0.08): FaultConfig {
  const ops = ['putObject', 'uploadPart', 'initiateMultipartUpload', 'completeMultipartUpload'] as const
  return {
    seed,
    rules: [
      { match: { op: [...ops], probability: rate / 2 }, action: 'error503' },
      { match: { op: ['putObject', 'uploadPart'], probability: rate / 2 }, action: 'reset', resetAfterBytes: 8 * KiB },
    ],
  }
}
