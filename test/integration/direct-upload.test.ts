/**
 * directUpload() in Node against the emulator over real HTTP (docs/protocol.md#direct-upload): a 40 MiB upload
 * byte-exact, a lost chunk answer, pause/resume from a checkpoint, abort, the LBS cache and fallbacks, node
 * failover, expired contexts and tokens, and argument errors before any request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { createNodeMd5 } from '../../src/adapters/node/md5.js'
import {
  MemoryCheckpointStore, createUploadToken, directUpload, isNosErrorKind, type DirectUploadCheckpoint, type DirectUploadParams, type NosClient,
} from '../../src/index.js'
import { forgetEdgeNodes } from '../../src/direct-upload/lbs.js'
import { AK, SK, randomBytes, setup } from './setup.js'
import { md5 } from '../helpers/md5.js'

const MiB = 1024 * 1024
let now = Date.UTC(2030, 5, 1)
let emu: Emulator
let client: NosClient
beforeAll(async () => {
  ;({ emu, client } = await setup({ now: () => now, uploadContextTtlMs: 3600_000 }, { now: () => now }))
})
afterAll(() => emu.close())
beforeEach(() => {
  emu.setFaults()
  emu.clearRequestLog()
})

const token = (key: string, expires = 3600) => createUploadToken({ accessKeyId: AK, accessKeySecret: SK, bucket: 'bkt', key, expires, now: () => now })
const ops = (op: string) => emu.requests.filter((r) => r.op === op)
const sentBytes = () => ops('directUpload').reduce((n, r) => n + r.bytesIn, 0)

/** Parameters every test shares: the emulator as LBS (each test a fresh LBS cache entry), fast retries. */
function params(key: string, body: Uint8Array, extra: Partial<DirectUploadParams> = {}): Promise<DirectUploadParams> {
  return token(key).then((t) => ({
    token: t, bucket: 'bkt', key, body, lbsEndpoint: `${emu.endpoint}/lbs`,
    now: () => now, retryBaseDelay: 1, retryMaxDelay: 5, md5: createNodeMd5, ...extra,
  }))
}

async function stored(key: string): Promise<Uint8Array> {
  return (await client.getObject({ bucket: 'bkt', key })).bytes()
}

