/**
 * pending uploads of one key beyond a page. Listings follow (key-marker, upload-id-marker) taken
 * from each page's last upload; `cleanupUploads` lists from the start again after each page, so it leaves nothing
 * behind whatever the server's pagination does (here: the emulator, and the emulator behind a proxy that drops the
 * markers, as a server that ignores them), and reports uploads whose abort keeps failing instead of looping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AK, SK, setup } from './setup.js'
import { NosClient, isNosErrorKind, CLEANUP_ABORT_ATTEMPTS, type CleanupUploadsError } from '../../src/index.js'
import { dropQuery, rewritingProxy } from '../helpers/rewriting-proxy.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
/** The same emulator behind a proxy that removes `upload-id-marker` (NOS documents only key-marker). */
let noIdMarker: Awaited<ReturnType<typeof rewritingProxy>>
/** ... and one that removes both markers: every listing starts from the beginning. */
let noMarkers: Awaited<ReturnType<typeof rewritingProxy>>
const through = (endpoint: string, maxRetries = 2) => new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint, retryBaseDelay: 1, retryMaxDelay: 2, maxRetries })
beforeAll(async () => {
  ;({ emu, client } = await setup())
  noIdMarker = await rewritingProxy(emu.endpoint, { url: (u) => dropQuery(u, 'upload-id-marker') })
  noMarkers = await rewritingProxy(emu.endpoint, { url: (u) => dropQuery(u, 'upload-id-marker', 'key-marker') })
})
afterAll(async () => {
  await noIdMarker.close()
  await noMarkers.close()
  await emu.close()
})

/** Starts `n` uploads of `key`, `at` a time; resolves with their ids. */
async function pendingUploads(bucket: string, key: string, n: number, at = 32): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i += at) {
    const batch = await Promise.all(Array.from({ length: Math.min(at, n - i) }, () => client.createMultipartUpload({ bucket, key })))
    ids.push(...batch.map((r) => r.uploadId))
  }
  return ids
}
const numeric = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
const listedQueries = () => emu.requests.filter((r) => r.op === 'listMultipartUploads').map((r) => r.query)

describe('listing pending uploads', () => {
  it('regression: limit 2 with 5 uploads of one key: iterateMultipartUploads yields all 5 (then the next key), paging on key and upload id', async () => {
    await client.createBucket({ bucket: 'five-of-one' })
    const ids = (await pendingUploads('five-of-one', 'same.bin', 5)).sort(numeric)
    const [after] = await pendingUploads('five-of-one', 'zz.bin', 1)
    emu.clearRequestLog()
    const seen: string[] = []
    for await (const u of client.iterateMultipartUploads({ bucket: 'five-of-one', limit: 2 })) seen.push(u.uploadId)
    expect(seen).toEqual([...ids, after])
    expect(listedQueries().slice(1).every((q) => /key-marker=same\.bin/.test(q) || /key-marker=zz\.bin/.test(q))).toBe(true)
    expect(listedQueries()[1]).toContain(`upload-id-marker=${ids[1]}`)

    const page = await client.listMultipartUploads({ bucket: 'five-of-one', limit: 2, keyMarker: 'same.bin', uploadIdMarker: ids[1] })
    expect(page).toMatchObject({ keyMarker: 'same.bin', uploadIdMarker: ids[1], nextKeyMarker: 'same.bin', nextUploadIdMarker: ids[3], isTruncated: true })
    expect(page.uploads.map((u) => u.uploadId)).toEqual([ids[2], ids[3]])
    await expect(client.listMultipartUploads({ bucket: 'five-of-one', uploadIdMarker: ids[1] })).rejects.toSatisfy((e) => isNosErrorKind(e, 'InvalidArgument') && /uploadIdMarker needs keyMarker/.test((e as Error).message))
  })

  it('regression: cleanupUploads over 1,106 pending uploads of one key leaves none (also through a server that ignores both markers)', async () => {
    await client.createBucket({ bucket: 'eleven-hundred' })
    await pendingUploads('eleven-hundred', 'big.iso', 1106)
    emu.clearRequestLog()
    const aborted = await through(noMarkers.endpoint).cleanupUploads({ bucket: 'eleven-hundred' })
    expect(aborted).toHaveLength(1106)
    expect(new Set(aborted.map((u) => u.uploadId)).size).toBe(1106)
    expect((await client.listMultipartUploads({ bucket: 'eleven-hundred' })).uploads).toEqual([])
    // A page of 1000, listed again from the start: 106, then nothing. Each upload aborted once.
    expect(emu.requests.filter((r) => r.op === 'abortMultipartUpload')).toHaveLength(1106)
    await client.deleteBucket({ bucket: 'eleven-hundred' })
  })

  it('regression: an abort that keeps failing is tried a bounded number of times and reported (CleanupUploadsError), the rest aborted', async () => {
    await client.createBucket({ bucket: 'stuck-one' })
    const [stuck] = await pendingUploads('stuck-one', 'stuck/a', 1)
    await pendingUploads('stuck-one', 'fine/b', 3)
    emu.setFaults({ rules: [{ match: { op: 'abortMultipartUpload', keyPrefix: 'stuck/' }, action: 'error503' }] })
    emu.clearRequestLog()
    try {
      const e = (await through(emu.endpoint, 0).cleanupUploads({ bucket: 'stuck-one', pageSize: 2 }).catch((x: unknown) => x)) as CleanupUploadsError
      expect(isNosErrorKind(e, 'CleanupUploadsError') && isNosErrorKind(e, 'ClientException')).toBe(true)
      expect(e.failed.map((f) => f.uploadId)).toEqual([stuck])
      expect(e.aborted).toHaveLength(3)
      expect(e.message).toContain(`1 upload(s) could not be aborted after ${CLEANUP_ABORT_ATTEMPTS} attempts each (3 were): stuck/a (${stuck})`)
      expect(isNosErrorKind(e.failed[0]!.error, 'ServiceUnavailableError')).toBe(true)
    } finally {
      emu.setFaults()
    }
    expect(emu.requests.filter((r) => r.op === 'abortMultipartUpload' && r.key === 'stuck/a')).toHaveLength(CLEANUP_ABORT_ATTEMPTS)
    expect((await client.listMultipartUploads({ bucket: 'stuck-one' })).uploads.map((u) => u.key)).toEqual(['stuck/a'])
  })

  it('property: any uploads per key and page size: the listing yields each upload once in order; cleanupUploads leaves none, whatever the server does with the markers', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('emulator', 'no-id-marker', 'no-markers'),
        async (perKey, pageSize, server) => {
          const bucket = `prop-uploads-${++n}`
          await client.createBucket({ bucket })
          const expected: string[] = []
          for (const [i, count] of perKey.entries()) expected.push(...(await pendingUploads(bucket, `k${i}`, count)).sort(numeric))
          const seen: string[] = []
          for await (const u of client.iterateMultipartUploads({ bucket, limit: pageSize })) seen.push(u.uploadId)
          expect(seen).toEqual(expected)
          const endpoint = { emulator: emu.endpoint, 'no-id-marker': noIdMarker.endpoint, 'no-markers': noMarkers.endpoint }[server]
          const aborted = await through(endpoint).cleanupUploads({ bucket, pageSize })
          expect(aborted.map((u) => u.uploadId).sort(numeric)).toEqual([...expected].sort(numeric))
          expect((await client.listMultipartUploads({ bucket })).uploads).toEqual([])
          await client.deleteBucket({ bucket })
        },
      ),
      { numRuns: 30, seed: 152 },
    )
  })
})
