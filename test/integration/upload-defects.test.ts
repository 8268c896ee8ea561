/**
 * Three defects of managed uploads, each reproduced as reported (scaled down where the size does not matter):
 * silent truncation of streams, stale parts kept on resume, checkpoints trusted blindly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes, setup } from './setup.js'
import { MemoryCheckpointStore, UploadPausedError, type NosClient, type UploadCheckpoint } from '../../src/index.js'
import { fileSource } from '../../src/node.js'
import { streamOf } from '../helpers/streams.js'
import { md5 } from '../helpers/md5.js'

let emu: Awaited<ReturnType<typeof setup>>['emu']
let client: NosClient
let dir: string
beforeAll(async () => {
  ;({ emu, client } = await setup())
  dir = await mkdtemp(join(tmpdir(), 'nos-defects-'))
})
afterAll(async () => {
  await emu.close()
  await rm(dir, { recursive: true, force: true })
})

const KiB = 1024
const MiB = 1024 * KiB
const stored = (key: string) => client.getObject({ bucket: 'bkt', key }).then((o) => o.bytes(), () => undefined)
const pending = async (key: string) => (await client.listMultipartUploads({ bucket: 'bkt' })).uploads.filter((u) => u.key === key)


/** Nothing at the key and no multipart upload left for it. */
async function expectNothingStored(key: string) {
  expect(await stored(key)).toBeUndefined()
  expect(await pending(key)).toEqual([])
}

describe('defect 1: silent truncation of streams', () => {
  it('regression: a 12 MiB Node Readable with contentLength 12 MiB and multipartThreshold 16 MiB is stored whole', async () => {
    const data = randomBytes(12 * MiB, 101)
    const r = await client.upload({ bucket: 'bkt', key: 'trunc-readable', body: Readable.from([data.subarray(0, 5 * MiB), data.subarray(5 * MiB)]), contentLength: data.length, multipartThreshold: 16 * MiB })
    expect(r.size).toBe(data.length)
    expect(md5((await stored('trunc-readable'))!)).toBe(md5(data))
  })

  it('regression: a ReadableStream with contentLength below the threshold and above the part size is stored whole', async () => {
    const data = randomBytes(300 * KiB + 1, 102)
    const r = await client.upload({ bucket: 'bkt', key: 'trunc-stream', body: streamOf(data), contentLength: data.length, partSize: 64 * KiB, multipartThreshold: MiB })
    expect(r).toMatchObject({ size: data.length, uploadId: undefined })
    expect(md5((await stored('trunc-stream'))!)).toBe(md5(data))
  })

  it('regression: a stream of unknown length between the part size and the threshold is stored whole (one PUT)', async () => {
    const data = randomBytes(200 * KiB, 103)
    const r = await client.upload({ bucket: 'bkt', key: 'trunc-unknown', body: streamOf(data), partSize: 64 * KiB, multipartThreshold: 256 * KiB })
    expect(r).toMatchObject({ size: data.length, uploadId: undefined })
    expect(md5((await stored('trunc-unknown'))!)).toBe(md5(data))
  })

  const cases = [
    { name: 'smaller than the stream, one-PUT path', length: 100 * KiB, declared: 50 * KiB, threshold: MiB },
    { name: 'larger than the stream, one-PUT path', length: 100 * KiB, declared: 150 * KiB, threshold: MiB },
    { name: 'smaller than the stream, multipart path', length: 300 * KiB, declared: 200 * KiB, threshold: 64 * KiB },
    { name: 'larger than the stream, multipart path', length: 300 * KiB, declared: 400 * KiB, threshold: 64 * KiB },
    { name: 'larger by one byte at a part boundary', length: 256 * KiB, declared: 256 * KiB + 1, threshold: 64 * KiB },
    { name: 'smaller by one byte at a part boundary', length: 256 * KiB + 1, declared: 256 * KiB, threshold: 64 * KiB },
  ]
  for (const c of cases) {
    it(`regression: contentLength ${c.name} is an InvalidArgument and nothing is stored`, async () => {
      const key = `mismatch-${c.length}-${c.declared}-${c.threshold}`
      const err = await client.upload({ bucket: 'bkt', key, body: streamOf(randomBytes(c.length, 104)), contentLength: c.declared, partSize: 64 * KiB, multipartThreshold: c.threshold }).catch((e: any) => e)
      expect(err).toMatchObject({ name: 'InvalidArgument' })
      expect(err.message).toMatch(/contentLength/)
      await expectNothingStored(key)
    })
  }

  it('the stream of a refused upload is cancelled (a Node file stream would otherwise stay open)', async () => {
    let cancelled: unknown = 'no'
    const data = randomBytes(100 * KiB, 105)
    let off = 0
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => { if (off >= data.length) c.close(); else c.enqueue(data.slice(off, (off += 16 * KiB))) },
      cancel: (reason) => { cancelled = reason },
    })
    await expect(client.upload({ bucket: 'bkt', key: 'mismatch-cancel', body, contentLength: 50 * KiB, multipartThreshold: MiB })).rejects.toMatchObject({ name: 'InvalidArgument' })
    expect(cancelled).toMatchObject({ name: 'InvalidArgument' })
  })

  it('contentLength contradicting a random-access body is an InvalidArgument before any request', async () => {
    emu.clearRequestLog()
    await expect(client.upload({ bucket: 'bkt', key: 'mismatch-bytes', body: new Uint8Array(10), contentLength: 5 })).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/contentLength/) })
    expect(emu.requests).toEqual([])
  })
})

