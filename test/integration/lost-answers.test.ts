/**
 * A defect of retries: non-idempotent requests retried blindly. Through a proxy that lets the emulator perform a
 * request and then drops the connection before the answer, a retry meets its own earlier success; the SDK must
 * confirm it and resolve, or say that an earlier attempt may have succeeded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AK, SK, randomBytes, setup } from './setup.js'
import { droppingProxy, type DroppingProxy } from '../helpers/dropping-proxy.js'
import { ConnectionError, NosClient } from '../../src/index.js'
import { md5, multipartEtag } from '../helpers/md5.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let direct: NosClient
let proxy: DroppingProxy
let client: NosClient
beforeAll(async () => {
  ;({ emu, client: direct } = await setup())
  proxy = await droppingProxy(emu.endpoint)
  client = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: proxy.endpoint, retryBaseDelay: 1, retryMaxDelay: 5 })
})
afterAll(async () => {
  await proxy.close()
  await emu.close()
})

const isDelete = (r: { method: string; url: string }) => r.method === 'DELETE' && !r.url.includes('uploadId=')
const isMove = (r: { method: string }) => r.method === 'PUT'
const isComplete = (r: { method: string; url: string }) => r.method === 'POST' && r.url.includes('uploadId=')
const isAbort = (r: { method: string; url: string }) => r.method === 'DELETE' && r.url.includes('uploadId=')
const isInitiate = (r: { method: string; url: string }) => r.method === 'POST' && /[?&]uploads\b/.test(r.url)
const exists = (key: string) => direct.headObject({ bucket: 'bkt', key }).then(() => true, () => false)
const pending = async (key: string) => (await direct.listMultipartUploads({ bucket: 'bkt' })).uploads.filter((u) => u.key === key)

async function multipartReady(key: string) {
  const { uploadId } = await direct.createMultipartUpload({ bucket: 'bkt', key })
  const parts = [] as { partNum: number; etag: string }[]
  const data = [randomBytes(16 * 1024, 1), randomBytes(100, 2)]
  for (const [i, body] of data.entries()) parts.push({ partNum: i + 1, etag: (await direct.uploadPart({ bucket: 'bkt', key, uploadId, partNum: i + 1, body })).etag })
  return { uploadId, parts, etag: md5(parts.map((p) => `${p.etag}-`).join('')), size: 16 * 1024 + 100 }
}

describe('lost answers of non-idempotent requests', () => {
  it('regression: deleteObject whose answer is lost resolves (the retry meets 404 NoSuchKey, its own deletion)', async () => {
    await direct.putObject({ bucket: 'bkt', key: 'lost-delete', body: 'x' })
    proxy.setRules([{ match: isDelete, nth: [1] }])
    await expect(client.deleteObject({ bucket: 'bkt', key: 'lost-delete' })).resolves.toMatchObject({ requestId: expect.any(String) })
    expect(proxy.seen.filter(isDelete).slice(-2).map((r) => [r.status, r.dropped])).toEqual([[200, true], [404, false]])
    expect(await exists('lost-delete')).toBe(false)
    // Without a lost answer, NOS semantics stay: deleting a missing key is a NotFoundError.
    proxy.setRules([])
    await expect(client.deleteObject({ bucket: 'bkt', key: 'lost-delete' })).rejects.toMatchObject({ name: 'NotFoundError', errorCode: 'NoSuchKey' })
  })

  it('regression: moveObject whose answer is lost resolves while the destination exists and the source is gone', async () => {
    await direct.putObject({ bucket: 'bkt', key: 'lost-move-src', body: 'moved' })
    proxy.setRules([{ match: isMove, nth: [1] }])
    const moved = await client.moveObject({ srcBucket: 'bkt', srcKey: 'lost-move-src', destBucket: 'bkt', destKey: 'lost-move-dest' })
    expect(Object.keys(moved)).toEqual(['requestId'])
    expect(emu.requests.map((r) => r.requestId)).toContain(moved.requestId)
    expect(await exists('lost-move-src')).toBe(false)
    expect(await (await direct.getObject({ bucket: 'bkt', key: 'lost-move-dest' })).text()).toBe('moved')
  })

  it('regression: upload() whose Complete answer is lost resolves with the object NOS completed (ETag and size confirmed)', async () => {
    const data = randomBytes(100 * 1024 + 3, 3)
    proxy.setRules([{ match: isComplete, nth: [1] }])
    const r = await client.upload({ bucket: 'bkt', key: 'lost-complete', body: data, partSize: 32 * 1024 })
    expect(r).toMatchObject({ etag: multipartEtag(data, 32 * 1024), size: data.length, partsTotal: 4 })
    expect(proxy.seen.filter(isComplete).slice(-2).map((x) => [x.status, x.dropped])).toEqual([[200, true], [404, false]])
    expect(md5(await (await direct.getObject({ bucket: 'bkt', key: 'lost-complete' })).bytes())).toBe(md5(data))
    expect(await pending('lost-complete')).toEqual([])
  })

  it('regression: abortMultipartUpload whose answer is lost resolves (the retry meets NoSuchUpload, its own abort)', async () => {
    const { uploadId } = await direct.createMultipartUpload({ bucket: 'bkt', key: 'lost-abort' })
    proxy.setRules([{ match: isAbort, nth: [1] }])
    const aborted = await client.abortMultipartUpload({ bucket: 'bkt', key: 'lost-abort', uploadId })
    expect(Object.keys(aborted)).toEqual(['requestId'])
    expect(emu.requests.map((r) => r.requestId)).toContain(aborted.requestId)
    expect(await pending('lost-abort')).toEqual([])
  })

  it('regression: deleteObjects whose answer is lost reports the keys as deleted, not NoSuchKey failures', async () => {
    for (const k of ['m1', 'm2']) await direct.putObject({ bucket: 'bkt', key: `lost-multi/${k}`, body: k })
    proxy.setRules([{ match: (r) => r.method === 'POST' && r.url.includes('delete'), nth: [1] }])
    const r = await client.deleteObjects({ bucket: 'bkt', keys: ['lost-multi/m1', 'lost-multi/m2'] })
    expect(r.deleted.map((d) => d.key).sort()).toEqual(['lost-multi/m1', 'lost-multi/m2'])
  })

  it('when every answer is lost, the error says an earlier attempt may have succeeded', async () => {
    await direct.putObject({ bucket: 'bkt', key: 'lost-all', body: 'x' })
    proxy.setRules([{ match: isDelete, nth: [1, 2, 3] }])
    const err = await client.deleteObject({ bucket: 'bkt', key: 'lost-all' }).catch((e) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect(err.message).toMatch(/may have succeeded/)
    expect(await exists('lost-all')).toBe(false)
  })

  it('a Complete whose success cannot be checked (every HEAD lost too) says it may have succeeded', async () => {
    const mp = await multipartReady('lost-unconfirmed')
    proxy.setRules([{ match: isComplete, nth: [1] }, { match: (r) => r.method === 'HEAD', nth: [1, 2, 3] }])
    const err = await client.completeMultipartUpload({ bucket: 'bkt', key: 'lost-unconfirmed', uploadId: mp.uploadId, parts: mp.parts }).catch((e) => e)
    expect(err).toMatchObject({ name: 'NotFoundError', errorCode: 'NoSuchUpload' })
    expect(err.message).toMatch(/may have succeeded.*the object could not be checked/)
  })

  it('a retried Initiate whose first answer was lost leaves an orphan upload; cleanupUploads collects it', async () => {
    proxy.setRules([{ match: isInitiate, nth: [1] }])
    const r = await client.upload({ bucket: 'bkt', key: 'lost-initiate', body: randomBytes(40 * 1024, 4), partSize: 16 * 1024 })
    const orphans = await pending('lost-initiate')
    expect(orphans).toHaveLength(1)
    expect(orphans[0]!.uploadId).not.toBe(r.uploadId)
    const collected = await direct.cleanupUploads({ bucket: 'bkt', prefix: 'lost-initiate' })
    expect(collected.map((u) => u.uploadId)).toEqual([orphans[0]!.uploadId])
    expect(await pending('lost-initiate')).toEqual([])
  })

  it('property: whichever attempts lose their answer, delete/move/complete/abort end in the requested state or say they may have succeeded', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('delete', 'move', 'complete', 'abort'), fc.subarray([1, 2, 3]), async (op, nth) => {
        const key = `prop-lost/${++run}`
        const all = nth.length === 3
        let call: () => Promise<unknown>
        let done: () => Promise<boolean>
        if (op === 'delete' || op === 'move') {
          await direct.putObject({ bucket: 'bkt', key, body: key })
          proxy.setRules([{ match: op === 'delete' ? isDelete : isMove, nth }])
          call = op === 'delete' ? () => client.deleteObject({ bucket: 'bkt', key }) : () => client.moveObject({ srcBucket: 'bkt', srcKey: key, destBucket: 'bkt', destKey: `${key}.moved` })
          done = async () => !(await exists(key)) && (op === 'delete' || (await exists(`${key}.moved`)))
        } else {
          const mp = await multipartReady(key)
          proxy.setRules([{ match: op === 'complete' ? isComplete : isAbort, nth }])
          call = op === 'complete'
            ? () => client.completeMultipartUpload({ bucket: 'bkt', key, uploadId: mp.uploadId, parts: mp.parts })
            : () => client.abortMultipartUpload({ bucket: 'bkt', key, uploadId: mp.uploadId })
          done = async () => (await pending(key)).length === 0 && (op === 'abort' || (await direct.headObject({ bucket: 'bkt', key })).etag === mp.etag)
        }
        const outcome = await call().then(() => 'resolved', (e: Error) => e)
        proxy.setRules([])
        // The first attempt always reaches NOS: the requested state holds whatever the client saw.
        expect(await done()).toBe(true)
        if (all) expect((outcome as Error).message).toMatch(/may have succeeded/)
        else expect(outcome).toBe('resolved')
      }),
      { numRuns: 24, seed: 11 },
    )
  })
})

describe('a single attempt whose answer is lost', () => {
  it('with maxRetries: 0, the ConnectionError of a non-idempotent request says it may have succeeded; an idempotent one does not', async () => {
    const once = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: proxy.endpoint, maxRetries: 0 })
    await direct.putObject({ bucket: 'bkt', key: 'lost-once', body: 'x' })
    proxy.setRules([{ match: isDelete, nth: [1] }, { match: (r) => r.method === 'GET', nth: [1] }])
    const del = await once.deleteObject({ bucket: 'bkt', key: 'lost-once' }).catch((e) => e)
    expect(del).toBeInstanceOf(ConnectionError)
    expect(del.message).toMatch(/may have succeeded/)
    const get = await once.getObject({ bucket: 'bkt', key: 'lost-once' }).catch((e) => e)
    expect(get).toBeInstanceOf(ConnectionError)
    expect(get.message).not.toMatch(/may have succeeded/)
    proxy.setRules([])
  })
})
