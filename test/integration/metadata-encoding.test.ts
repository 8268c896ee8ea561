/**
 * one metadata scheme both ways (docs/protocol.md#metadata-encoding). By default values are
 * printable ASCII (anything else is refused before any request, with a hint); `metadataEncoding: 'uri'`
 * percent-encodes on write and decodes on read; raw UTF-8 written by another client reads back as UTF-8; names that
 * differ only in case are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AK, SK, setup } from './setup.js'
import { NosClient, createUploadToken, isNosErrorKind } from '../../src/index.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let plain: NosClient
let uri: NosClient
beforeAll(async () => {
  ;({ emu, client: plain } = await setup())
  uri = new NosClient({ accessKeyId: AK, accessKeySecret: SK, endpoint: emu.endpoint, metadataEncoding: 'uri' })
})
afterAll(() => emu.close())

/** Another client: a PUT with an upload token and header values written as raw bytes (one character per byte). */
async function putRaw(key: string, headers: Record<string, Uint8Array>): Promise<void> {
  const token = await createUploadToken({ accessKeyId: AK, accessKeySecret: SK, bucket: 'bkt', key })
  const bytes = Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, String.fromCharCode(...v)]))
  const res = await fetch(`${emu.endpoint}/bkt/${encodeURIComponent(key)}`, { method: 'PUT', body: 'x', headers: { 'x-nos-token': token, 'Content-Type': 'text/plain', ...bytes } })
  expect(res.status, await res.text()).toBe(200)
}
const utf8 = (s: string) => new TextEncoder().encode(s)
/** Requests the emulator has seen: a refusal must come before any. */
const served = () => emu.requests.length
const refusal = async (p: Promise<unknown>) => {
  const before = served()
  const e = await p.then(() => undefined, (x: unknown) => x)
  expect(served()).toBe(before)
  return e as Error | undefined
}