/** Pauses an upload of `body` once two parts are done; returns the checkpoint. */
async function pauseAfterTwoParts(key: string, body: Uint8Array | Awaited<ReturnType<typeof fileSource>>, partSize: number): Promise<UploadCheckpoint> {
  let paused: Promise<UploadCheckpoint> | undefined
  const up = client.upload({ bucket: 'bkt', key, body, partSize, concurrency: 1, onProgress: (p) => { if (p.partsDone >= 2 && !paused) paused = up.pause() } })
  expect(await up.catch((e) => e)).toBeInstanceOf(UploadPausedError)
  return (await paused)!
}

describe('defect 2: stale parts on resume', () => {
  it('regression: after pause, a Uint8Array changed in the middle (first and last 64 KiB unchanged) is stored as it is now', async () => {
    const data = randomBytes(8 * 64 * KiB, 201)
    const cp = await pauseAfterTwoParts('stale-bytes', data, 64 * KiB)
    data.set(randomBytes(64 * KiB, 202), 64 * KiB + 10) // inside parts 2 and 3, not the fingerprint's samples
    emu.clearRequestLog()
    const r = await client.upload({ bucket: 'bkt', key: 'stale-bytes', body: data, resume: cp })
    expect(md5((await stored('stale-bytes'))!)).toBe(md5(data))
    expect(r.partsSent).toBe(8 - 1) // only part 1 was on NOS with the same bytes
  })

  it('regression: a file changed in place (same size and mtime) re-sends the parts that differ', async () => {
    const data = randomBytes(6 * 64 * KiB, 203)
    const path = join(dir, 'stale.bin')
    await writeFile(path, data)
    const mtime = 1_700_000_000 // whole seconds: set twice, read back exactly (a Date's ms may come back 1 ms early)
    await utimes(path, mtime, mtime)
    const cp = await pauseAfterTwoParts('stale-file', await fileSource(path), 64 * KiB)
    // Part 2 changes; the fingerprint's samples (first and last 64 KiB), the size and the mtime do not.
    data.set(randomBytes(1000, 204), 64 * KiB + 5)
    await writeFile(path, data)
    await utimes(path, mtime, mtime)
    const r = await client.upload({ bucket: 'bkt', key: 'stale-file', body: await fileSource(path), resume: cp })
    expect(md5((await stored('stale-file'))!)).toBe(md5(data))
    expect(r.partsSent).toBe(6 - 1)
  })

  it('a change the fingerprint sees (the first 64 KiB) makes resume an InvalidArgument naming resume.fingerprint', async () => {
    const data = randomBytes(4 * 64 * KiB, 205)
    const cp = await pauseAfterTwoParts('stale-head', data, 64 * KiB)
    data[0] = data[0]! ^ 1
    await expect(client.upload({ bucket: 'bkt', key: 'stale-head', body: data, resume: cp })).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/^resume\.fingerprint/) })
    await client.abortMultipartUpload({ bucket: 'bkt', key: 'stale-head', uploadId: cp.uploadId })
  })
})

