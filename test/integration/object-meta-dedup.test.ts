/**
 * putObjectMeta (docs/protocol.md#put-object-meta) and instant upload (docs/protocol.md#deduplication-instant-upload)
 * through the SDK against the emulator: headers replaced and cleared, bytes untouched; a second upload of identical
 * bytes sends no body (the request log shows it), and with deduplication off the bytes are uploaded.
 */
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
})
afterAll(() => emu.close())
beforeEach(() => emu.clearRequestLog())


async function headers(key: string): Promise<Headers> {
  const res = await fetch(await client.presignUrl({ bucket: 'bkt', key }))
  await res.arrayBuffer()
  return res.headers
}

describe('putObjectMeta', () => {
  it('replaces type, stored headers and metadata; what is not given is cleared; bytes and ETag stay', async () => {
    await client.putObject({ bucket: 'bkt', key: 'meta.txt', body: 'hello', contentType: 'text/plain', metadata: { a: '1', b: '2' } })
    const expires = new Date(Date.UTC(2031, 0, 2, 3, 4, 5))
    const r = await client.putObjectMeta({
      bucket: 'bkt', key: 'meta.txt', contentType: 'text/markdown', cacheControl: 'max-age=60', contentDisposition: 'attachment; filename="m.md"',
      contentLanguage: 'zh-CN', expires, metadata: { 'x-nos-meta-C': '3' },
    })
    expect(r.requestId).toMatch(/^[0-9a-f]{32}$/)
    const h = await headers('meta.txt')
    expect(Object.fromEntries([...h].filter(([n]) => /^(content-type|cache-control|content-disposition|content-language|expires|x-nos-meta-.*)$/.test(n)))).toEqual({
      'content-type': 'text/markdown', 'cache-control': 'max-age=60', 'content-disposition': 'attachment; filename="m.md"', 'content-language': 'zh-CN',
      expires: expires.toUTCString(), 'x-nos-meta-c': '3',
    })
    const got = await client.getObject({ bucket: 'bkt', key: 'meta.txt' })
    expect(await got.text()).toBe('hello')
    expect(got.etag).toBe(md5('hello'))
    // A second update with only metadata clears everything else.
    await client.putObjectMeta({ bucket: 'bkt', key: 'meta.txt', metadata: { d: '4' } })
    const again = await client.headObject({ bucket: 'bkt', key: 'meta.txt' })
    expect(again).toMatchObject({ contentType: 'application/octet-stream', metadata: { d: '4' }, etag: md5('hello') })
    expect((await headers('meta.txt')).get('cache-control')).toBeNull()
  })

  it('a missing object is NotFoundError; bad arguments are typed errors before any request', async () => {
    await expect(client.putObjectMeta({ bucket: 'bkt', key: 'nope.txt', contentType: 'text/plain' })).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 })
    emu.clearRequestLog()
    const cases: [object, RegExp][] = [
      [{ contentType: 'text/plain\r\nx: y' }, /^contentType .* cannot travel in an HTTP header/],
      [{ cacheControl: 5 }, /^cacheControl must be a string/],
      [{ metadata: { 'bad name': 'x' } }, /^metadata name "bad name"/],
      [{ expires: new Date(NaN) }, /^expires must be a valid Date/],
    ]
    for (const [bad, message] of cases) {
      await expect(client.putObjectMeta({ bucket: 'bkt', key: 'meta.txt', ...bad } as never)).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(message) })
    }
    expect(emu.requests).toEqual([])
  })
})

describe('instant upload (deduplication)', () => {
  it('putBucketDeduplication / getBucketDeduplication round-trip; a bad status is refused before any request', async () => {
    expect((await client.getBucketDeduplication({ bucket: 'other' })).status).toBe('Suspended')
    await client.putBucketDeduplication({ bucket: 'other', status: 'Enabled' })
    expect((await client.getBucketDeduplication({ bucket: 'other' })).status).toBe('Enabled')
    await client.putBucketDeduplication({ bucket: 'other', status: 'Suspended' })
    emu.clearRequestLog()
    await expect(client.putBucketDeduplication({ bucket: 'other', status: 'on' as never })).rejects.toMatchObject({ name: 'InvalidArgument' })
    await expect(client.putObject({ bucket: 'other', key: 'k', body: 'x', deduplicate: 'yes' as never })).rejects.toMatchObject({ name: 'InvalidArgument', message: /deduplicate/ })
    expect(emu.requests).toEqual([])
  })

  it('a second upload of identical bytes sends no body; with deduplication off it uploads', async () => {
    const body = randomBytes(300 * 1024, 3)
    await client.putBucketDeduplication({ bucket: 'bkt', status: 'Enabled' })
    const first = await client.putObject({ bucket: 'bkt', key: 'dedup/first.bin', body, deduplicate: true })
    expect(first).toMatchObject({ deduplicated: false, etag: md5(body) })
    emu.clearRequestLog()
    const second = await client.putObject({ bucket: 'bkt', key: 'dedup/second.bin', body, contentType: 'application/x-copy', metadata: { copy: 'yes' }, deduplicate: true })
    expect(second).toMatchObject({ deduplicated: true, etag: md5(body) })
    expect(emu.requests.map((r) => [r.op, r.bytesIn])).toEqual([['deduplicateObject', 0]])
    const got = await client.getObject({ bucket: 'bkt', key: 'dedup/second.bin' })
    expect(Buffer.compare(await got.bytes(), body)).toBe(0)
    expect(got).toMatchObject({ contentType: 'application/x-copy', metadata: { copy: 'yes' }, etag: md5(body) })

    await client.putBucketDeduplication({ bucket: 'bkt', status: 'Suspended' })
    emu.clearRequestLog()
    const third = await client.putObject({ bucket: 'bkt', key: 'dedup/third.bin', body, deduplicate: true })
    expect(third).toMatchObject({ deduplicated: false, etag: md5(body) })
    expect(emu.requests.map((r) => [r.op, r.bytesIn])).toEqual([['deduplicateObject', 0], ['putObject', body.length]])
  })

  it('property: two uploads of the same bytes with deduplicate store them byte-exact; the second sends no body', async () => {
    await client.putBucketDeduplication({ bucket: 'bkt', status: 'Enabled' })
    let n = 0
    const body = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.string().map((s) => new TextEncoder().encode(s)))
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (bytes, asStream) => {
        const k = `dedup-prop/${n++}`
        // Each run's content is new to NOS: a prefix makes it unique.
        const unique = new Uint8Array([...new TextEncoder().encode(k), ...bytes])
        const stream = () => new Blob([unique]).stream()
        await client.putObject({ bucket: 'bkt', key: `${k}/a`, body: asStream ? stream() : unique, deduplicate: true })
        emu.clearRequestLog()
        const r = await client.putObject({ bucket: 'bkt', key: `${k}/b`, body: asStream ? stream() : unique, deduplicate: true })
        expect(r).toMatchObject({ deduplicated: true, etag: md5(unique) })
        expect(emu.requests.every((e) => e.bytesIn === 0)).toBe(true)
        for (const key of [`${k}/a`, `${k}/b`]) expect(Buffer.compare(await (await client.getObject({ bucket: 'bkt', key })).bytes(), unique)).toBe(0)
      }),
      { numRuns: 15 },
    )
    await client.putBucketDeduplication({ bucket: 'bkt', status: 'Suspended' })
  })
})