describe('directUpload (Node)', () => {
  it('40 MiB byte-exact through the LBS, 4 MiB chunks; the ETag is the MD5 of the bytes', async () => {
    const body = randomBytes(40 * MiB, 5)
    const r = await directUpload(await params('big/forty.bin', body, { chunkSize: 4 * MiB, contentType: 'application/x-test', metadata: { who: 'direct' } }))
    expect(r).toMatchObject({ bucket: 'bkt', key: 'big/forty.bin', size: body.length, etag: md5(body), resumed: false, bytesSent: body.length })
    expect(Buffer.compare(await stored('big/forty.bin'), body)).toBe(0)
    const head = await client.headObject({ bucket: 'bkt', key: 'big/forty.bin' })
    expect(head).toMatchObject({ etag: md5(body), contentType: 'application/x-test', metadata: { who: 'direct' } })
    expect(ops('directUpload')).toHaveLength(10)
    expect(sentBytes()).toBe(body.length)
  })

  it('a lost chunk answer resumes correctly: NOS is asked for the offset and no byte is sent twice', async () => {
    const body = randomBytes(300 * 1024 + 7, 6)
    emu.setFaults({ rules: [{ match: { op: 'directUpload', nth: [3] }, action: 'dropResponse' }] })
    const r = await directUpload(await params('lost-answer.bin', body, { chunkSize: 64 * 1024 }))
    expect(r.etag).toBe(md5(body))
    expect(Buffer.compare(await stored('lost-answer.bin'), body)).toBe(0)
    expect(ops('directUpload').filter((e) => e.fault === 'dropResponse')).toHaveLength(1)
    expect(ops('directQueryOffset')).toHaveLength(1)
    expect(sentBytes()).toBe(body.length)
  })

  it('pause keeps a checkpoint; the next call with the same source sends only the rest', async () => {
    const body = randomBytes(200 * 1024, 7)
    const store = new MemoryCheckpointStore<DirectUploadCheckpoint>()
    const p = await params('paused.bin', body, { chunkSize: 16 * 1024, checkpoint: store })
    let paused: Promise<DirectUploadCheckpoint | undefined> | undefined
    const up = directUpload({ ...p, onProgress: (e) => void (e.confirmed >= 64 * 1024 && (paused ??= up.pause())) })
    await expect(up).rejects.toMatchObject({ name: 'DirectUploadPausedError' })
    const cp = await paused
    expect(cp?.offset).toBeGreaterThanOrEqual(64 * 1024)
    expect(store.keys()).toHaveLength(1)
    emu.clearRequestLog()
    const r = await directUpload({ ...p, onProgress: undefined })
    expect(r).toMatchObject({ resumed: true, bytesSent: body.length - cp!.offset })
    expect(sentBytes()).toBe(body.length - cp!.offset)
    expect(Buffer.compare(await stored('paused.bin'), body)).toBe(0)
    expect(store.keys()).toEqual([])
  })

  it('abort rejects with AbortError and forgets the checkpoint', async () => {
    const body = randomBytes(100 * 1024, 8)
    const store = new MemoryCheckpointStore<DirectUploadCheckpoint>()
    const up = directUpload({ ...(await params('aborted.bin', body, { chunkSize: 16 * 1024, checkpoint: store })), onProgress: (e) => void (e.confirmed > 0 && up.abort()) })
    await expect(up).rejects.toMatchObject({ name: 'AbortError' })
    expect(store.keys()).toEqual([])
    await expect(client.headObject({ bucket: 'bkt', key: 'aborted.bin' })).rejects.toMatchObject({ statusCode: 404 })
  })

  it('a context NOS forgot (expired) starts over from byte 0', async () => {
    const body = randomBytes(64 * 1024, 9)
    const store = new MemoryCheckpointStore<DirectUploadCheckpoint>()
    const p = await params('expired-context.bin', body, { chunkSize: 16 * 1024, checkpoint: store })
    let paused: Promise<unknown> | undefined
    const up = directUpload({ ...p, onProgress: (e) => void (e.confirmed >= 32 * 1024 && (paused ??= up.pause())) })
    await expect(up).rejects.toMatchObject({ name: 'DirectUploadPausedError' })
    expect(await paused).toMatchObject({ offset: 32 * 1024 })
    now += 3600_001
    emu.clearRequestLog()
    const r = await directUpload({ ...p, token: await token('expired-context.bin'), onProgress: undefined })
    expect(r).toMatchObject({ resumed: false, bytesSent: body.length })
    expect(ops('directQueryOffset').map((e) => e.status)).toEqual([404])
    expect(Buffer.compare(await stored('expired-context.bin'), body)).toBe(0)
  })

  it('a token NOS refuses as expired is asked for again when token is a function', async () => {
    const body = randomBytes(64 * 1024, 10)
    let issued = 0
    const fresh = () => (issued++, token('refresh.bin', 60))
    // The emulator's clock passes the first token's expiry after the first chunk.
    let late = false
    const expireFirst = (e: { confirmed: number }) => void (e.confirmed === 16 * 1024 && !late && ((late = true), (now += 61_000)))
    const r = await directUpload({ ...(await params('refresh.bin', body, { chunkSize: 16 * 1024 })), token: fresh, onProgress: expireFirst })
    expect(r.etag).toBe(md5(body))
    expect(issued).toBe(2)
    expect(ops('directUpload').map((e) => e.status)).toEqual([200, 403, 200, 200, 200])
  })

  it('NOS JSON errors map into the exception family: a tampered token is ForbiddenError (403)', async () => {
    const t = await token('tampered.bin')
    const tampered = t.replace(/:(.)/, (_, c: string) => `:${c === 'A' ? 'B' : 'A'}`)
    const e = await directUpload({ ...(await params('tampered.bin', new Uint8Array(10))), token: tampered }).catch((x: unknown) => x)
    expect(isNosErrorKind(e, 'ForbiddenError')).toBe(true)
    expect(e).toMatchObject({ statusCode: 403, errorCode: '403' })
    expect(ops('directUpload')).toHaveLength(1)
  })

  it('the LBS answer is cached for lbsTtlMs (injected clock); a dead LBS falls back; a dead node fails over', async () => {
    const lbsEndpoint = `${emu.endpoint}/lbs`
    forgetEdgeNodes(lbsEndpoint, 'bkt')
    const base = { lbsEndpoint, lbsTtlMs: 60_000 }
    await directUpload(await params('lbs/a.txt', new Uint8Array(5), base))
    await directUpload(await params('lbs/b.txt', new Uint8Array(5), base))
    expect(ops('lbs')).toHaveLength(1)
    now += 60_001
    await directUpload(await params('lbs/c.txt', new Uint8Array(5), base))
    expect(ops('lbs')).toHaveLength(2)
    // An LBS that cannot be reached: the fallback LBS answers.
    await directUpload(await params('lbs/d.txt', new Uint8Array(5), { lbsEndpoint: 'http://127.0.0.1:1/lbs', lbsFallback: lbsEndpoint, maxRetries: 0 }))
    expect(ops('lbs')).toHaveLength(3)
    // An LBS whose best node is dead: after the retries on it, the next node gets the chunk.
    const lbs2 = await startEmulator({ lbsNodes: ['http://127.0.0.1:1', emu.endpoint] })
    try {
      const body = randomBytes(40 * 1024, 11)
      const r = await directUpload(await params('lbs/failover.bin', body, { lbsEndpoint: `${lbs2.endpoint}/lbs`, chunkSize: 16 * 1024, maxRetries: 1 }))
      expect(r.etag).toBe(md5(body))
      expect(lbs2.requests.map((e) => e.op)).toEqual(['lbs'])
      expect(ops('directUpload').filter((e) => e.key === 'lbs/failover.bin')).toHaveLength(3)
    } finally {
      await lbs2.close()
    }
  })

  it('argument errors are typed, name the argument, and come before any request', async () => {
    let fetched = 0
    const counting: typeof fetch = (...a) => (fetched++, fetch(...a))
    const p = await params('args.bin', new Uint8Array(10), { fetch: counting })
    const cases: [Partial<DirectUploadParams>, string, RegExp][] = [
      [{ token: await token('other.bin') }, 'InvalidArgument', /token is for bucket "bkt" and key "other.bin"/],
      [{ token: 'NOS ak:sig' }, 'InvalidArgument', /token must be an upload token/],
      [{ token: await token('args.bin', 1), now: () => now + 5000 }, 'InvalidArgument', /token expired/],
      [{ chunkSize: 1000 }, 'InvalidArgument', /chunkSize must be an integer from 4096/],
      [{ bucket: 'Bad_Bucket' }, 'InvalidBucketName', /bucket/],
      [{ key: '' }, 'InvalidObjectName', /key is required/],
      [{ lbsEndpoint: 'ftp://x' }, 'InvalidArgument', /lbsEndpoint must be an http\(s\) URL/],
      [{ objectMd5: 'nope' }, 'InvalidArgument', /objectMd5/],
      [{ onProgress: 'x' as never }, 'InvalidArgument', /onProgress must be a function/],
      [{ signal: 'yes' as never }, 'InvalidArgument', /signal must be an AbortSignal/],
      [{ body: Symbol('x') as never }, 'FileOpenModeError', /not supported/],
      [{ body: new ReadableStream(), checkpoint: new MemoryCheckpointStore() as never }, 'InvalidArgument', /checkpoint and resume need a body that can be re-read/],
      [{ maxRetries: -1 }, 'InvalidArgument', /maxRetries must be a non-negative integer/],
    ]
    for (const [extra, name, message] of cases) {
      const e = await directUpload({ ...p, ...extra }).catch((x: unknown) => x)
      expect(e, JSON.stringify(Object.keys(extra))).toMatchObject({ name, message: expect.stringMatching(message) })
    }
    expect(fetched).toBe(0)
  })
})