describe('defect 3: checkpoints trusted blindly', () => {
  it('regression: a stored checkpoint with partSize -1 is an InvalidArgument naming partSize, before any request', async () => {
    const data = randomBytes(300 * KiB, 301)
    const cp = await pauseAfterTwoParts('bad-cp', data, 64 * KiB)
    const store = new MemoryCheckpointStore()
    await store.save('nos-upload:bkt:bad-cp', { ...cp, partSize: -1 })
    emu.clearRequestLog()
    const err = await client.upload({ bucket: 'bkt', key: 'bad-cp', body: data, checkpoint: store }).catch((e: any) => e)
    expect(err).toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/checkpoint "nos-upload:bkt:bad-cp"\.partSize must be an integer from 16384/) })
    expect(emu.requests).toEqual([])
    await expect(client.upload({ bucket: 'bkt', key: 'bad-cp', body: data, resume: { ...cp, partSize: -1 } })).rejects.toMatchObject({ message: expect.stringMatching(/^resume\.partSize/) })
    expect(emu.requests).toEqual([])
  })

  const good: UploadCheckpoint = { version: 1, bucket: 'bkt', key: 'cp-fields', uploadId: '123', partSize: 64 * KiB, size: 200 * KiB, fingerprint: 'x', parts: [{ partNum: 1, etag: 'a'.repeat(32), size: 64 * KiB }], createdAt: '2030-01-01T00:00:00.000Z' }
  const bad: [string, Record<string, unknown>][] = [
    ['resume.bucket', { bucket: 'other' }],
    ['resume.key', { key: 'elsewhere' }],
    ['resume.version', { version: 2 }],
    ['resume.uploadId', { uploadId: '' }],
    ['resume.uploadId', { uploadId: 'a b' }],
    ['resume.partSize', { partSize: 16 * KiB - 1 }],
    ['resume.partSize', { partSize: 100 * MiB + 1 }],
    ['resume.partSize', { partSize: 65536.5 }],
    ['resume.size', { size: -1 }],
    ['resume.size', { size: '204800' }],
    ['resume.parts', { parts: {} }],
    ['resume.parts[0].partNum', { parts: [{ partNum: 0, etag: 'a'.repeat(32), size: 64 * KiB }] }],
    ['resume.parts[0].partNum', { parts: [{ partNum: 5, etag: 'a'.repeat(32), size: 64 * KiB }] }],
    ['resume.parts[1].partNum', { parts: [{ partNum: 1, etag: 'a'.repeat(32), size: 64 * KiB }, { partNum: 1, etag: 'b'.repeat(32), size: 64 * KiB }] }],
    ['resume.parts[0].etag', { parts: [{ partNum: 1, etag: 'not-hex', size: 64 * KiB }] }],
    ['resume.parts[0].size', { parts: [{ partNum: 1, etag: 'a'.repeat(32), size: 64 * KiB - 1 }] }],
    ['resume.parts[0].size', { parts: [{ partNum: 4, etag: 'a'.repeat(32), size: 64 * KiB }] }],
  ]
  for (const [field, change] of bad) {
    it(`a resume checkpoint with a bad ${field} (${JSON.stringify(change).slice(0, 60)}) is an InvalidArgument naming it, before any request`, async () => {
      emu.clearRequestLog()
      const err = await client.upload({ bucket: 'bkt', key: 'cp-fields', body: new Uint8Array(200 * KiB), resume: { ...good, ...change } as UploadCheckpoint }).catch((e: any) => e)
      expect(err).toMatchObject({ name: 'InvalidArgument' })
      expect(err.message.startsWith(field)).toBe(true)
      expect(emu.requests).toEqual([])
    })
  }

  it('a resume for another source (size or part size) is refused before any request', async () => {
    emu.clearRequestLog()
    await expect(client.upload({ bucket: 'bkt', key: 'cp-fields', body: new Uint8Array(100 * KiB), resume: good })).rejects.toMatchObject({ message: expect.stringMatching(/^resume\.size/) })
    await expect(client.upload({ bucket: 'bkt', key: 'cp-fields', body: new Uint8Array(200 * KiB), partSize: 128 * KiB, resume: { ...good, fingerprint: 'x' } })).rejects.toMatchObject({ message: expect.stringMatching(/^resume\.(fingerprint|partSize)/) })
    expect(emu.requests).toEqual([])
  })
})

describe('upload() arguments are checked before anything is read or sent', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['concurrency', { concurrency: 0 }],
    ['partRetries', { partRetries: -1 }],
    ['multipartThreshold', { multipartThreshold: 1.5 }],
    ['contentLength', { contentLength: -1 }],
    ['onProgress', { onProgress: 'log' }],
    ['signal', { signal: {} }],
    ['checkpoint', { checkpoint: { load() {} } }],
    ['checkpointId', { checkpointId: '' }],
    ['keepPartsOnError', { keepPartsOnError: 'yes' }],
    ['objectMd5', { objectMd5: 'abc' }],
    ['partSize', { partSize: 1000 }],
    ['contentType', { contentType: 'a\nb' }],
  ]
  for (const [name, change] of bad) {
    it(`a bad ${name} is an InvalidArgument naming it`, async () => {
      emu.clearRequestLog()
      let pulled = 0
      const body = new ReadableStream<Uint8Array>({ pull: (c) => { pulled++; c.close() } }, { highWaterMark: 0 })
      const err = await client.upload({ bucket: 'bkt', key: 'args', body, ...change } as never).catch((e: any) => e)
      expect(err).toMatchObject({ name: 'InvalidArgument' })
      expect(err.message.startsWith(name)).toBe(true)
      expect(pulled).toBe(0)
      expect(emu.requests).toEqual([])
    })
  }

  it('pause() of an upload that has not started its multipart upload rejects with a ClientException, not a bare symbol', async () => {
    const up = client.upload({ bucket: 'bkt', key: 'pause-early', body: 'x' })
    const paused = up.pause().catch((e: any) => e)
    expect(await paused).toMatchObject({ name: 'ClientException', message: expect.stringMatching(/paused before any part was uploaded/) })
    expect(await up.catch((e: any) => e)).toMatchObject({ name: 'ClientException' })
  })
})