describe('metadata encoding', () => {
  it('regression: raw UTF-8 written by another client reads back as UTF-8 (head and get, both encodings); Latin-1 bytes as they are', async () => {
    await putRaw('meta/raw.txt', { 'x-nos-meta-owner': utf8('张三'), 'x-nos-meta-city': Uint8Array.of(0x63, 0x61, 0x66, 0xe9) })
    for (const c of [plain, uri]) {
      expect((await c.headObject({ bucket: 'bkt', key: 'meta/raw.txt' })).metadata).toEqual({ owner: '张三', city: 'café' })
      const got = await c.getObject({ bucket: 'bkt', key: 'meta/raw.txt' })
      await got.body.cancel()
      expect(got.metadata).toEqual({ owner: '张三', city: 'café' })
    }
  })

  it("regression: non-ASCII is refused by default with a hint, and round-trips with metadataEncoding: 'uri' (percent-encoded on the wire)", async () => {
    const e = await refusal(plain.putObject({ bucket: 'bkt', key: 'meta/refused', body: '', metadata: { owner: '张三' } }))
    expect(isNosErrorKind(e, 'InvalidArgument')).toBe(true)
    expect(e?.message).toContain(`metadata["owner"] "张三" cannot travel in an HTTP header: only printable ASCII is allowed. Pass the client option metadataEncoding: 'uri'`)
    expect(isNosErrorKind(await refusal(plain.putObject({ bucket: 'bkt', key: 'k', body: '', metadata: { a: ' padded' } })), 'InvalidArgument')).toBe(true)

    const metadata = { owner: '张三', note: '100% sure ', emoji: '😀' }
    await uri.putObject({ bucket: 'bkt', key: 'meta/uri.txt', body: 'x', metadata })
    expect((await uri.headObject({ bucket: 'bkt', key: 'meta/uri.txt' })).metadata).toEqual(metadata)
    // What NOS stores is the encoded text; a client without the option reads it as it is.
    expect((await plain.headObject({ bucket: 'bkt', key: 'meta/uri.txt' })).metadata).toEqual({ owner: '%E5%BC%A0%E4%B8%89', note: '100%25 sure%20', emoji: '%F0%9F%98%80' })
    // The same scheme on every write path: multipart upload, putObjectMeta, presigned PUT.
    await uri.upload({ bucket: 'bkt', key: 'meta/multi', body: new Uint8Array(40 * 1024), partSize: 16 * 1024, metadata })
    expect((await uri.headObject({ bucket: 'bkt', key: 'meta/multi' })).metadata).toEqual(metadata)
    await uri.putObjectMeta({ bucket: 'bkt', key: 'meta/multi', metadata: { owner: 'Zoë' } })
    expect((await uri.headObject({ bucket: 'bkt', key: 'meta/multi' })).metadata).toEqual({ owner: 'Zoë' })
    const pre = await uri.presignRequest({ method: 'PUT', bucket: 'bkt', key: 'meta/pre', metadata: { owner: '张三' } })
    // An untyped Blob: fetch adds no Content-Type to it (the URL was signed without one).
    expect((await fetch(pre.url, { method: 'PUT', headers: pre.headers, body: new Blob(['p']) })).status).toBe(200)
    expect((await uri.headObject({ bucket: 'bkt', key: 'meta/pre' })).metadata).toEqual({ owner: '张三' })
  })

  it('regression: names that differ only in case (or by the x-nos-meta- prefix) are refused, not silently merged', async () => {
    for (const metadata of [{ Owner: 'A', owner: 'B' }, { 'x-nos-meta-owner': 'A', OWNER: 'B' }] as Record<string, string>[]) {
      for (const c of [plain, uri]) {
        const e = await refusal(c.putObject({ bucket: 'bkt', key: 'meta/dup', body: '', metadata }))
        expect(isNosErrorKind(e, 'InvalidArgument'), String(e)).toBe(true)
        expect(e?.message).toMatch(/metadata names ".*" and ".*" are the same header \(names are case-insensitive, sent lower-case\): keep one/)
      }
    }
    expect(isNosErrorKind(await refusal(Promise.resolve().then(() => new NosClient({ metadataEncoding: 'base64' as never }))), 'InvalidArgument')).toBe(true)
  })

  // Any UTF-16 string, lone surrogates included.
  const anyText = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))), maxLength: 40 })
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
  const names = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)
  let n = 0

  it("property: with metadataEncoding: 'uri' any value round-trips exactly; one without a UTF-8 form is an InvalidArgument before any request", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(names, anyText, { maxKeys: 3 }), async (metadata) => {
        const key = `meta/uri-prop-${++n}`
        const lower = new Set(Object.keys(metadata).map((k) => k.toLowerCase()))
        const bad = lower.size < Object.keys(metadata).length || Object.values(metadata).some((v) => lone.test(v))
        if (bad) return void expect(isNosErrorKind(await refusal(uri.putObject({ bucket: 'bkt', key, body: '', metadata })), 'InvalidArgument')).toBe(true)
        await uri.putObject({ bucket: 'bkt', key, body: '', metadata })
        const expected = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]))
        expect((await uri.headObject({ bucket: 'bkt', key })).metadata).toEqual(expected)
      }),
      { numRuns: 150, seed: 157 },
    )
  })

  it('property: by default a value is either stored exactly or refused (InvalidArgument, no request): never changed on the way', async () => {
    await fc.assert(
      fc.asyncProperty(names, fc.oneof(anyText, fc.stringMatching(/^[ -~\t]{0,20}$/)), async (name, value) => {
        const key = `meta/plain-prop-${++n}`
        const e = await plain.putObject({ bucket: 'bkt', key, body: '', metadata: { [name]: value } }).then(() => undefined, (x: unknown) => x)
        if (e) return void expect(isNosErrorKind(e, 'InvalidArgument'), String(e)).toBe(true)
        expect((await plain.headObject({ bucket: 'bkt', key })).metadata).toEqual({ [name.toLowerCase()]: value })
      }),
      { numRuns: 150, seed: 158 },
    )
  })
})
