import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, AK, SK } from './setup.js'
import { NosClient, createPolicySigner, createSigningHandler, remoteSigner, isNosErrorKind } from '../../src/index.js'
import { parseStringToSign } from '../../src/signing/signing-policy.js'
import { LocalStorageCheckpointStore } from '../../src/browser.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
beforeAll(async () => ({ emu } = await setup()))
afterAll(() => emu.close())

const policy = { buckets: ['bkt'], keyPrefixes: ['user-42/'], methods: ['PUT', 'POST', 'GET'] as ('PUT' | 'POST' | 'GET')[], maxExpires: 600 }
const pageClient = (sign = createPolicySigner(SK, policy), now?: () => number) =>
  new NosClient({ accessKeyId: AK, sign, endpoint: emu.endpoint, maxRetries: 0, ...(now ? { now } : {}) })

async function refused(p: Promise<unknown>, message: RegExp) {
  emu.clearRequestLog()
  const err = await p.then(() => null, (e) => e)
  expect(err?.name).toBe('SigningPolicyError')
  expect(isNosErrorKind(err, 'ClientException')).toBe(true)
  expect(err.message).toMatch(message)
  expect(emu.requests).toHaveLength(0)
}

describe('createPolicySigner: the backend signs only what the policy allows', () => {
  it('signs allowed requests: the emulator accepts them', async () => {
    const c = pageClient()
    await c.putObject({ bucket: 'bkt', key: 'user-42/a.txt', body: 'ok' })
    expect(await (await c.getObject({ bucket: 'bkt', key: 'user-42/a.txt' })).text()).toBe('ok')
    const r = await c.upload({ bucket: 'bkt', key: 'user-42/big.bin', body: new Uint8Array(40 * 1024), partSize: 16 * 1024 })
    expect(r.partsTotal).toBe(3)
    const url = await c.presignUrl({ bucket: 'bkt', key: 'user-42/a.txt', expires: 300 })
    expect(await (await fetch(url)).text()).toBe('ok')
  })

  it('refuses other methods, buckets and key prefixes', async () => {
    const c = pageClient()
    await refused(c.deleteObject({ bucket: 'bkt', key: 'user-42/a.txt' }), /method DELETE is not allowed \(allowed: PUT, POST, GET\)/)
    await refused(c.putObject({ bucket: 'other', key: 'user-42/a.txt', body: 'x' }), /bucket "other" is not allowed/)
    await refused(c.putObject({ bucket: 'bkt', key: 'user-43/a.txt', body: 'x' }), /key "user-43\/a.txt" is not allowed \(allowed prefixes: user-42\/\)/)
    await refused(c.listObjects({ bucket: 'bkt' }), /key "" is not allowed/)
    await refused(c.listBuckets(), /bucket "" is not allowed/)
  })

  it('refuses copies from outside the policy, and long or past expiries', async () => {
    const c = pageClient()
    await refused(c.copyObject({ srcBucket: 'other', srcKey: 'x', destBucket: 'bkt', destKey: 'user-42/x' }), /x-nos-copy-source \/other\/x is outside the policy/)
    await refused(c.presignUrl({ bucket: 'bkt', key: 'user-42/a.txt', expires: 3600 }), /exceeds the policy maximum of 600 s/)
  })

  it('refuses a request dated outside the skew window (a replayed or forged date)', async () => {
    await refused(pageClient(undefined, () => Date.now() - 3600_000).putObject({ bucket: 'bkt', key: 'user-42/a', body: 'x' }), /is not within 15 minutes of now/)
  })

  it('parses strings-to-sign', () => {
    expect(parseStringToSign('PUT\nabc\ntext/plain\n\nx-nos-date:Tue, 01 Jan 2030 00:00:00 GMT\nx-nos-meta-a:1\n/b/k%2F1?uploadId=9')).toEqual({
      method: 'PUT', contentMd5: 'abc', contentType: 'text/plain', dateLine: '',
      nosHeaders: { 'x-nos-date': 'Tue, 01 Jan 2030 00:00:00 GMT', 'x-nos-meta-a': '1' },
      bucket: 'b', key: 'k/1', rawKey: 'k%2F1', subResources: 'uploadId=9',
    })
    expect(() => parseStringToSign('GET\n/b/k')).toThrow(/at least 5 lines/)
    expect(() => createPolicySigner('', policy)).toThrow(/accessKeySecret is required/)
    expect(() => createPolicySigner(SK, { buckets: [] })).toThrow(/at least one bucket/)
  })
})

describe('createSigningHandler + remoteSigner: the page asks the backend over HTTP', () => {
  const handler = createSigningHandler(SK, policy)
  const viaHandler = (url: string | URL | Request, init?: RequestInit) => handler(new Request(url, init))

  it('a page client with remoteSigner uploads and is refused with the backend reason', async () => {
    const c = pageClient(remoteSigner('http://backend.invalid/sign', { fetch: viaHandler as typeof fetch }))
    await c.putObject({ bucket: 'bkt', key: 'user-42/remote.txt', body: 'remote' })
    expect(await (await c.getObject({ bucket: 'bkt', key: 'user-42/remote.txt' })).text()).toBe('remote')
    await refused(c.putObject({ bucket: 'bkt', key: 'elsewhere.txt', body: 'x' }), /the signing endpoint refused: key "elsewhere.txt" is not allowed/)
  })

  it('answers 405, 400 and 403 as documented', async () => {
    expect((await handler(new Request('http://x/sign'))).status).toBe(405)
    expect((await handler(new Request('http://x/sign', { method: 'POST', body: 'not json' }))).status).toBe(400)
    const r = await handler(new Request('http://x/sign', { method: 'POST', body: JSON.stringify({ stringToSign: 'GET\n\n\n\n/nope/k' }) }))
    expect(r.status).toBe(403)
    expect(await r.json()).toEqual({ error: 'bucket "nope" is not allowed (allowed: bkt)' })
  })
})

describe('LocalStorageCheckpointStore', () => {
  it('keeps checkpoints in a Storage and ignores what is not one', async () => {
    const map = new Map<string, string>()
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) }
    const store = new LocalStorageCheckpointStore('t:', storage)
    const cp = { version: 1 as const, bucket: 'b', key: 'k', uploadId: '7', partSize: 16384, size: 1, fingerprint: 'f', parts: [], createdAt: '' }
    await store.save('id', cp)
    expect(map.has('t:id')).toBe(true)
    expect(await store.load('id')).toEqual(cp)
    map.set('t:bad', '{"version":2}')
    expect(await store.load('bad')).toBeUndefined()
    await store.remove('id')
    expect(await store.load('id')).toBeUndefined()
    expect(() => new LocalStorageCheckpointStore()).toThrow(/localStorage is not available/)
  })
})
