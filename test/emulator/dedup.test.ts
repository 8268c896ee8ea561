/**
 * Instant upload in the emulator (docs/protocol.md#deduplication-instant-upload), raw signed requests: the
 * bucket setting, the content index fed by PUT Content-MD5 and by Complete's x-nos-object-md5 (a false claim is
 * never used), and the object created without its bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { completeXml, md5, setup, tags, type Client } from './helpers.js'

let emu: Emulator
let c: Client
beforeAll(async () => {
  ;({ emu, c } = await setup({ buckets: ['bkt', { name: 'dedup', deduplication: true }] }))
})
afterAll(() => emu.close())

const dedupXml = (status: string) => `<DeduplicationConfiguration><Status>${status}</Status></DeduplicationConfiguration>`

function dedup(bucket: string, key: string, objectMd5: string, headers: Record<string, string> = {}) {
  return c.send({ method: 'PUT', bucket, key, query: { deduplication: null }, headers: { 'x-nos-object-md5': objectMd5, ...headers }, body: '' })
}

async function multipart(bucket: string, key: string, parts: Buffer[], objectMd5: string) {
  const init = await c.send({ method: 'POST', bucket, key, query: { uploads: null }, body: '' })
  const uploadId = tags(init.text, 'UploadId')[0]!
  const etags: string[] = []
  for (const [i, p] of parts.entries()) {
    const r = await c.send({ method: 'PUT', bucket, key, query: { partNumber: String(i + 1), uploadId }, body: p })
    etags.push(String(r.headers['etag']).replace(/"/g, ''))
  }
  const body = completeXml(etags.map((etag, i) => ({ n: i + 1, etag })))
  return c.send({ method: 'POST', bucket, key, query: { uploadId }, headers: { 'x-nos-object-md5': objectMd5 }, body })
}

describe('deduplication', () => {
  it('PUT/GET /?deduplication: Suspended until enabled, then Enabled; other values are MalformedXML', async () => {
    expect(tags((await c.send({ bucket: 'bkt', query: { deduplication: null } })).text, 'Status')).toEqual(['Suspended'])
    expect((await c.send({ method: 'PUT', bucket: 'bkt', query: { deduplication: null }, body: dedupXml('Enabled') })).status).toBe(200)
    expect(tags((await c.send({ bucket: 'bkt', query: { deduplication: null } })).text, 'Status')).toEqual(['Enabled'])
    const bad = await c.send({ method: 'PUT', bucket: 'bkt', query: { deduplication: null }, body: dedupXml('Maybe') })
    expect(bad.status).toBe(400)
    expect((await c.send({ method: 'PUT', bucket: 'bkt', query: { deduplication: null }, body: dedupXml('Suspended') })).status).toBe(200)
  })

  it('content PUT with Content-MD5 is found: the new object exists with the same bytes, its own type and metadata', async () => {
    const body = Buffer.from('the same bytes twice')
    await c.put('dedup', 'first.txt', body, { 'Content-MD5': md5(body), 'Content-Type': 'text/plain' })
    const r = await dedup('dedup', 'second.txt', md5(body), { 'Content-Type': 'text/x-copy', 'x-nos-meta-who': 'dedup' })
    expect(r.status).toBe(200)
    expect(tags(r.text, 'ObjectContentAlreadyExist')).toEqual(['true'])
    expect(tags(r.text, 'Key')).toEqual(['second.txt'])
    const got = await c.get('dedup', 'second.txt')
    expect(got.body.equals(body)).toBe(true)
    expect(got.headers['content-type']).toBe('text/x-copy')
    expect(got.headers['x-nos-meta-who']).toBe('dedup')
    expect(String(got.headers['etag']).replace(/"/g, '')).toBe(md5(body))
    // The source is untouched and independent: deleting it keeps the copy.
    expect((await c.send({ method: 'DELETE', bucket: 'dedup', key: 'first.txt' })).status).toBe(200)
    expect((await c.get('dedup', 'second.txt')).body.equals(body)).toBe(true)
  })

  it('content PUT without Content-MD5 is not indexed; unknown content and a suspended bucket answer false', async () => {
    const body = Buffer.from('never announced')
    await c.put('dedup', 'quiet.txt', body)
    expect(tags((await dedup('dedup', 'x.txt', md5(body))).text, 'ObjectContentAlreadyExist')).toEqual(['false'])
    expect(tags((await dedup('dedup', 'x.txt', md5('nothing like it'))).text, 'ObjectContentAlreadyExist')).toEqual(['false'])
    await c.put('bkt', 'known.txt', Buffer.from('known'), { 'Content-MD5': md5('known') })
    expect(tags((await dedup('bkt', 'y.txt', md5('known'))).text, 'ObjectContentAlreadyExist')).toEqual(['false'])
    expect((await c.get('bkt', 'y.txt')).status).toBe(404)
    expect((await c.get('dedup', 'x.txt')).status).toBe(404)
  })

  it("Complete's x-nos-object-md5 feeds the index, but a false claim is never used", async () => {
    const parts = [Buffer.alloc(16 * 1024, 1), Buffer.from('end')]
    const whole = Buffer.concat(parts)
    expect((await multipart('dedup', 'liar.bin', parts, md5('something else'))).status).toBe(200)
    expect(tags((await dedup('dedup', 'z.bin', md5('something else'))).text, 'ObjectContentAlreadyExist')).toEqual(['false'])
    expect((await multipart('dedup', 'honest.bin', parts, md5(whole))).status).toBe(200)
    expect(tags((await dedup('dedup', 'z.bin', md5(whole))).text, 'ObjectContentAlreadyExist')).toEqual(['true'])
    expect((await c.get('dedup', 'z.bin')).body.equals(whole)).toBe(true)
  })

  it('a missing or malformed x-nos-object-md5 is 400 InvalidArgument', async () => {
    const r = await dedup('dedup', 'k', 'xyz')
    expect(r.status).toBe(400)
    expect(tags(r.text, 'Code')).toEqual(['InvalidArgument'])
  })
})
