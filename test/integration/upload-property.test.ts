/**
 * Property-based tests of upload(): every body kind, size, part size, threshold, concurrency and
 * contentLength stores byte-exact or throws a typed error and stores nothing, also under seeded faults. Larger
 * seed counts: `npm run bench -- upload-props`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { AK, SK, randomBytes, setup } from './setup.js'
import { NosClient, UploadPausedError, fileSource, type UploadCheckpoint } from '../../src/node.js'
import { checkUploadCase, faultsOf, uploadCaseArb } from '../helpers/upload-property.js'
import { md5 } from '../helpers/md5.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
let dir: string
beforeAll(async () => {
  ;({ emu } = await setup())
  client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, retryBaseDelay: 0, retryMaxDelay: 1 })
  dir = await mkdtemp(join(tmpdir(), 'nos-props-'))
})
afterAll(async () => {
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

const MiB = 1024 * 1024
let n = 0

describe('upload() properties', () => {
  it('property: any body kind, size, part size, threshold, concurrency, contentLength: byte-exact with result.size, or InvalidArgument and nothing stored', async () => {
    await fc.assert(fc.asyncProperty(uploadCaseArb(), (c) => checkUploadCase(client, emu, dir, c, `props/${++n}`).then(() => undefined)), { numRuns: 100, seed: 11 })
  })

  it('property: the same under seeded faults (503s, resets mid-body): byte-exact, or a typed error and nothing stored', async () => {
    const outcomes: string[] = []
    await fc.assert(
      fc.asyncProperty(uploadCaseArb(8), fc.integer({ min: 1, max: 1e6 }), async (c, seed) => {
        outcomes.push(await checkUploadCase(client, emu, dir, c, `faults/${++n}`, faultsOf(seed)))
      }),
      { numRuns: 60, seed: 12 },
    )
    // The faults do not make every upload fail: retries carry most of them through.
    expect(outcomes.filter((o) => o === 'stored').length).toBeGreaterThan(outcomes.length / 3)
    expect(emu.requests.some((r) => r.fault === 'reset')).toBe(true)
  })

  it('big: a 40 MiB + 1 Node Readable with contentLength and default part size, faults on, stores byte-exact', async () => {
    const data = randomBytes(40 * MiB + 1, 7)
    emu.setFaults(faultsOf(5, 0.1))
    try {
      const r = await client.upload({ bucket: 'bkt', key: 'props/big', body: Readable.from((function* () { for (let o = 0; o < data.length; o += MiB) yield data.subarray(o, o + MiB) })()), contentLength: data.length, multipartThreshold: 16 * MiB })
      expect(r).toMatchObject({ size: data.length, partsTotal: 6 })
    } finally {
      emu.setFaults()
    }
    expect(md5(await (await client.getObject({ bucket: 'bkt', key: 'props/big' })).bytes())).toBe(md5(data))
  })

  it('property: a source changed between pause and resume is stored as it is at resume (stale parts re-sent), or the resume is refused', async () => {
    const KiB = 1024
    const arb = fc.record({
      kind: fc.constantFrom('bytes', 'blob', 'file'),
      partSize: fc.integer({ min: 16, max: 32 }).map((k) => k * KiB),
      parts: fc.integer({ min: 2, max: 8 }),
      extra: fc.nat(16 * KiB),
      pauseAfter: fc.integer({ min: 1, max: 3 }),
      at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      len: fc.integer({ min: 1, max: 40 * KiB }),
      seed: fc.integer({ min: 1, max: 1e6 }),
    })
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const key = `stale/${++n}`
        const data = randomBytes(c.parts * c.partSize + c.extra, c.seed)
        const path = join(dir, `stale-${n}`)
        const mtime = 1_700_000_000
        const bodyNow = async () => {
          if (c.kind === 'bytes') return data
          if (c.kind === 'blob') return new Blob([data.slice()])
          await writeFile(path, data)
          await utimes(path, mtime, mtime)
          return fileSource(path)
        }
        let paused: Promise<UploadCheckpoint> | undefined
        const up = client.upload({ bucket: 'bkt', key, body: await bodyNow(), partSize: c.partSize, concurrency: 1, onProgress: (p) => { if (p.partsDone >= c.pauseAfter && !paused) paused = up.pause() } })
        expect(await up.catch((e: unknown) => e)).toBeInstanceOf(UploadPausedError)
        const cp = (await paused)!
        const start = Math.floor(c.at * data.length)
        data.set(randomBytes(Math.min(c.len, data.length - start), c.seed + 1), start)
        const r = await client.upload({ bucket: 'bkt', key, body: await bodyNow(), resume: cp }).catch((e: any) => e)
        if (r instanceof Error) {
          // Only a change the fingerprint sees may refuse the resume (its first or last 64 KiB).
          expect(r.message).toMatch(/^resume\.fingerprint/)
          expect(start < 64 * KiB || start + c.len > data.length - 64 * KiB).toBe(true)
          await client.abortMultipartUpload({ bucket: 'bkt', key, uploadId: cp.uploadId })
          return
        }
        expect(md5(await (await client.getObject({ bucket: 'bkt', key })).bytes())).toBe(md5(data))
        expect(r.size).toBe(data.length)
      }),
      { numRuns: 40, seed: 13 },
    )
  })
})
