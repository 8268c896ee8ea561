/** Multipart upload (docs/protocol.md#multipart-upload): lifecycle, NOS ETag, listings and every error code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { Client, completeXml, errorCode, md5, setup, tags } from './helpers.js'

let emu: Emulator
let c: Client
const KIB16 = 16 * 1024

beforeAll(async () => {
  ;({ emu, c } = await setup())
})
afterAll(() => emu.close())

async function initiate(key: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await c.send({ method: 'POST', bucket: 'bkt', key, query: { uploads: null }, headers, body: '' })
  expect(r.status).toBe(200)
  const id = tags(r.text, 'UploadId')[0]!
  expect(id).toMatch(/^\d+$/)
  expect(tags(r.text, 'Key')).toEqual([key])
  return id
}

function part(key: string, uploadId: string, n: number | string, body: string | Buffer, headers: Record<string, string> = {}) {
  return c.send({ method: 'PUT', bucket: 'bkt', key, query: { partNumber: String(n), uploadId }, body, headers })
}

function complete(key: string, uploadId: string, xml: string, headers: Record<string, string> = {}) {
  return c.send({ method: 'POST', bucket: 'bkt', key, query: { uploadId }, body: xml, headers })
}

describe('multipart upload', () => {
  it('initiate, upload parts, list, complete: NOS ETag = md5("hex1-hex2-")', async () => {
    const key = 'big/movie.avi'
    const id = await initiate(key, { 'x-nos-meta-title': 'movie', 'Content-Type': 'video/x-msvideo' })
    const p1 = Buffer.alloc(KIB16, 'a')
    const p2 = Buffer.from('world')
    const r1 = await part(key, id, 1, p1, { 'Content-MD5': md5(p1) })
    expect(r1.status).toBe(200)
    expect(r1.headers['etag']).toBe(`"${md5(p1)}"`)
    const r2 = await part(key, id, 2, p2)
    expect(r2.headers['etag']).toBe(`"${md5(p2)}"`)

    const parts = await c.send({ bucket: 'bkt', key, query: { uploadId: id } })
    expect(tags(parts.text, 'PartNumber')).toEqual(['1', '2'])
    expect(tags(parts.text, 'Size')).toEqual([String(KIB16), '5'])
    const page = await c.send({ bucket: 'bkt', key, query: { uploadId: id, 'max-parts': '1' } })
    expect(tags(page.text, 'IsTruncated')).toEqual(['true'])
    expect(tags(page.text, 'NextPartNumberMarker')).toEqual(['1'])
    const after = await c.send({ bucket: 'bkt', key, query: { uploadId: id, 'part-number-marker': '1' } })
    expect(tags(after.text, 'PartNumber')).toEqual(['2'])

    const uploads = await c.send({ bucket: 'bkt', query: { uploads: null } })
    expect(tags(uploads.text, 'UploadId')).toContain(id)

    const done = await complete(key, id, completeXml([{ n: 1, etag: `"${md5(p1)}"` }, { n: 2, etag: md5(p2) }]), { 'x-nos-Object-md5': md5(Buffer.concat([p1, p2])) })
    expect(done.status).toBe(200)
    const etag = md5(`${md5(p1)}-${md5(p2)}-`)
    expect(tags(done.text, 'ETag')).toEqual([etag])
    expect(tags(done.text, 'Key')).toEqual([key])
    expect(tags(done.text, 'Location')[0]).toBe(`bkt.${emu.endpointHost}/big%2Fmovie.avi`)

    const get = await c.get('bkt', key)
    expect(get.body.equals(Buffer.concat([p1, p2]))).toBe(true)
    expect(get.headers['etag']).toBe(`"${etag}"`)
    expect(get.headers['x-nos-meta-title']).toBe('movie')
    expect(get.headers['content-type']).toBe('video/x-msvideo')
    const range = await c.get('bkt', key, { Range: `bytes=${KIB16 - 2}-${KIB16 + 1}` })
    expect(range.text).toBe('aawo')

    // The upload is gone afterwards.
    expect(errorCode(await part(key, id, 3, 'x'))).toBe('NoSuchUpload')
    expect(tags((await c.send({ bucket: 'bkt', query: { uploads: null } })).text, 'UploadId')).not.toContain(id)
  })

  it('the documented example: parts hello + world give c43444414b3da46c956bb254970df9ef', async () => {
    const id = await initiate('hw')
    await part('hw', id, 1, 'hello')
    await part('hw', id, 2, 'world')
    // "hello" is below 16 KiB, so only a single-part completion is legal; check the ETag rule on one part too.
    const tooSmall = await complete('hw', id, completeXml([{ n: 1, etag: md5('hello') }, { n: 2, etag: md5('world') }]))
    expect(tooSmall.status).toBe(400)
    expect(errorCode(tooSmall)).toBe('EntityTooSmall')
    expect(md5(`${md5('hello')}-${md5('world')}-`)).toBe('c43444414b3da46c956bb254970df9ef')
    const one = await complete('hw', id, completeXml([{ n: 2, etag: md5('world') }]))
    expect(tags(one.text, 'ETag')).toEqual([md5(`${md5('world')}-`)])
    expect((await c.get('bkt', 'hw')).text).toBe('world')
  })

  it('metadata and Content-Type on Complete win over Initiate; an XML Content-Type describes the body only', async () => {
    const id = await initiate('meta-mp', { 'x-nos-meta-a': 'init', 'Content-Type': 'text/plain' })
    await part('meta-mp', id, 1, 'data')
    await complete('meta-mp', id, completeXml([{ n: 1, etag: md5('data') }]), { 'x-nos-meta-b': 'complete', 'Content-Type': 'application/xml' })
    const g = await c.get('bkt', 'meta-mp')
    expect(g.headers['x-nos-meta-b']).toBe('complete')
    expect(g.headers['x-nos-meta-a']).toBeUndefined()
    expect(g.headers['content-type']).toBe('text/plain')
    const id2 = await initiate('meta-mp2', { 'Content-Type': 'text/plain' })
    await part('meta-mp2', id2, 1, 'data')
    await complete('meta-mp2', id2, completeXml([{ n: 1, etag: md5('data') }]), { 'Content-Type': 'image/png' })
    expect((await c.get('bkt', 'meta-mp2')).headers['content-type']).toBe('image/png')
  })

  it('a part uploaded again replaces the earlier one', async () => {
    const id = await initiate('redo')
    await part('redo', id, 1, 'first')
    await part('redo', id, 1, 'second')
    await complete('redo', id, completeXml([{ n: 1, etag: md5('second') }]))
    expect((await c.get('bkt', 'redo')).text).toBe('second')
  })

  it('part numbers outside 1-10000 -> 400 InvalidArgument', async () => {
    const id = await initiate('pn')
    for (const n of ['0', '10001', 'x']) {
      const r = await part('pn', id, n, 'x')
      expect(r.status).toBe(400)
      expect(errorCode(r)).toBe('InvalidArgument')
    }
    expect((await part('pn', id, 10000, 'x')).status).toBe(200)
  })

  it('a part over 100 MiB (declared) -> 400 EntityTooLarge', async () => {
    const id = await initiate('huge-part')
    const r = await part('huge-part', id, 1, 'x', { 'Content-Length': String(104857601) }).catch((e: Error) => e)
    // The server answers before the body; node:http may see the early close as an error after the reply.
    if (r instanceof Error) expect(emu.requests.at(-1)?.errorCode).toBe('EntityTooLarge')
    else expect(errorCode(r)).toBe('EntityTooLarge')
  })

  it('unknown upload id -> 404 NoSuchUpload for part, complete, abort and list parts; also for another key', async () => {
    const bogus = '4693258653932952328'
    for (const r of [
      await part('k', bogus, 1, 'x'),
      await complete('k', bogus, completeXml([{ n: 1, etag: md5('x') }])),
      await c.send({ method: 'DELETE', bucket: 'bkt', key: 'k', query: { uploadId: bogus } }),
      await c.send({ bucket: 'bkt', key: 'k', query: { uploadId: bogus } }),
    ]) {
      expect(r.status).toBe(404)
      expect(errorCode(r)).toBe('NoSuchUpload')
    }
    const id = await initiate('mine')
    expect(errorCode(await part('not-mine', id, 1, 'x'))).toBe('NoSuchUpload')
  })

  it('Complete errors: InvalidPart, InvalidPartOrder, MalformedXML', async () => {
    const id = await initiate('bad')
    const a = Buffer.alloc(KIB16, 'a')
    await part('bad', id, 1, a)
    await part('bad', id, 2, 'b')
    const wrongEtag = await complete('bad', id, completeXml([{ n: 1, etag: md5('nope') }]))
    expect(errorCode(wrongEtag)).toBe('InvalidPart')
    expect(errorCode(await complete('bad', id, completeXml([{ n: 3, etag: md5('b') }])))).toBe('InvalidPart')
    const order = await complete('bad', id, completeXml([{ n: 2, etag: md5('b') }, { n: 1, etag: md5(a) }]))
    expect(order.status).toBe(400)
    expect(errorCode(order)).toBe('InvalidPartOrder')
    for (const xml of ['<CompleteMultipartUpload></CompleteMultipartUpload>', 'not xml', '<Other/>']) {
      expect(errorCode(await complete('bad', id, xml))).toBe('MalformedXML')
    }
    // Failed completions keep the upload; a correct one still works.
    expect((await complete('bad', id, completeXml([{ n: 1, etag: md5(a) }, { n: 2, etag: md5('b') }]))).status).toBe(200)
  })

  it('abort frees the upload; the bucket can then be deleted', async () => {
    expect((await c.send({ method: 'PUT', bucket: 'mp-del' })).status).toBe(200)
    const r = await c.send({ method: 'POST', bucket: 'mp-del', key: 'k', query: { uploads: null }, body: '' })
    const id = tags(r.text, 'UploadId')[0]!
    const busy = await c.send({ method: 'DELETE', bucket: 'mp-del' })
    expect(busy.status).toBe(409)
    expect(errorCode(busy)).toBe('BucketNotEmpty')
    expect((await c.send({ method: 'DELETE', bucket: 'mp-del', key: 'k', query: { uploadId: id } })).status).toBe(200)
    expect((await c.send({ method: 'DELETE', bucket: 'mp-del' })).status).toBe(200)
  })

  it('list multipart uploads: key-marker and max-uploads paging', async () => {
    expect((await c.send({ method: 'PUT', bucket: 'mp-list' })).status).toBe(200)
    const ids: string[] = []
    for (const k of ['u1', 'u2', 'u3']) {
      const r = await c.send({ method: 'POST', bucket: 'mp-list', key: k, query: { uploads: null }, body: '' })
      ids.push(tags(r.text, 'UploadId')[0]!)
    }
    const p1 = await c.send({ bucket: 'mp-list', query: { uploads: null, 'max-uploads': '2' } })
    expect(tags(p1.text, 'Key')).toEqual(['u1', 'u2'])
    expect(tags(p1.text, 'IsTruncated')).toEqual(['true'])
    expect(tags(p1.text, 'NextKeyMarker')).toEqual(['u2'])
    const p2 = await c.send({ bucket: 'mp-list', query: { uploads: null, 'key-marker': 'u2' } })
    expect(tags(p2.text, 'Key')).toEqual(['u3'])
    expect(tags(p2.text, 'Initiated')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d \+0800$/)
    expect(errorCode(await c.send({ bucket: 'mp-list', query: { uploads: null, 'max-uploads': '1001' } }))).toBe('InvalidArgument')
  })

  it('list multipart uploads: upload-id-marker continues within a key (uploads of one key by upload id, numerically), then later keys', async () => {
    expect((await c.send({ method: 'PUT', bucket: 'mp-ids' })).status).toBe(200)
    const start = async (k: string) => tags((await c.send({ method: 'POST', bucket: 'mp-ids', key: k, query: { uploads: null }, body: '' })).text, 'UploadId')[0]!
    const same = [await start('k'), await start('k'), await start('k'), await start('k'), await start('k')]
    const later = await start('l')
    const byId = [...same].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))
    const all = await c.send({ bucket: 'mp-ids', query: { uploads: null } })
    expect(tags(all.text, 'UploadId')).toEqual([...byId, later])
    // Pages of 2 following (NextKeyMarker, NextUploadIdMarker): every upload once, in order.
    const seen: string[] = []
    let q: Record<string, string | null> = { uploads: null, 'max-uploads': '2' }
    for (let page = 0; page < 5; page++) {
      const r = await c.send({ bucket: 'mp-ids', query: q })
      seen.push(...tags(r.text, 'UploadId'))
      if (tags(r.text, 'IsTruncated')[0] !== 'true') break
      q = { uploads: null, 'max-uploads': '2', 'key-marker': tags(r.text, 'NextKeyMarker')[0]!, 'upload-id-marker': tags(r.text, 'NextUploadIdMarker')[0]! }
    }
    expect(seen).toEqual([...byId, later])
    // key-marker alone: keys strictly after it; upload-id-marker without key-marker is ignored (S3 semantics).
    expect(tags((await c.send({ bucket: 'mp-ids', query: { uploads: null, 'key-marker': 'k' } })).text, 'UploadId')).toEqual([later])
    expect(tags((await c.send({ bucket: 'mp-ids', query: { uploads: null, 'upload-id-marker': byId[2]! } })).text, 'UploadId')).toEqual([...byId, later])
    expect(tags((await c.send({ bucket: 'mp-ids', query: { uploads: null, 'key-marker': 'k', 'upload-id-marker': byId[2]! } })).text, 'UploadId')).toEqual([byId[3], byId[4], later])
  })
})
