/**
 * src/transfers/plan.ts: one PUT or multipart. A random-access source up to the threshold is one PUT; a stream of
 * known length up to it is read whole and its length checked; a stream of unknown length is read until it ends
 * (one PUT) or passes the threshold (multipart, the parts read kept): a body is never cut or padded.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planUpload, type UploadPlan } from '../../src/transfers/plan.js'
import { bytesSource, toSource, type UploadSource } from '../../src/transfers/sources.js'
import { resolveConfig } from '../../src/core/config.js'
import { InvalidArgument } from '../../src/core/errors.js'
import type { UploadArgs } from '../../src/transfers/upload-args.js'
import type { PriorCheckpoint } from '../../src/transfers/session.js'
import { randomBytes } from '../helpers/random-bytes.js'
import { streamOf } from '../helpers/streams.js'
import { rejected } from '../helpers/caught.js'
import { md5 } from '../helpers/md5.js'

const KiB = 1024
const MiB = 1024 * KiB
const cfg = resolveConfig()
const args = (source: UploadSource, threshold: number, partSize?: number) =>
  ({ source, size: source.size, partSize, threshold }) as unknown as UploadArgs

/** Every byte the plan will send, in order: the single body, or the parts read ahead then the rest of the stream. */
async function planned(plan: UploadPlan, source: UploadSource): Promise<Uint8Array> {
  if (plan.mode === 'single') return plan.bytes
  const parts = [...plan.head]
  if (plan.reader) for (let p = await plan.reader.next(); p; p = await plan.reader.next()) parts.push(p.slice())
  else if (source.kind === 'random') parts.push((await source.read(0, source.size)) as Uint8Array)
  return new Uint8Array(Buffer.concat(parts))
}
/** Bytes as [length, MD5]: a short, readable comparison of large bodies. */
const digest = (b: Uint8Array) => [b.length, md5(b)]

describe('planUpload, random-access sources', () => {
  it('up to the threshold: one PUT of the bytes; one byte more: multipart of the chosen part size', async () => {
    const data = randomBytes(64 * KiB, 1)
    expect(await planUpload(cfg, args(bytesSource(data), 64 * KiB), undefined)).toEqual({ mode: 'single', bytes: data })
    expect(await planUpload(cfg, args(bytesSource(data), 64 * KiB - 1), undefined)).toEqual({ mode: 'multipart', partSize: 8 * MiB, reader: undefined, head: [] })
    expect(await planUpload(cfg, args(bytesSource(data), 0, 16 * KiB), undefined)).toMatchObject({ mode: 'multipart', partSize: 16 * KiB })
  })

  it('a compatible checkpoint means multipart with its part size, however small the body', async () => {
    const prior = { compatible: true, checkpoint: { partSize: 32 * KiB } } as PriorCheckpoint
    expect(await planUpload(cfg, args(bytesSource(new Uint8Array(5)), MiB), prior)).toEqual({ mode: 'multipart', partSize: 32 * KiB, reader: undefined, head: [] })
    const stale = { compatible: false, checkpoint: { partSize: 32 * KiB } } as PriorCheckpoint
    expect((await planUpload(cfg, args(bytesSource(new Uint8Array(5)), MiB), stale)).mode).toBe('single')
  })

  it('a Blob is read into the single PUT', async () => {
    const plan = await planUpload(cfg, args(toSource(new Blob(['hello'])), MiB), undefined)
    expect(plan).toEqual({ mode: 'single', bytes: new TextEncoder().encode('hello') })
  })
})

describe('planUpload, streams', () => {
  it('of known length up to the threshold: read whole, one PUT; empty too', async () => {
    const data = randomBytes(40 * KiB, 2)
    expect(await planUpload(cfg, args(toSource(streamOf(data, 7 * KiB), data.length), 40 * KiB), undefined)).toEqual({ mode: 'single', bytes: data })
    expect(await planUpload(cfg, args(toSource(streamOf(new Uint8Array(0)), 0), MiB), undefined)).toEqual({ mode: 'single', bytes: new Uint8Array(0) })
  })

  it('of known length, longer or shorter than declared: InvalidArgument naming contentLength, nothing planned', async () => {
    const longer = await rejected(planUpload(cfg, args(toSource(streamOf(new Uint8Array(10)), 9), MiB), undefined))
    expect(longer).toBeInstanceOf(InvalidArgument)
    expect(longer.message).toBe('contentLength is 9 but the stream has more bytes than that')
    const shorter = await rejected(planUpload(cfg, args(toSource(streamOf(new Uint8Array(10)), 11), MiB), undefined))
    expect(shorter).toBeInstanceOf(InvalidArgument)
    expect(shorter.message).toBe('contentLength is 11 but the stream ended after 10 bytes')
  })

  it('of known length over the threshold: multipart, nothing read ahead', async () => {
    const plan = await planUpload(cfg, args(toSource(streamOf(new Uint8Array(100)), 100), 99, 16 * KiB), undefined)
    expect(plan).toMatchObject({ mode: 'multipart', partSize: 16 * KiB, head: [] })
    expect(plan.mode === 'multipart' && plan.reader?.expectedSize).toBe(100)
  })

  it('of unknown length: one PUT when it ends by the threshold, else multipart with the parts read', async () => {
    const data = randomBytes(48 * KiB, 3)
    expect(await planUpload(cfg, args(toSource(streamOf(data)), 48 * KiB, 16 * KiB), undefined)).toEqual({ mode: 'single', bytes: data })
    const plan = await planUpload(cfg, args(toSource(streamOf(data)), 40 * KiB, 16 * KiB), undefined)
    expect(plan.mode === 'multipart' && plan.head.map((p) => p.length)).toEqual([16 * KiB, 16 * KiB, 16 * KiB])
  })

  it('property: whatever the length, threshold and chunking, the plan sends exactly the stream\'s bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(80 * KiB), fc.nat(64 * KiB), fc.integer({ min: 1, max: 20 * KiB }), fc.boolean(), async (size, threshold, chunk, known) => {
        const data = randomBytes(size, size + 1)
        const source = toSource(streamOf(data, chunk), known ? size : undefined)
        const plan = await planUpload(cfg, args(source, threshold, 16 * KiB), undefined)
        expect(plan.mode).toBe(size <= threshold ? 'single' : 'multipart')
        expect(digest(await planned(plan, source))).toEqual(digest(data))
      }),
      { numRuns: 60 },
    )
  })
})
