import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, TRICKY_KEYS, randomBytes } from './setup.js'
import type { NosClient } from '../../src/index.js'
import { md5 } from '../helpers/md5.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
beforeAll(async () => ({ emu, client } = await setup()))
afterAll(() => emu.close())


describe.each(TRICKY_KEYS.map((k) => [k.length > 40 ? `${k.slice(0, 12)}…(${k.length})` : k, k]))('key %s', (_label, key) => {
  it('put/head/get/copy/move/delete round trip', async () => {
    const body = `body of ${key}`
    const before = Date.now()
    const put = await client.putObject({ bucket: 'bkt', key, body, metadata: { 'x-nos-meta-Owner': 'alice', tag: 'v1' }, contentType: 'text/plain' })
    const after = Date.now()
    expect(put.etag).toBe(md5(body))
    expect(put.requestId).toMatch(/^[0-9a-f]{32}$/)

    const head = await client.headObject({ bucket: 'bkt', key })
    expect(head).toMatchObject({ contentLength: Buffer.byteLength(body), contentType: 'text/plain', etag: md5(body), metadata: { owner: 'alice', tag: 'v1' } })
    // Stored while the PUT was in flight; Last-Modified has whole seconds.
    expect(head.lastModified.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(head.lastModified.getTime()).toBeLessThanOrEqual(after)

    const got = await client.getObject({ bucket: 'bkt', key })
    expect(await got.text()).toBe(body)
    expect(got.etag).toBe(md5(body))

    await client.copyObject({ srcBucket: 'bkt', srcKey: key, destBucket: 'other', destKey: key })
    expect(await (await client.getObject({ bucket: 'other', key })).text()).toBe(body)
    expect((await client.headObject({ bucket: 'other', key })).metadata).toEqual({ owner: 'alice', tag: 'v1' })

    const moved = Buffer.byteLength(key) > 990 ? 'moved/' + key.slice(0, 100) : key + '-moved'
    await client.moveObject({ srcBucket: 'other', srcKey: key, destBucket: 'other', destKey: moved })
    await expect(client.headObject({ bucket: 'other', key })).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 })
    expect(await (await client.getObject({ bucket: 'other', key: moved })).text()).toBe(body)

    const listed = await client.listObjects({ bucket: 'bkt', prefix: key })
    expect(listed.contents.map((c) => c.key)).toContain(key)
    const entry = listed.contents.find((c) => c.key === key)!
    expect(entry).toMatchObject({ etag: md5(body), size: Buffer.byteLength(body), storageClass: expect.any(String) })

    await client.deleteObject({ bucket: 'bkt', key })
    await client.deleteObjects({ bucket: 'other', keys: [moved] })
    await expect(client.getObject({ bucket: 'bkt', key })).rejects.toMatchObject({ name: 'NotFoundError', errorCode: 'NoSuchKey' })
  })

  it('multipart round trip', async () => {
    const a = randomBytes(16 * 1024, 7)
    const b = randomBytes(100, 8)
    const { uploadId } = await client.createMultipartUpload({ bucket: 'bkt', key, metadata: { m: '1' } })
    expect(uploadId).toMatch(/^\d+$/)
    const p1 = await client.uploadPart({ bucket: 'bkt', key, uploadId, partNum: 1, body: a })
    const p2 = await client.uploadPart({ bucket: 'bkt', key, uploadId, partNum: 2, body: b })
    expect(p1.etag).toBe(md5(a))
    const uploads = await client.listMultipartUploads({ bucket: 'bkt' })
    expect(uploads.uploads.find((u) => u.uploadId === uploadId)).toMatchObject({ key })
    const parts = await client.listParts({ bucket: 'bkt', key, uploadId })
    expect(parts.parts.map((x) => [x.partNum, x.size, x.etag])).toEqual([[1, a.length, md5(a)], [2, b.length, md5(b)]])
    const done = await client.completeMultipartUpload({ bucket: 'bkt', key, uploadId, parts: [{ partNum: 2, etag: p2.etag }, { partNum: 1, etag: p1.etag }] })
    expect(done.etag).toBe(md5(`${md5(a)}-${md5(b)}-`))
    expect(done.key).toBe(key)
    const got = await client.getObject({ bucket: 'bkt', key })
    const bytes = await got.bytes()
    expect(md5(bytes)).toBe(md5(Buffer.concat([a, b])))
    expect(got.metadata).toEqual({ m: '1' })
    await client.deleteObject({ bucket: 'bkt', key })
  })
})

