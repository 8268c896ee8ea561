/**
 * `upload({ deduplicate: true })` (instant upload, docs/protocol.md#deduplication-instant-upload) against the
 * emulator: the second upload of identical content sends no bytes (the request log shows it), single PUT and
 * multipart alike; the first one tells NOS the MD5 so that the second can be instant; a stream needs `objectMd5`.
 */
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import type { NosClient } from '../../src/index.js'
import { randomBytes, setup } from './setup.js'
import { md5 } from '../helpers/md5.js'

let emu: Emulator
let client: NosClient
beforeAll(async () => {
  ;({ emu, client } = await setup())
  await client.putBucketDeduplication({ bucket: 'bkt', status: 'Enabled' })
})
afterAll(() => emu.close())
beforeEach(() => emu.clearRequestLog())

const bytesOf = async (key: string) => new Uint8Array(await (await client.getObject({ bucket: 'bkt', key })).arrayBuffer())
const sent = () => emu.requests.reduce((n, r) => n + r.bytesIn, 0)
const PART = 16 * 1024

describe('upload({ deduplicate })', () => {
  it('a second upload of identical bytes (single PUT) sends no body and stores them with its own metadata', async () => {
    const body = randomBytes(40 * 1024, 11)
    const first = await client.upload({ bucket: 'bkt', key: 'ud/one-a', body, deduplicate: true })
    expect(first).toMatchObject({ deduplicated: false, etag: md5(body), size: body.length, partsSent: 1 })
    // NOS learnt the MD5 from the first PUT's Content-MD5.
    expect(emu.requests.map((r) => r.op)).toEqual(['deduplicateObject', 'putObject'])
    emu.clearRequestLog()
    const progress: number[] = []
    const second = await client.upload({
      bucket: 'bkt', key: 'ud/one-b', body, deduplicate: true, metadata: { copy: 'yes' }, contentType: 'application/x-same', onProgress: (p) => progress.push(p.loaded),
    })
    expect(second).toMatchObject({ deduplicated: true, etag: md5(body), size: body.length, partsSent: 0, uploadId: undefined })
    expect(emu.requests.map((r) => [r.op, r.bytesIn])).toEqual([['deduplicateObject', 0]])
    expect(progress).toEqual([body.length])
    expect(await bytesOf('ud/one-b')).toEqual(body)
    expect(await client.headObject({ bucket: 'bkt', key: 'ud/one-b' })).toMatchObject({ contentType: 'application/x-same', metadata: { copy: 'yes' } })
  })

  it('multipart: Complete carries x-nos-object-md5, so the next identical upload (a Blob) is instant', async () => {
    const body = randomBytes(5 * PART + 123, 12)
    await client.upload({ bucket: 'bkt', key: 'ud/multi-a', body, partSize: PART, deduplicate: true })
    const complete = emu.requests.filter((r) => r.op === 'completeMultipartUpload' && r.key === 'ud/multi-a')
    expect(complete.map((r) => r.status)).toEqual([200])
    emu.clearRequestLog()
    const second = await client.upload({ bucket: 'bkt', key: 'ud/multi-b', body: new Blob([body]), partSize: PART, deduplicate: true })
    expect(second).toMatchObject({ deduplicated: true, size: body.length })
    expect(sent()).toBe(0)
    expect(await bytesOf('ud/multi-b')).toEqual(body)
  })

  it('a stream needs objectMd5 (InvalidArgument before any request); with it, an identical stream of unknown length sends nothing', async () => {
    const body = randomBytes(3 * PART, 13)
    await expect(client.upload({ bucket: 'bkt', key: 'ud/s', body: Readable.from([body]), deduplicate: true })).rejects.toMatchObject({
      name: 'InvalidArgument', message: expect.stringMatching(/^deduplicate needs the MD5 of the whole object .* objectMd5/),
    })
    expect(emu.requests).toEqual([])
    await client.upload({ bucket: 'bkt', key: 'ud/s-a', body: Readable.from([body]), objectMd5: md5(body), partSize: PART, deduplicate: true })
    emu.clearRequestLog()
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => void (pulled++, c.enqueue(body)) })
    const r = await client.upload({ bucket: 'bkt', key: 'ud/s-b', body: stream, objectMd5: md5(body), deduplicate: true })
    // The size of a stream of unknown length comes from NOS's copy.
    expect(r).toMatchObject({ deduplicated: true, size: body.length, etag: md5(body) })
    expect(emu.requests.map((e) => [e.op, e.bytesIn])).toEqual([['deduplicateObject', 0], ['headObject', 0]])
    expect(pulled).toBeLessThanOrEqual(1) // the stream was not read for sending (at most its start-up pull)
    expect(await bytesOf('ud/s-b')).toEqual(body)
  })

  it('with the bucket\'s deduplication off, the bytes are uploaded', async () => {
    await client.putBucketDeduplication({ bucket: 'other', status: 'Suspended' })
    const body = randomBytes(PART, 14)
    await client.upload({ bucket: 'other', key: 'a', body, deduplicate: true })
    emu.clearRequestLog()
    const r = await client.upload({ bucket: 'other', key: 'b', body, deduplicate: true })
    expect(r.deduplicated).toBe(false)
    expect(emu.requests.map((e) => [e.op, e.bytesIn])).toEqual([['deduplicateObject', 0], ['putObject', body.length]])
  })

  it('property: for any content, size, part size and body kind, a repeated upload is instant and both copies are byte-exact; a changed byte is uploaded', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 * PART }), fc.integer({ min: PART, max: 3 * PART }), fc.constantFrom('bytes', 'blob', 'stream'), fc.nat(),
        async (size, partSize, kind, seed) => {
          const k = `ud-prop/${n++}`
          // Unique content per run (NOS must not know it yet): the run's key in the first bytes.
          const body = randomBytes(size, seed)
          body.set(new TextEncoder().encode(k).subarray(0, size))
          const as = (b: Uint8Array) => (kind === 'bytes' ? b : kind === 'blob' ? new Blob([b as Uint8Array<ArrayBuffer>]) : Readable.from([b]))
          const opts = (b: Uint8Array) => ({ partSize, multipartThreshold: partSize, deduplicate: true, ...(kind === 'stream' ? { objectMd5: md5(b), contentLength: b.length } : {}) })
          await client.upload({ bucket: 'bkt', key: `${k}/a`, body: as(body), ...opts(body) })
          emu.clearRequestLog()
          const again = await client.upload({ bucket: 'bkt', key: `${k}/b`, body: as(body), ...opts(body) })
          expect(again).toMatchObject({ deduplicated: true, size })
          expect(sent()).toBe(0)
          expect(await bytesOf(`${k}/b`)).toEqual(body)
          if (size === 0) return
          const changed = body.slice()
          changed[seed % size] = changed[seed % size]! ^ 0xff
          const other = await client.upload({ bucket: 'bkt', key: `${k}/c`, body: as(changed), ...opts(changed) })
          expect(other.deduplicated).toBe(false)
          expect(await bytesOf(`${k}/c`)).toEqual(changed)
        },
      ),
      { numRuns: 12, seed: 20261129 },
    )
  })
})
