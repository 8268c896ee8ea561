/**
 * Upload tokens against the emulator (docs/protocol.md#upload-tokens): NOS refuses a token for another bucket or
 * object, an expired one and a tampered one (403, ForbiddenError through the SDK); createUploadTokenHandler issues
 * tokens only inside its policy; and, for generated keys, a token opens exactly its own object.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index.js'
import { createUploadToken, createUploadTokenHandler, directUpload } from '../../src/index.js'
import { encodeQuery, nosEncode } from '../../src/core/encoding.js'
import { AK, SK, setup } from './setup.js'

let now = Date.UTC(2030, 0, 1)
let emu: Emulator
beforeAll(async () => {
  ;({ emu } = await setup({ now: () => now }))
})
afterAll(() => emu.close())

const token = (bucket: string, key: string, expires = 600) => createUploadToken({ accessKeyId: AK, accessKeySecret: SK, bucket, key, expires, now: () => now })

/** One complete chunk sent by hand (the SDK would refuse most of these tokens before sending). */
async function rawChunk(bucket: string, key: string, t: string): Promise<{ status: number; errCode?: number }> {
  const url = `${emu.endpoint}/${bucket}/${nosEncode(key)}?${encodeQuery({ offset: '0', complete: 'true', version: '1.0' })}`
  const res = await fetch(url, { method: 'POST', headers: { 'x-nos-token': t }, body: 'x' })
  return { status: res.status, ...((await res.json()) as { errCode?: number }) }
}

describe('upload tokens', () => {
  it('NOS accepts a token for its own object and refuses it for another bucket or object, expired, or tampered', async () => {
    const t = await token('bkt', 'mine.txt', 60)
    expect(await rawChunk('other', 'mine.txt', t)).toMatchObject({ status: 403, errCode: 403 })
    expect(await rawChunk('bkt', 'yours.txt', t)).toMatchObject({ status: 403, errCode: 403 })
    const [head, sign, policy] = t.split(':') as [string, string, string]
    const flipped = sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
    expect(await rawChunk('bkt', 'mine.txt', `${head}:${flipped}:${policy}`)).toMatchObject({ status: 403 })
    const otherPolicy = btoa('{"Bucket":"bkt","Object":"mine.txt","Expires":9999999999}')
    expect(await rawChunk('bkt', 'mine.txt', `${head}:${sign}:${otherPolicy}`)).toMatchObject({ status: 403 })
    now += 61_000
    expect(await rawChunk('bkt', 'mine.txt', t)).toMatchObject({ status: 403, errCode: 403 })
    now -= 61_000
    expect(await rawChunk('bkt', 'mine.txt', t)).toMatchObject({ status: 200 })
  })

  it('through the SDK, a token NOS refuses is a ForbiddenError (403)', async () => {
    const t = await createUploadToken({ accessKeyId: AK, accessKeySecret: 'not-the-secret', bucket: 'bkt', key: 'forbidden.txt', now: () => now })
    const e = await directUpload({ token: t, bucket: 'bkt', key: 'forbidden.txt', body: 'x', endpoint: emu.endpoint, now: () => now }).catch((x: unknown) => x)
    expect(e).toMatchObject({ name: 'ForbiddenError', statusCode: 403 })
  })

  it('createUploadTokenHandler issues tokens only for the buckets, key prefixes and sizes its policy allows', async () => {
    const handler = createUploadTokenHandler({ accessKeyId: AK, accessKeySecret: SK }, { buckets: ['bkt'], keyPrefixes: ['user-42/'], maxSize: 1000, expires: 120, now: () => now })
    const ask = async (body: unknown, method = 'POST') => {
      const res = await handler(new Request('http://backend/token', { method, body: method === 'POST' ? JSON.stringify(body) : undefined }))
      return { status: res.status, body: (await res.json()) as { token?: string; error?: string; expiresAt?: string; bucket?: string } }
    }
    expect(await ask({ bucket: 'other', key: 'user-42/a', size: 1 })).toMatchObject({ status: 403, body: { error: expect.stringMatching(/bucket "other"/) } })
    expect(await ask({ bucket: 'bkt', key: 'user-43/a', size: 1 })).toMatchObject({ status: 403, body: { error: expect.stringMatching(/not under user-42\//) } })
    expect(await ask({ bucket: 'bkt', key: 'user-42/a', size: 1001 })).toMatchObject({ status: 403, body: { error: expect.stringMatching(/exceeds/) } })
    expect(await ask({ bucket: 'bkt', key: 'user-42/a' })).toMatchObject({ status: 403, body: { error: expect.stringMatching(/size .* is required/) } })
    expect(await ask({ bucket: 'bkt', key: '' , size: 1 })).toMatchObject({ status: 400 })
    expect(await ask({}, 'GET')).toMatchObject({ status: 405 })
    const ok = await ask({ key: 'user-42/a.txt', size: 5 })
    expect(ok).toMatchObject({ status: 200, body: { bucket: 'bkt', expiresAt: new Date(now + 120_000).toISOString() } })
    const r = await directUpload({ token: ok.body.token!, bucket: 'bkt', key: 'user-42/a.txt', body: 'hello', endpoint: emu.endpoint, now: () => now })
    expect(r.etag).toBe('5d41402abc4b2a76b9719d911017c592')
    expect(() => createUploadTokenHandler({ accessKeyId: AK, accessKeySecret: '' }, { buckets: ['bkt'] })).toThrow(/credentials/)
    expect(() => createUploadTokenHandler({ accessKeyId: AK, accessKeySecret: SK }, { buckets: [] })).toThrow(/policy.buckets/)
    expect(() => createUploadTokenHandler({ accessKeyId: AK, accessKeySecret: SK }, { buckets: ['bkt'], expires: 0 })).toThrow(/policy.expires/)
  })

  it('property: a token opens exactly its own object, whatever the key', async () => {
    const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((k) => k !== '.' && k !== '..' && !/[\u0000-\u001f]/.test(k))
    await fc.assert(
      fc.asyncProperty(key, fc.string({ minLength: 1, maxLength: 3 }), async (k, suffix) => {
        const t = await token('bkt', k)
        expect((await rawChunk('bkt', k + suffix, t)).status).toBe(403)
        expect((await rawChunk('bkt', k, t)).status).toBe(200)
      }),
      { numRuns: 30 },
    )
  })
})