describe('bodies', () => {
  const cases: [string, unknown, string, string][] = [
    ['string', 'héllo', 'héllo', 'application/octet-stream'],
    ['Uint8Array', new Uint8Array([1, 2, 3]), '\x01\x02\x03', 'application/octet-stream'],
    ['ArrayBuffer', new Uint8Array([65, 66]).buffer, 'AB', 'application/octet-stream'],
    ['DataView', new DataView(new Uint8Array([67]).buffer), 'C', 'application/octet-stream'],
    ['Blob', new Blob(['blob'], { type: 'text/x-blob' }), 'blob', 'text/x-blob'],
    ['object', { a: 1, b: ['x'] }, '{"a":1,"b":["x"]}', 'application/json'],
    ['array', [1, 2], '[1,2]', 'application/json'],
    ['empty', '', '', 'application/octet-stream'],
  ]
  for (const [name, body, expected, type] of cases) {
    it(name, async () => {
      await client.putObject({ bucket: 'bkt', key: `body-${name}`, body: body as never })
      const got = await client.getObject({ bucket: 'bkt', key: `body-${name}` })
      expect(got.contentType).toBe(type)
      expect(Buffer.from(await got.bytes()).toString('latin1')).toBe(Buffer.from(expected).toString('latin1'))
    })
  }

  it('ReadableStream of known length goes out as a stream with Content-Length', async () => {
    const data = randomBytes(3 * 1024 * 1024, 3)
    const stream = new Blob([data]).stream()
    const r = await client.putObject({ bucket: 'bkt', key: 'stream-known', body: stream, contentLength: data.length })
    expect(r.etag).toBe(md5(data))
  })

  it('ReadableStream of unknown length is buffered (then sent with an MD5)', async () => {
    const data = randomBytes(200_000, 4)
    const r = await client.putObject({ bucket: 'bkt', key: 'stream-unknown', body: new Blob([data]).stream() })
    expect(r.etag).toBe(md5(data))
  })

  it('async iterable (Node Readable)', async () => {
    const { Readable } = await import('node:stream')
    const r = await client.putObject({ bucket: 'bkt', key: 'readable', body: Readable.from([Buffer.from('ab'), Buffer.from('cd')]) })
    expect(r.etag).toBe(md5('abcd'))
  })

  it('large byte body is streamed in slices and arrives intact', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 17, 5)
    const r = await client.putObject({ bucket: 'bkt', key: 'big-bytes', body: data })
    expect(r.etag).toBe(md5(data))
  })

  it('sends Content-MD5 and the emulator verifies it', async () => {
    emu.clearRequestLog()
    await client.putObject({ bucket: 'bkt', key: 'md5', body: 'x' })
    expect(emu.requests.at(-1)).toMatchObject({ op: 'putObject', status: 200 })
  })
})

describe('getObject', () => {
  beforeAll(async () => {
    await client.putObject({ bucket: 'bkt', key: 'range.txt', body: '0123456789' })
  })
  it('range as a string and as { start, end }', async () => {
    const a = await client.getObject({ bucket: 'bkt', key: 'range.txt', range: 'bytes=2-4' })
    expect(await a.text()).toBe('234')
    expect(a.contentRange).toBe('bytes 2-4/10')
    expect(a.contentLength).toBe(3)
    expect(await (await client.getObject({ bucket: 'bkt', key: 'range.txt', range: { start: 7 } })).text()).toBe('789')
    expect(await (await client.getObject({ bucket: 'bkt', key: 'range.txt', range: { start: 0, end: 0 } })).text()).toBe('0')
    expect(await (await client.getObject({ bucket: 'bkt', key: 'range.txt', range: 'bytes=-2' })).text()).toBe('89')
  })
  it('streams the body', async () => {
    const { body } = await client.getObject({ bucket: 'bkt', key: 'range.txt' })
    const chunks: Uint8Array[] = []
    for await (const c of body as unknown as AsyncIterable<Uint8Array>) chunks.push(c)
    expect(Buffer.concat(chunks).toString()).toBe('0123456789')
  })
  it('ifModifiedSince gives notModified', async () => {
    const r = await client.getObject({ bucket: 'bkt', key: 'range.txt', ifModifiedSince: new Date(Date.now() + 60_000) })
    expect(r.notModified).toBe(true)
  })
})

describe('deleteObjects', () => {
  it('deletes more than 1000 keys in several requests', async () => {
    const keys = Array.from({ length: 1205 }, (_, i) => `bulk/${String(i).padStart(4, '0')} & <${i}>`)
    await Promise.all(keys.map((key, i) => (i % 1 === 0 ? client.putObject({ bucket: 'bkt', key, body: '' }) : null)))
    emu.clearRequestLog()
    const r = await client.deleteObjects({ bucket: 'bkt', keys })
    expect(r.deleted).toHaveLength(1205)
    expect(emu.requests.filter((x) => x.op === 'deleteObjects')).toHaveLength(2)
    expect((await client.listObjects({ bucket: 'bkt', prefix: 'bulk/' })).contents).toHaveLength(0)
  })

  it('reports missing keys with MultiObjectDeleteException', async () => {
    await client.putObject({ bucket: 'bkt', key: 'exists', body: '1' })
    const err = await client.deleteObjects({ bucket: 'bkt', keys: ['exists', 'missing-1', 'missing-2'] }).catch((e) => e)
    expect(err.name).toBe('MultiObjectDeleteException')
    expect(err.errors).toEqual([
      { key: 'missing-1', code: 'NoSuchKey', message: expect.any(String) },
      { key: 'missing-2', code: 'NoSuchKey', message: expect.any(String) },
    ])
    expect(err.deleted).toEqual([{ key: 'exists' }])
  })

  it('quiet mode returns no deleted list', async () => {
    await client.putObject({ bucket: 'bkt', key: 'q1', body: '1' })
    expect((await client.deleteObjects({ bucket: 'bkt', keys: ['q1'], quiet: true })).deleted).toEqual([])
  })
})
